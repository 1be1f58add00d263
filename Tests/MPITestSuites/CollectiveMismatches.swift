import MPI
import AllocationCounter

/// With the agreement check on, mismatches that would make
/// Open MPI write past a buffer (counts, roots, element sizes, different
/// collectives on different ranks), hang, or leave a message behind for the
/// next collective are the same thrown error on every rank; the buffers are
/// untouched and the communicator works afterwards. The check is one
/// fixed-size MPI_Allreduce that allocates nothing.
func collectiveMismatches(_ world: Communicator) throws {
    let verifying = MPI.verifiesCollectiveArguments
    MPI.verifiesCollectiveArguments = true
    defer { MPI.verifiesCollectiveArguments = verifying }
    for comm in try communicators(of: world) where comm.size > 1 {
        let rank = comm.rank, size = comm.size, last = size - 1

        // The case that once hung: the root broadcasts 10,000 doubles, the last rank
        // has room for 5,000 (Open MPI writes the other 40 KB past it).
        let room = rank == last ? 5_000 : 10_000
        var guarded = [Double](repeating: -1, count: room + 512)
        let error = try expectError(.count, argument: "count") {
            try guarded.withUnsafeMutableBufferPointer { memory in
                var buffer = UnsafeMutableBufferPointer(rebasing: memory[..<room])
                if rank == 0 { buffer.update(repeating: 1) }
                try comm.broadcast(&buffer, root: 0)
            }
        }
        try check(error.message.contains("from 5000 to 10000"), "\(error)")
        try check(guarded[room...].allSatisfy { $0 == -1 }, "written past the buffer")
        try check(rank == 0 || guarded[..<room].allSatisfy { $0 == -1 }, "the buffer was written")

        // The same count in elements of another size: as many bytes differ.
        let elementError = try expectError(.type, argument: "element size") {
            if rank == last {
                var floats = [Float](repeating: 0, count: 1_000)
                try comm.broadcast(&floats, root: 0)
            } else {
                var doubles = [Double](repeating: 0, count: 1_000)
                try comm.broadcast(&doubles, root: 0)
            }
        }
        try check(elementError.message.contains("4 to 8 bytes"), "\(elementError)")

        // Ranks in different collectives (the old check reduced arrays of
        // different lengths here, itself a mismatch).
        let different = try expectError(.other) {
            if rank == last {
                _ = try comm.allReduce([1.0, 2.0], .sum)
            } else {
                var values = [1.0, 2.0]
                try comm.broadcast(&values, root: 0)
            }
        }
        try check(different.message.contains("different collectives"), "\(different)")

        // Roots that differ, and counts arrays of the v-forms that differ.
        try expectError(.root, argument: "root") {
            var values = [Int](repeating: rank, count: 8)
            try comm.broadcast(&values, root: rank == last ? 1 : 0)
        }
        let counts = (0..<size).map { $0 == last && rank == last ? 3 : 2 }
        let vectorError = try expectError(.count, argument: "counts[\(last)]") {
            _ = try comm.scatter(Array(repeating: 1, count: 2 * size), counts: counts, root: 0)
        }
        try check(vectorError.message.contains("from 2 to 3"), "\(vectorError)")
        try expectError(.count, argument: "count") {
            var values = [Double](repeating: 1, count: rank == last ? 4_096 : 8_192)
            try comm.reduce(inPlace: &values, .sum, root: 0)
        }
        try expectError(.count, argument: "count") {
            _ = try comm.iallReduce([Double](repeating: 1, count: rank == 0 ? 2 : 1), .sum)
        }

        // One rank's own arguments are bad: it says why, the others that it did.
        let rejected = try expectError(rank == last ? .root : .argument) {
            var values = [Int](repeating: 0, count: 4)
            try comm.broadcast(&values, root: rank == last ? size : 0)
        }
        try check(rank == last || rejected.message.contains("rank \(last) rejected"), "\(rejected)")

        // Nothing was left behind for the next collective.
        var next = [Int](repeating: rank == 0 ? 42 : 0, count: 3)
        try comm.broadcast(&next, root: 0)
        try check(next == [42, 42, 42], "stale data in the next broadcast: \(next)")
        try check(try comm.allReduce(1, .sum) == size, "communicator unusable after mismatches")
    }
    try checkAgreementAllocatesNothing(world)
}

/// The agreement check allocates nothing per collective (Swift allocations
/// over 200 and 600 broadcasts and all-reduces into caller buffers are 0).
func checkAgreementAllocatesNothing(_ world: Communicator) throws {
    guard allocation_counter_is_active() != 0 else { return }   // sanitizer builds own malloc
    var values = [Double](repeating: 1, count: 64)
    var sums = [Double](repeating: 0, count: 64)
    func rounds(_ count: Int) throws -> UInt64 {
        let before = swift_allocation_count()
        for _ in 0..<count {
            try world.broadcast(&values, root: 0)
            try world.allReduce(values, into: &sums, .sum)
        }
        return swift_allocation_count() - before
    }
    _ = try rounds(20)
    let few = try rounds(200), many = try rounds(600)
    try check(few == 0 && many == 0, "the agreement check allocated: \(few) in 200 rounds, \(many) in 600")
}
