import MPI
import AllocationCounter

/// A blocking send and receive of a caller's typed buffer allocate nothing
/// per message: the process's allocation count grows by the same amount for
/// 1,000 and for 3,000 round trips (after a warm-up).
func allocations(_ world: Communicator) throws {
    guard world.size >= 2, world.rank < 2 else { return }
    let peer = 1 - world.rank
    var outgoing = [Double](repeating: 1, count: 128)
    var incoming = [Double](repeating: 0, count: 128)

    func pingPong(_ iterations: Int) throws -> UInt64 {
        let before = allocation_count()
        for _ in 0..<iterations {
            if world.rank == 0 {
                try world.send(outgoing, to: peer, tag: 1)
                try world.receive(into: &incoming, from: peer, tag: 1)
            } else {
                try world.receive(into: &incoming, from: peer, tag: 1)
                try world.send(outgoing, to: peer, tag: 1)
            }
        }
        return allocation_count() - before
    }
    outgoing[0] = 2
    _ = try pingPong(200)
    let few = try pingPong(1_000)
    let many = try pingPong(3_000)
    print("allocations: rank \(world.rank): \(few) in 1000 round trips, \(many) in 3000")
    try check(many <= few, "allocations grow with messages: \(few) for 1000, \(many) for 3000")
    try check(few == 0, "\(few) allocations in 1000 round trips")
}
