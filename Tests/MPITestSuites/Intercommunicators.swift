import MPI

/// An intercommunicator between world's even and odd ranks (made over world
/// as the bridge): sizes, groups, point-to-point across, every collective
/// across, merge order, duplicates and bad input. References come from
/// world ranks. At 1 rank there is no second group: only the argument checks run.
func intercommunicators(_ world: Communicator) throws {
    let color = world.rank % 2
    let local = try world.split(color: color, key: world.rank)
    // Bad leaders throw on every process before MPI (no second group needed).
    try expectError(.rank, argument: "remoteLeader") {
        _ = try local.intercommunicator(localLeader: 0, bridge: world, remoteLeader: world.size)
    }
    try expectError(.rank, argument: "localLeader") {
        _ = try local.intercommunicator(localLeader: local.size, bridge: world, remoteLeader: 0)
    }
    try expectError(.rank, argument: "remoteLeader") {
        _ = try local.intercommunicator(localLeader: 0, bridge: world, remoteLeader: -1)
    }
    guard world.size >= 2 else {
        try check(local.size == 1 && world.size == 1, "an intercommunicator needs two groups: skipped at 1 rank")
        return
    }

    let evens = (0..<world.size).filter { $0 % 2 == 0 }, odds = (0..<world.size).filter { $0 % 2 == 1 }
    let mine = color == 0 ? evens : odds, theirs = color == 0 ? odds : evens
    let me = mine.firstIndex(of: world.rank)!
    let inter = try local.intercommunicator(localLeader: 0, bridge: world, remoteLeader: theirs[0], tag: 5)
    try check(inter.rank == me && inter.size == mine.count && inter.remoteSize == theirs.count, "sizes: \(inter)")

    // Groups.
    let worldGroup = try world.group
    func worldRanks(_ group: Group) throws -> [Int?] { try group.translateRanks(Array(0..<group.size), to: worldGroup) }
    let localRanks = try worldRanks(inter.localGroup)
    try check(localRanks == mine, "local group \(localRanks)")
    let remote = try inter.remoteGroup
    let remoteRanks = try worldRanks(remote)
    try check(remoteRanks == theirs && remote.rank == nil, "remote group \(remoteRanks)")

    // Point-to-point: each process sends to remote rank (rank % remoteSize).
    let send = try inter.isend([world.rank, me], to: me % inter.remoteSize, tag: 1)
    for source in 0..<theirs.count where source % inter.size == me {
        let got = try inter.receive(Int.self, from: source, tag: 1)
        try check(got == [theirs[source], source], "point-to-point from \(source): \(got)")
    }
    try send.wait()
    // Blocking send of one value, received into a buffer, and a nonblocking receive.
    if me < inter.remoteSize {
        let receive = try inter.ireceive(Int.self, count: 1, from: me, tag: 2)
        if color == 0 { try inter.send(world.rank * 3, to: me, tag: 2) }
        let (values, status) = try receive.wait()
        if color == 1 { try inter.send(world.rank * 3, to: me, tag: 2) }
        try check(values == [theirs[me] * 3] && status.source == me, "value from \(me): \(values) \(status)")
        var into = [0]
        if color == 0 { try inter.send([7, 8].prefix(1).map { $0 + world.rank }, to: me, tag: 3) }
        try inter.receive(into: &into, from: me, tag: 3)
        if color == 1 { try inter.send([7 + world.rank], to: me, tag: 3) }
        try check(into == [7 + theirs[me]], "receive(into:) \(into)")
        // An owned buffer received without blocking, and a receive with its status.
        let pending = try inter.ireceive(into: [0, 0], from: me, tag: 4)
        let outgoing = try inter.isend([world.rank, -world.rank], to: me, tag: 4)
        let (owned, ownedStatus) = try pending.wait()
        try outgoing.wait()
        try check(owned == [theirs[me], -theirs[me]] && ownedStatus.tag == 4, "ireceive(into:) \(owned)")
        let echo = try inter.isend([me], to: me, tag: 6)
        let (echoed, echoStatus) = try inter.receiveWithStatus(Int.self, from: MPI.anySource, tag: 6)
        try echo.wait()
        try check(echoed == [me] && echoStatus.source == me, "receiveWithStatus \(echoed) from \(echoStatus.source)")
    }

    // Broadcast both ways: from evens' rank 0, then from odds' last rank.
    var buffer = color == 0 && me == 0 ? [42, world.rank] : [0, 0]
    try inter.broadcast(&buffer, root: color == 0 ? (me == 0 ? .root : .none) : .remote(0))
    if color == 1 { try check(buffer == [42, 0], "broadcast from evens: \(buffer)") }
    let lastOdd = odds.count - 1
    let value = try inter.broadcast(color == 1 && me == lastOdd ? 99 : -1,
                                    root: color == 1 ? (me == lastOdd ? .root : .none) : .remote(lastOdd))
    try check(value == (color == 0 ? 99 : (me == lastOdd ? 99 : -1)), "broadcast from odds: \(value)")

    // All-reduce gives the reduction of the remote group's values.
    let sum = try inter.allReduce(world.rank, .sum)
    try check(sum == theirs.reduce(0, +), "allReduce: \(sum), remote sum \(theirs.reduce(0, +))")
    let both = try inter.allReduce([world.rank, 1], .max)
    try check(both == [theirs.max()!, 1], "allReduce max: \(both)")

    // Reduce at odds' rank 0 of evens' values.
    let reduced = try inter.reduce([world.rank, 1], .sum, root: color == 1 ? (me == 0 ? .root : .none) : .remote(0))
    try check(reduced == (color == 1 && me == 0 ? [evens.reduce(0, +), evens.count] : []), "reduce: \(reduced)")

    // Gather at evens' rank 0 of odds' buffers.
    let gathered = try inter.gather([world.rank, world.rank * 10], root: color == 0 ? (me == 0 ? .root : .none) : .remote(0))
    try check(gathered == (color == 0 && me == 0 ? odds.flatMap { [$0, $0 * 10] } : []), "gather: \(gathered)")

    // Scatter from odds' rank 0 to evens: block i is [i, 100 + i].
    let blocks = color == 1 && me == 0 ? (0..<evens.count).flatMap { [$0, 100 + $0] } : []
    let scattered = try inter.scatter(blocks, count: 2, root: color == 1 ? (me == 0 ? .root : .none) : .remote(0))
    try check(scattered == (color == 0 ? [me, 100 + me] : []), "scatter: \(scattered)")

    // All-gather and all-to-all across.
    let all = try inter.allGather([world.rank])
    try check(all == theirs, "allGather: \(all)")
    let exchanged = try inter.allToAll((0..<inter.remoteSize).map { world.rank * 100 + $0 })
    try check(exchanged == theirs.map { $0 * 100 + me }, "allToAll: \(exchanged)")
    try inter.barrier()

    // Merge: the group passing high: false comes first.
    for evensLow in [true, false] {
        let merged = try inter.merge(high: evensLow ? color == 1 : color == 0)
        let order = evensLow ? evens + odds : odds + evens
        try check(merged.size == world.size && merged.rank == order.firstIndex(of: world.rank)!,
                  "merge (evens low: \(evensLow)): \(merged)")
        try check(try worldRanks(merged.group) == order, "merged order")
        try check(try merged.allReduce(1, .sum) == world.size, "merged allReduce")
    }

    // A duplicate works on its own.
    let copy = try inter.duplicate()
    try check(copy.remoteSize == inter.remoteSize && copy.rank == inter.rank, "duplicate: \(copy)")
    try check(try copy.allReduce(1, .sum) == theirs.count, "duplicate allReduce")

    // Bad input: ranks of the remote group only.
    try expectError(.rank, argument: "destination") { try inter.send(1, to: inter.remoteSize) }
    try expectError(.rank, argument: "destination") { _ = try inter.isend([1], to: -1) }
    try expectError(.rank, argument: "source") { _ = try inter.receive(Int.self, from: inter.remoteSize) }
    try expectError(.root, argument: "root") { _ = try inter.broadcast(1, root: .remote(inter.remoteSize)) }
    try expectError(.root, argument: "root") { _ = try inter.gather([1], root: .remote(-1)) }
    try expectError(.count, argument: "send count") { _ = try inter.scatter([1], count: 2, root: .root) }
    if inter.remoteSize > 1 {
        try expectError(.count, argument: "send count") { _ = try inter.allToAll([Int](repeating: 0, count: inter.remoteSize + 1)) }
    }
    // Intercommunicators and their groups are freed.
    for _ in 0..<200 { _ = try inter.remoteGroup.size + inter.localGroup.size }
    try world.barrier()
}
