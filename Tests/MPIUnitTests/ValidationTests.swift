import CMPI
@testable import MPI
import Testing

/// Argument checks that need no communicator: counts and C ints.
@Suite
struct ValidationTests {
    @Test("Counts from 0 to Int32.max pass unchanged", arguments: [0, 1, 7, Int(CInt.max)])
    func countsInRange(count: Int) throws {
        #expect(try checkedCount(count, operation: "test") == CInt(count))
        #expect(try checkedElementCount(count, operation: "test") == count)
    }

    @Test("A negative count throws .count naming the argument and its value", arguments: [-1, Int.min])
    func negativeCount(count: Int) {
        let error = #expect(throws: MPIError.self) { try checkedCount(count, "sendCount", operation: "MPI_Send") }
        #expect(error?.errorClass == .count)
        #expect(error?.argument == "sendCount")
        #expect(error?.operation == "MPI_Send")
        #expect(error?.message == "invalid sendCount \(count): must not be negative")
        let elements = #expect(throws: MPIError.self) { try checkedElementCount(count, operation: "MPI_Bcast") }
        #expect(elements?.errorClass == .count && elements?.argument == "count")
    }

    @Test("A count beyond Int32.max throws .count and says which operations take one",
          arguments: [Int(CInt.max) + 1, Int.max])
    func countBeyondInt32(count: Int) throws {
        let error = #expect(throws: MPIError.self) { try checkedCount(count, operation: "MPI_Gather") }
        #expect(error?.errorClass == .count)
        #expect(error?.message.contains("exceeds Int32.max") == true)
        #expect(error?.message.contains("broadcast, reduce and all-reduce") == true)
        // Element counts have no upper limit of their own: large-count paths take them.
        #expect(try checkedElementCount(count, operation: "MPI_Bcast") == count)
    }

    @Test("Integers that fit a C int pass; others throw .argument naming them")
    func cInts() throws {
        #expect(try checkedCInt(-5, "color", operation: "MPI_Comm_split") == -5)
        #expect(try checkedCInt(Int(CInt.min), "key", operation: "MPI_Comm_split") == CInt.min)
        for value in [Int(CInt.max) + 1, Int(CInt.min) - 1] {
            let error = #expect(throws: MPIError.self) { try checkedCInt(value, "key", operation: "MPI_Comm_split") }
            #expect(error?.errorClass == .argument)
            #expect(error?.argument == "key")
            #expect(error?.message == "invalid key \(value): does not fit in a C int")
        }
    }

    @Test("An invalid-argument error reads as the operation, argument, value and reason")
    func invalidArgumentText() {
        let error = MPIError.invalidArgument("root", 9, "must be a rank in 0..<4", errorClass: .root, operation: "MPI_Bcast")
        #expect(error.errorClass == .root && error.argument == "root" && error.operation == "MPI_Bcast")
        #expect(error.message == "invalid root 9: must be a rank in 0..<4")
        #expect(error.description.contains("MPI_Bcast") && error.description.contains(error.message))
        #expect(MPIError.Class.root ~= error)
        #expect(!(MPIError.Class.count ~= error))
    }
}
