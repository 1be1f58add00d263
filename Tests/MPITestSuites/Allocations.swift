import MPI
import AllocationCounter

/// A blocking send and receive of a caller's typed buffer allocate nothing
/// per message: no Swift allocation in 1,000 or in 3,000 round trips (after a
/// warm-up). The process's whole count, Open MPI's included, is printed too;
/// it is 0 as well when the ranks have a core each.
func allocations(_ world: Communicator) throws {
    try check(allocation_counter_is_active() != 0,
              "allocations are not counted in sanitizer builds (the sanitizer's malloc stays in place)")
    try collectiveAllocations(world)
    try paddedCollectiveAllocations(world)
    guard world.size >= 2, world.rank < 2 else { return }
    let peer = 1 - world.rank
    var outgoing = [Double](repeating: 1, count: 128)
    var incoming = [Double](repeating: 0, count: 128)

    func pingPong(_ iterations: Int) throws -> (swift: UInt64, all: UInt64) {
        try countedPingPong(world, peer: peer, tag: 1, iterations, sending: outgoing, into: &incoming)
    }
    outgoing[0] = 2
    _ = try pingPong(200)
    let few = try pingPong(1_000)
    let many = try pingPong(3_000)
    print("allocations: rank \(world.rank): Swift \(few.swift) in 1000 round trips, \(many.swift) in 3000; "
          + "all (with Open MPI's own) \(few.all) and \(many.all)")
    try check(few.swift == 0 && many.swift == 0, "Swift allocations in round trips: \(few.swift) for 1000, \(many.swift) for 3000")
    try nonblockingAllocations(world, peer: peer)
    try structAllocations(world, peer: peer)
}

/// Structs as datatypes (@MPIDatatype) over caller buffers allocate nothing
/// per message either: their datatype is made once, then looked up.
func structAllocations(_ world: Communicator, peer: Int) throws {
    let outgoing = (0..<64).map { Dense(x: Double($0), y: 1) }
    var incoming = [Dense](repeating: Dense(x: 0, y: 0), count: 64)
    func round(_ iterations: Int) throws -> UInt64 {
        try countedPingPong(world, peer: peer, tag: 3, iterations, sending: outgoing, into: &incoming).swift
    }
    _ = try round(100)
    let few = try round(1_000), many = try round(3_000)
    try check(few == 0 && many == 0, "Swift allocations in struct round trips: \(few) for 1000, \(many) for 3000")
    // With padding: received into the buffer through the datatype, by a matched receive.
    let paddedOut = (0..<64).map { Padded(flag: $0 % 2 == 0, value: Double($0), small: 1, count: 2) }
    var paddedIn = [Padded](repeating: Padded(flag: false, value: 0, small: 0, count: 0), count: 64)
    func paddedRound(_ iterations: Int) throws -> UInt64 {
        try countedPingPong(world, peer: peer, tag: 4, iterations, sending: paddedOut, into: &paddedIn).swift
    }
    _ = try paddedRound(100)
    let paddedFew = try paddedRound(1_000), paddedMany = try paddedRound(3_000)
    try check(paddedFew == 0 && paddedMany == 0 && paddedIn == paddedOut,
              "Swift allocations in padded struct round trips: \(paddedFew) for 1000, \(paddedMany) for 3000")
}

/// `iterations` blocking round trips of `outgoing` and `incoming` between
/// ranks 0 and 1, and the allocations they made (Swift's, and all).
func countedPingPong<T: MPIElement>(
    _ world: Communicator, peer: Int, tag: Int, _ iterations: Int, sending outgoing: [T], into incoming: inout [T]
) throws -> (swift: UInt64, all: UInt64) {
    let before = (swift: swift_allocation_count(), all: allocation_count())
    for _ in 0..<iterations {
        if world.rank == 0 {
            try world.send(outgoing, to: peer, tag: tag)
            try world.receive(into: &incoming, from: peer, tag: tag)
        } else {
            try world.receive(into: &incoming, from: peer, tag: tag)
            try world.send(outgoing, to: peer, tag: tag)
        }
    }
    return (swift_allocation_count() - before.swift, allocation_count() - before.all)
}

/// A struct with padding in a collective over a caller buffer (every rank).
func paddedCollectiveAllocations(_ world: Communicator) throws {
    var padded = (0..<64).map { Padded(flag: true, value: Double($0), small: 1, count: 2) }
    for _ in 0..<100 { try world.broadcast(&padded, root: 0) }
    let before = swift_allocation_count()
    for _ in 0..<1_000 { try world.broadcast(&padded, root: 0) }
    let broadcasts = swift_allocation_count() - before
    try check(broadcasts == 0, "Swift allocations in 1000 broadcasts of padded structs: \(broadcasts)")
}

/// Nonblocking sends and receives over caller buffers allocate nothing per
/// message either: one request at a time, and 16 at a time in a request set
/// whose capacity is reserved once.
func nonblockingAllocations(_ world: Communicator, peer: Int) throws {
    let outgoing = [Double](repeating: 1, count: 128)
    let incoming = UnsafeMutableBufferPointer<Double>.allocate(capacity: 128 * 16)
    defer { incoming.deallocate() }
    incoming.initialize(repeating: 0)
    var set = RequestSet<Status>()
    set.reserveCapacity(32)

    func round(_ iterations: Int) throws -> (swift: UInt64, all: UInt64) {
        let before = (swift: swift_allocation_count(), all: allocation_count())
        for _ in 0..<iterations {
            let one = UnsafeMutableBufferPointer(rebasing: incoming[0..<128])
            if world.rank == 0 {
                try world.isend(outgoing, to: peer, tag: 2).wait()
                try world.ireceive(into: one, from: peer, tag: 2).wait()
            } else {
                try world.ireceive(into: one, from: peer, tag: 2).wait()
                try world.isend(outgoing, to: peer, tag: 2).wait()
            }
            try outgoing.withUnsafeBufferPointer { pointer in
                for index in 0..<16 {
                    set.append(try world.ireceive(into: UnsafeMutableBufferPointer(rebasing: incoming[index * 128..<(index + 1) * 128]),
                                                  from: peer, tag: 3))
                    set.append(try world.isend(pointer, to: peer, tag: 3))
                }
            }
            try set.waitForAll()
            set.removeAll()
        }
        return (swift_allocation_count() - before.swift, allocation_count() - before.all)
    }
    _ = try round(50)
    let few = try round(200)
    let many = try round(600)
    print("nonblocking allocations: rank \(world.rank): Swift \(few.swift) in 200 rounds, \(many.swift) in 600; "
          + "all (with Open MPI's own) \(few.all) and \(many.all)")
    try check(few.swift == 0 && many.swift == 0,
              "nonblocking sends and receives over caller buffers made Swift allocations: \(few.swift) in 200 rounds, \(many.swift) in 600")
}

/// Collectives over caller buffers (`into:`, `inPlace:` and broadcast's
/// inout buffer) make no Swift allocation per call either, with the agreement
/// check off (it is a debugging aid that allocates; release builds have it
/// off). Open MPI's own collective algorithms do allocate temporary buffers
/// in C (in-place all-to-all, reductions at more than one rank); those are
/// counted and reported, not held against the binding.
func collectiveAllocations(_ world: Communicator) throws {
    // The counter must see Swift allocations, or this test could not fail.
    let beforeProbe = swift_allocation_count()
    let probe = [Int](repeating: world.rank, count: 1_000)
    try check(swift_allocation_count() > beforeProbe && probe.count == 1_000, "the Swift allocation counter counts nothing")

    let verifying = MPI.verifiesCollectiveArguments
    MPI.verifiesCollectiveArguments = false
    defer { MPI.verifiesCollectiveArguments = verifying }
    let size = world.size
    let send = [Double](repeating: Double(world.rank), count: 64)
    var receive = [Double](repeating: 0, count: 64)
    var all = [Double](repeating: 0, count: 64 * size)
    var block = [Double](repeating: 0, count: 64)
    var exchange = [Double](repeating: 1, count: 8 * size)

    func round(_ iterations: Int) throws -> (swift: UInt64, all: UInt64) {
        let before = (swift: swift_allocation_count(), all: allocation_count())
        for _ in 0..<iterations {
            try world.allReduce(send, into: &receive, .sum)
            try world.allReduce(inPlace: &receive, .max)
            try world.reduce(send, into: &receive, .sum, root: 0)
            try world.broadcast(&receive, root: 0)
            try world.scan(send, into: &receive, .sum)
            try world.allGather(send, into: &all)
            try world.gather(send, into: &all, root: 0)
            try world.scatter(all, into: &block, root: 0)
            try world.allToAll(inPlace: &exchange)
            try world.exclusiveScan(send, into: &receive, .sum)
            try receive.withUnsafeMutableBufferPointer { target in
                try world.iallReduce(send, into: target, .sum).wait()
                try world.iallReduce(inPlace: target, .max).wait()
            }
            try world.barrier()
        }
        return (swift_allocation_count() - before.swift, allocation_count() - before.all)
    }
    _ = try round(50)
    let few = try round(200)
    let many = try round(600)
    if world.rank == 0 {
        print("collective allocations: Swift \(few.swift) in 200 rounds, \(many.swift) in 600; "
              + "all (with Open MPI's own) \(few.all) and \(many.all)")
    }
    try check(few.swift == 0 && many.swift == 0,
              "collectives over caller buffers made Swift allocations: \(few.swift) in 200 rounds, \(many.swift) in 600")
}

/// Awaited sends and receives over caller arrays, in one task: the
/// allocations per round trip (printed; a test fails above the bound).
@MPIActor
func asyncAllocations(_ world: Communicator) async throws {
    try check(allocation_counter_is_active() != 0,
              "allocations are not counted in sanitizer builds (the sanitizer's malloc stays in place)")
    guard world.size >= 2, world.rank < 2 else { return }
    let peer = 1 - world.rank
    let outgoing = [Double](repeating: 1, count: 128)
    var incoming = [Double](repeating: 0, count: 128)
    func rounds(_ iterations: Int) async throws -> UInt64 {
        let before = swift_allocation_count()
        for _ in 0..<iterations {
            if world.rank == 0 {
                try await world.send(outgoing, to: peer, tag: 1)
                try await world.receive(into: &incoming, from: peer, tag: 1)
            } else {
                try await world.receive(into: &incoming, from: peer, tag: 1)
                try await world.send(outgoing, to: peer, tag: 1)
            }
        }
        return swift_allocation_count() - before
    }
    _ = try await rounds(200)
    if getenv("SWIFT_MPI_ALLOCATION_PAUSE") != nil { _ = try await rounds(2_000_000) }
    let few = try await rounds(1_000), many = try await rounds(3_000)
    print("async allocations: rank \(world.rank): Swift \(few) in 1000 awaited round trips, \(many) in 3000")
    try check(few == 0 && many == 0, "Swift allocations in awaited round trips: \(few) for 1000, \(many) for 3000")
}
