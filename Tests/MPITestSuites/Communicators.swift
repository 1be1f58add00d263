import MPI

/// Duplicate, split (case 13), exclusion, shared-memory split, compare, name.
func communicators(_ world: Communicator) throws {
    let rank = world.rank, size = world.size

    let copy = try world.duplicate()
    try check(copy.rank == rank && copy.size == size, "duplicate rank/size")
    try check(try world.compare(with: copy) == .congruent, "duplicate compares congruent")
    try check(try world.compare(with: world) == .identical, "world identical to itself")
    let worldName = try world.name
    try check(worldName == "MPI_COMM_WORLD", "world name: \(worldName)")
    try copy.setName("copy of world")
    try check(try copy.name == "copy of world", "set name")

    // Messages on a duplicate never match receives on the original.
    let (fromWorld, fromCopy) = try copy.sendingRight([1], tag: 3) {
        try world.sendingRight([2], tag: 3) {
            (try world.receive(Int.self, from: world.left, tag: 3), try copy.receive(Int.self, from: copy.left, tag: 3))
        }
    }
    try check(fromWorld == [2] && fromCopy == [1], "contexts mixed: \(fromWorld) \(fromCopy)")

    // Case 13: ranks ordered by key, ties by old rank.
    let color = rank % 2
    let byKey = try world.split(color: color, key: -rank)
    let members = (0..<size).filter { $0 % 2 == color }
    try check(byKey.size == members.count, "split size \(byKey.size)")
    try check(byKey.rank == members.reversed().firstIndex(of: rank)!, "key order: rank \(byKey.rank)")
    let ties = try world.split(color: color, key: 0)
    try check(ties.rank == members.firstIndex(of: rank)!, "ties by old rank: \(ties.rank)")
    let everyone = try world.split(color: 0, key: 0)
    try check(try world.compare(with: everyone) == .congruent, "split into one is congruent")
    let reversed = try world.split(color: 0, key: size - rank)
    if size > 1 { try check(try world.compare(with: reversed) == .similar, "reversed split is similar") }

    // Excluding a rank: it joins no communicator; the others still split.
    if rank == 0 {
        try world.excludeSelfFromSplit()
    } else {
        let rest = try world.split(color: 1, key: rank)
        try check(rest.size == size - 1 && rest.rank == rank - 1, "split without rank 0")
        try check(try rest.compare(with: world) == .unequal || size == 1, "unequal")
    }

    let node = try world.splitBySharedMemory()
    try check(node.size == size, "all ranks share this machine's memory: \(node.size) of \(size)")

    // Communicators made in a loop are freed as they go (no handle exhaustion).
    for _ in 0..<2_000 { _ = try world.duplicate() }

    let selfComm = try Communicator.selfOnly
    try check(selfComm.size == 1 && selfComm.rank == 0, "self")
    try check(try world.compare(with: selfComm) == (size == 1 ? .congruent : .unequal), "self vs world")
}
