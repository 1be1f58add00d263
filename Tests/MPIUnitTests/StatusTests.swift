import CMPI
@testable import MPI
import Testing

/// Counts and text of a status, which need no MPI call.
@Suite
struct StatusTests {
    @Test("Counts in whole elements of the receive's type, nil for a partial one")
    func counts() {
        let doubles = Status(source: 1, tag: 2, byteCount: 24, elementSize: 8)
        #expect(doubles.count == 3)
        #expect(doubles.count(of: Double.self) == 3)
        #expect(doubles.count(of: Int32.self) == 6)
        #expect(doubles.count(of: UInt8.self) == 24)
        // MPI_DOUBLE_INT: 12 bytes of data in a stride of 16; MPI counts the data (MPI_Get_count).
        #expect(doubles.count(of: ValueAndRank<Double>.self) == 2)
        let partial = Status(source: 0, tag: 0, byteCount: 20, elementSize: 8)
        #expect(partial.count == nil)
        #expect(partial.count(of: Int32.self) == 5)
        #expect(partial.count(of: ValueAndRank<Double>.self) == nil)
        let empty = Status(source: 0, tag: 0, byteCount: 0, elementSize: 16)
        #expect(empty.count == 0 && empty.count(of: Double.self) == 0)
        // A probe counts bytes.
        #expect(Status(source: 0, tag: 0, byteCount: 13, elementSize: 1).count == 13)
    }

    @Test("Beyond Int32.max bytes counts stay exact")
    func largeCounts() {
        let bytes = Int(CInt.max) * 8 + 8
        let status = Status(source: 0, tag: 0, byteCount: bytes, elementSize: 8)
        #expect(status.count == Int(CInt.max) + 1)
        #expect(status.count(of: UInt8.self) == bytes)
    }

    @Test("Its text names the wildcards and the null process")
    func description() {
        #expect(Status(source: 3, tag: 9, byteCount: 16, elementSize: 8).description == "Status(source: 3, tag: 9, bytes: 16)")
        #expect(Status(source: MPI.processNull, tag: MPI.anyTag, byteCount: 0, elementSize: 1).description
                    == "Status(source: MPI.processNull, tag: MPI.anyTag, bytes: 0)")
        #expect(Status(source: MPI.anySource, tag: 0, byteCount: 0, elementSize: 1, isCancelled: true).description
                    == "Status(source: MPI.anySource, tag: 0, bytes: 0, cancelled)")
    }

    @Test("A status MPI filled in reads source and tag through the wildcards")
    func fromMPIStatus() {
        var status = MPI_Status()
        status.MPI_SOURCE = 2
        status.MPI_TAG = 11
        let read = Status(&status, byteCount: 40, elementSize: 4)
        #expect(read == Status(source: 2, tag: 11, byteCount: 40, elementSize: 4))
        #expect(read.count == 10)
        status.MPI_SOURCE = cmpi_proc_null()
        status.MPI_TAG = cmpi_any_tag()
        let null = Status(&status, byteCount: 0, elementSize: 4)
        #expect(null.source == MPI.processNull && null.tag == MPI.anyTag && null.count == 0)
    }
}
