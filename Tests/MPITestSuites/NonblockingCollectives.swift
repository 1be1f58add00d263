import MPI

/// Every nonblocking collective against its blocking twin, overlapped with
/// point-to-point traffic and completed in one mixed wait-all, over world,
/// self and a duplicate of world.
func nonblockingCollectives(_ world: Communicator) throws {
    for comm in try communicators(of: world) {
        for count in [0, 1, 7, largeCount] {
            try nonblocking(comm, count: count)
            try nonblockingIntoCallerBuffers(comm, count: count)
        }
        try comm.barrier()
    }
}

func nonblocking(_ comm: Communicator, count: Int) throws {
    let rank = comm.rank, size = comm.size
    let mine = contribution(Int64.self, rank: rank, count: count)
    let root = size - 1
    let counts = (0..<size).map { ($0 + count) % 3 }
    let byRank = (0..<size).map { contribution(Int64.self, rank: $0, count: count) }
    let total = (1..<size).reduce(byRank[0]) { zip($0, byRank[$1]).map(+) }
    let maps: [[Int64]] = (0..<size).map { peer -> [Int64] in
        (0..<count).map { index -> Int64 in
            let slope = Int64(2 + (peer + index) % 3)
            return slope << 32 | Int64(peer + 1)
        }
    }

    var set = RequestSet<Any>()
    let barrier = set.append(try comm.ibarrier())
    let broadcast = set.append(try comm.ibroadcast(rank == root ? mine : Array(repeating: 0, count: count), root: root))
    let scatter = set.append(try comm.iscatter(rank == root ? byRank.flatMap { $0 } : [], count: count, root: root))
    let sevens = [Int64](repeating: 7, count: counts.reduce(0, +))
    let scatterv = set.append(try comm.iscatter(rank == root ? sevens : [], counts: counts, root: root))
    let gather = set.append(try comm.igather(mine, root: root))
    let gatherv = set.append(try comm.igather(Array(repeating: Int64(rank), count: counts[rank]), counts: counts, root: 0))
    let allGather = set.append(try comm.iallGather(mine))
    let allGatherv = set.append(try comm.iallGather(Array(repeating: Int64(rank), count: counts[rank]), counts: counts))
    let allToAll = set.append(try comm.iallToAll((0..<size).flatMap { peer in mine.map { $0 + Int64(peer) } }))
    let allToAllv = set.append(try comm.iallToAll(Array(repeating: Int64(rank), count: counts.reduce(0, +)),
                                                  sendCounts: counts, receiveCounts: Array(repeating: counts[rank], count: size)))
    let reduce = set.append(try comm.ireduce(mine, .sum, root: 0))
    let allReduce = set.append(try comm.iallReduce(mine, .sum))
    let allReduceInPlace = set.append(try comm.iallReduce(inPlace: mine, .max))
    let scalar = set.append(try comm.iallReduce(Int64(rank + 1), .product))
    let reduceScatter = set.append(try comm.ireduceScatter(Array((0..<size).map { _ in mine }.joined()), .sum))
    let reduceScatterv = set.append(try comm.ireduceScatter(Array(repeating: Int64(1), count: counts.reduce(0, +)),
                                                            counts: counts, .sum))
    let scan = set.append(try comm.iscan(maps[rank], .custom(commutative: false, compose)))
    let exclusiveScan = set.append(try comm.iexclusiveScan(mine, .sum))

    // Point-to-point traffic while the collectives are in flight.
    let sending = set.append(try comm.isend(mine, to: comm.right, tag: 90))
    let receiving = set.append(try comm.ireceive(Int64.self, count: count, from: comm.left, tag: 90))
    try set.waitForAll()

    try set.take(barrier).wait()
    try check(try set.take(broadcast).wait() == byRank[root], "ibroadcast")
    try check(try set.take(scatter).wait() == mine, "iscatter")
    try check(try set.take(scatterv).wait() == Array(repeating: 7, count: counts[rank]), "iscatterv")
    let gathered = try set.take(gather).wait()
    try check(rank == root ? gathered == byRank.flatMap { $0 } : gathered.isEmpty, "igather")
    let gatheredv = try set.take(gatherv).wait()
    try check(rank == 0 ? gatheredv == (0..<size).flatMap { Array(repeating: Int64($0), count: counts[$0]) }
                        : gatheredv.isEmpty, "igatherv")
    try check(try set.take(allGather).wait() == byRank.flatMap { $0 }, "iallGather")
    try check(try set.take(allGatherv).wait() == (0..<size).flatMap { Array(repeating: Int64($0), count: counts[$0]) },
              "iallGatherv")
    try check(try set.take(allToAll).wait() == byRank.flatMap { theirs in theirs.map { $0 + Int64(rank) } }, "iallToAll")
    try check(try set.take(allToAllv).wait() == (0..<size).flatMap { Array(repeating: Int64($0), count: counts[rank]) },
              "iallToAllv")
    let reduced = try set.take(reduce).wait()
    try check(rank == 0 ? reduced == total : reduced.isEmpty, "ireduce")
    try check(try set.take(allReduce).wait() == total, "iallReduce")
    let maximum = (1..<size).reduce(byRank[0]) { zip($0, byRank[$1]).map { Swift.max($0, $1) } }
    try check(try set.take(allReduceInPlace).wait() == maximum, "iallReduce in place")
    try check(try set.take(scalar).wait() == Int64((1...size).reduce(1, *)), "iallReduce scalar")
    try check(try set.take(reduceScatter).wait() == total, "ireduceScatter")
    try check(try set.take(reduceScatterv).wait() == Array(repeating: Int64(size), count: counts[rank]), "ireduceScatterv")
    let prefix = (1..<(rank + 1)).reduce(maps[0]) { zip($0, maps[$1]).map(compose) }
    try check(try set.take(scan).wait() == prefix, "iscan, non-commutative")
    let exclusive = try set.take(exclusiveScan).wait()
    let exclusiveExpected = rank == 0 ? [] : (1..<rank).reduce(byRank[0]) { zip($0, byRank[$1]).map(+) }
    try check(exclusive == exclusiveExpected, "iexclusiveScan")
    try set.take(sending).wait()
    let (received, status) = try set.take(receiving).wait()
    try check(received == byRank[comm.left] && status.source == comm.left, "point-to-point beside collectives")
    try expectError(.request) { _ = try set.take(sending) }
}

/// The nonblocking collectives over the buffers of the blocking forms: send
/// buffers of every kind (slices, contiguous arrays, unsafe pointers) and
/// results written into caller memory (`Request<Void>`), each against its
/// blocking twin.
func nonblockingIntoCallerBuffers(_ comm: Communicator, count: Int) throws {
    let rank = comm.rank, size = comm.size
    let mine = contribution(Int64.self, rank: rank, count: count)
    let root = size - 1
    let padded = [Int64(-9)] + mine + [Int64(-9)]
    let slice = padded[1..<(count + 1)]
    let contiguous = ContiguousArray(mine)

    func into(_ length: Int, _ start: (UnsafeMutableBufferPointer<Int64>) throws -> Request<Void>) throws -> [Int64] {
        var result = [Int64](repeating: -1, count: length)
        try result.withUnsafeMutableBufferPointer { buffer in try start(buffer).wait() }
        return result
    }
    try check(try into(count) { try comm.iallReduce(slice, into: $0, .sum) } == (try comm.allReduce(mine, .sum)),
              "iallReduce slice into")
    try check(try into(count) { try comm.iscan(contiguous, into: $0, .sum) } == (try comm.scan(mine, .sum)),
              "iscan into")
    let exclusive = try into(count) { try comm.iexclusiveScan(mine, into: $0, .max) }
    var blockingExclusive = [Int64](repeating: -1, count: count)
    try comm.exclusiveScan(mine, into: &blockingExclusive, .max)
    if rank > 0 { try check(exclusive == blockingExclusive, "iexclusiveScan into") }
    let reduced = try into(count) { try comm.ireduce(slice, into: $0, .sum, root: root) }
    let blockingReduced = try comm.reduce(mine, .sum, root: root)
    if rank == root { try check(reduced == blockingReduced, "ireduce into") }
    try check(try into(count * size) { try comm.iallGather(slice, into: $0) } == (try comm.allGather(mine)),
              "iallGather into")
    let gathered = try into(rank == root ? count * size : 0) { try comm.igather(contiguous, into: $0, root: root) }
    let blockingGathered = try comm.gather(mine, root: root)
    try check(gathered == blockingGathered, "igather into")
    let blocks = (0..<size).flatMap { peer in mine.map { $0 &+ Int64(peer) } }
    try check(try into(blocks.count) { try comm.iallToAll(blocks[...], into: $0) } == (try comm.allToAll(blocks)),
              "iallToAll into")
    try check(try into(count) { try comm.ireduceScatter(blocks, into: $0, .sum) } == (try comm.reduceScatter(blocks, .sum)),
              "ireduceScatter into")
    let everything = rank == root ? blocks : []
    try check(try into(count) { try comm.iscatter(everything, into: $0, root: root) }
                == (try comm.scatter(everything, count: count, root: root)), "iscatter into")
    var broadcast = rank == root ? mine : [Int64](repeating: 0, count: count)
    try broadcast.withUnsafeMutableBufferPointer { try comm.ibroadcast($0, root: root).wait() }
    try check(broadcast == contribution(Int64.self, rank: root, count: count), "ibroadcast into caller memory")
    var inPlace = mine
    try inPlace.withUnsafeMutableBufferPointer { try comm.iallReduce(inPlace: $0, .max).wait() }
    try check(inPlace == (try comm.allReduce(mine, .max)), "iallReduce in place in caller memory")

    // Send buffers of every kind with results in new arrays.
    try mine.withUnsafeBufferPointer { pointer in
        try check(try comm.iallReduce(pointer, .sum).wait() == (try comm.allReduce(mine, .sum)), "iallReduce pointer")
        try check(try comm.iallGather(pointer).wait() == (try comm.allGather(mine)), "iallGather pointer")
    }
    try check(try comm.iexclusiveScan(slice, .sum).wait() == (try comm.exclusiveScan(mine, .sum)), "iexclusiveScan slice")
    try check(try comm.igather(slice, root: root).wait() == (try comm.gather(mine, root: root)), "igather slice")
}
