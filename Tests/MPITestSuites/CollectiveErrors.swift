import MPI

/// Each validation error of the collectives: a thrown error naming the
/// argument, and (with MPI.verifiesCollectiveArguments) on every rank, never
/// a hang or a write out of bounds.
func collectiveErrors(_ world: Communicator) throws {
    for comm in try communicators(of: world) {
        let rank = comm.rank, size = comm.size
        var buffer = [Int](repeating: 0, count: 4)

        // Every rank passes the same bad argument: every rank throws, either way.
        try expectError(.root, argument: "root") { try comm.broadcast(&buffer, root: size) }
        try expectError(.root, argument: "root") { _ = try comm.gather([1], root: -1) }
        try expectError(.root, argument: "root") { _ = try comm.reduce([1], .sum, root: size + 2) }
        try expectError(.root, argument: "root") { _ = try comm.ireduce([1], .sum, root: size) }
        try expectError(.count, argument: "counts") { _ = try comm.gather([1], counts: [1] + Array(repeating: 1, count: size), root: 0) }
        try expectError(.count, argument: "counts") { _ = try comm.allGather([1], counts: []) }
        try expectError(.count, argument: "counts[0]") {
            _ = try comm.scatter([Int](), counts: [-1] + Array(repeating: 0, count: size - 1), root: 0)
        }
        if size > 1 {  // every count divides among one rank
            try expectError(.count, argument: "send count") { _ = try comm.allToAll(Array(repeating: 1, count: size + 1)) }
            try expectError(.count, argument: "send count") { _ = try comm.reduceScatter(Array(repeating: 1, count: size + 1), .sum) }
            try expectError(.count, argument: "buffer count") {
                var uneven = [Int](repeating: 0, count: size + 1)
                try comm.allGather(inPlace: &uneven)
            }
        }
        try expectError(.count, argument: "receive count") {
            var small = [Int](repeating: 0, count: size - 1)
            try comm.allGather([1], into: &small)
        }
        try expectError(.count, argument: "send count") {
            _ = try comm.gather([rank], counts: Array(repeating: 2, count: size), root: 0)
        }
        // Displacements that run past the buffer or overlap (checked at the root; every rank passes them).
        try expectError(.argument, argument: "displacements[0]") {
            _ = try comm.allGather([1], counts: Array(repeating: 1, count: size),
                                   displacements: [-1] + (1..<size).map { $0 })
        }
        if size > 1 {
            try expectError(.argument, argument: "displacements") {
                _ = try comm.allGather([1, 2], counts: Array(repeating: 2, count: size),
                                       displacements: Array(repeating: 0, count: size))
            }
        }
        let sendCounts = Array(repeating: 1, count: size)
        try expectError(.argument, argument: "sendDisplacements[\(size - 1)]") {
            _ = try comm.allToAll(Array(repeating: 1, count: size), sendCounts: sendCounts,
                                  sendDisplacements: (0..<size).map { $0 + 1 }, receiveCounts: sendCounts)
        }

        guard MPI.verifiesCollectiveArguments else { continue }
        // Only the root's arguments are bad: the root throws its own error,
        // the others learn of it instead of waiting forever.
        let root = size - 1
        let rootError = try expectError(rank == root ? .count : .argument) {
            _ = try comm.scatter(rank == root ? Array(repeating: 1, count: 3 * size + 1) : [], count: 3, root: root)
        }
        if rank == root {
            try check(rootError.argument == "send count" && rootError.message.contains("\(3 * size + 1)"), "\(rootError)")
        } else {
            try check(rootError.message.contains("rank \(root) rejected"), "\(rootError)")
        }
        if size > 1 {  // overlapping blocks need two ranks
            try expectError(.argument) {
                _ = try comm.scatter(rank == root ? (0..<7).map { $0 } : [], counts: Array(repeating: 1, count: size),
                                     displacements: rank == root ? Array(repeating: 5, count: size) : nil, root: root)
            }
        }
        // Ranks that disagree on a count or the root: all throw.
        if size > 1 {
            var mismatched = [Double](repeating: 1, count: rank == 0 ? 3 : 4)
            try expectError(.count, argument: "count") { try comm.broadcast(&mismatched, root: 0) }
            try expectError(.root, argument: "root") { _ = try comm.reduce([1], .sum, root: rank == 0 ? 0 : 1) }
            try expectError(.count) {
                _ = try comm.allToAll([rank], sendCounts: Array(repeating: 1, count: size),
                                      receiveCounts: (0..<size).map { $0 == 0 ? 2 : 1 } )
            }
        }
        // After all that, the communicator still works.
        try check(try comm.allReduce(1, .sum) == size, "communicator unusable after errors")
    }
}
