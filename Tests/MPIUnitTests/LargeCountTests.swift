import CMPI
@testable import MPI
import Testing

/// How counts beyond Int32.max are cut into chunks, and element arithmetic.
@Suite
struct LargeCountTests {
    @Test("The chunk is a power of two that MPI takes as a count")
    func chunkSize() {
        #expect(largeCountChunk > 0 && largeCountChunk & (largeCountChunk - 1) == 0)
        #expect(largeCountChunk <= Int(CInt.max))
    }

    /// The chunks `forEachChunk` calls its body with.
    func chunks(of count: Int) throws -> [(offset: Int, count: CInt)] {
        var chunks: [(offset: Int, count: CInt)] = []
        try forEachChunk(of: count) { chunks.append(($0, $1)) }
        return chunks
    }

    @Test("A count that fits a C int is one call, also 0", arguments: [0, 1, 1_000, Int(CInt.max)])
    func oneChunk(count: Int) throws {
        let chunks = try chunks(of: count)
        #expect(chunks.count == 1 && chunks[0].offset == 0 && chunks[0].count == CInt(count))
    }

    @Test("Beyond Int32.max: consecutive chunks that cover the count exactly",
          arguments: [Int(CInt.max) + 1, 2 * (1 << 30) + 5, 3 * (1 << 30), 5 * (1 << 30) + 1])
    func severalChunks(count: Int) throws {
        let chunks = try chunks(of: count)
        #expect(chunks.count == (count + largeCountChunk - 1) / largeCountChunk)
        var next = 0
        for chunk in chunks {
            #expect(chunk.offset == next)
            #expect(chunk.count > 0 && Int(chunk.count) <= largeCountChunk)
            next += Int(chunk.count)
        }
        #expect(next == count)
        // Every chunk but the last is whole, so every rank cuts a count alike.
        #expect(chunks.dropLast().allSatisfy { Int($0.count) == largeCountChunk })
    }

    @Test("A body that throws stops the chunks")
    func throwingBody() {
        var calls = 0
        #expect(throws: MPIError.self) {
            try forEachChunk(of: 3 * largeCountChunk) { _, _ in
                calls += 1
                throw MPIError.invalidArgument("count", 0, "test", errorClass: .count, operation: "test")
            }
        }
        #expect(calls == 1)
    }

    @Test("A chunk's start moves by whole strides")
    func advancedAddress() {
        let base = UnsafeMutableRawPointer(bitPattern: 0x1000)!
        #expect(advanced(base, by: 3, of: Double.self) == base + 24)
        #expect(advanced(UnsafeRawPointer(base), by: 2, of: ValueAndRank<Double>.self) == UnsafeRawPointer(base + 32))
        #expect(advanced(base, by: largeCountChunk, of: Int32.self) == base + 4 * largeCountChunk)
    }
}
