import MPI

/// Groups over world, a duplicate and a split: sizes, ranks, translation,
/// comparison, set operations, communicators from groups, freeing, bad input.
/// References are computed here from world ranks.
func groups(_ world: Communicator) throws {
    let worldGroup = try world.group
    try check(worldGroup.size == world.size && worldGroup.rank == world.rank, "world group: \(worldGroup)")
    let color = world.rank % 2
    let split = try world.split(color: color, key: -world.rank)
    // Each communicator with the world rank of each of its ranks.
    let cases: [(String, Communicator, [Int])] = [
        ("world", world, Array(0..<world.size)),
        ("duplicate", try world.duplicate(), Array(0..<world.size)),
        ("split", split, (0..<world.size).filter { $0 % 2 == color }.reversed()),
    ]
    for (name, comm, reference) in cases {
        try groups(name, comm, reference: reference, world: world, worldGroup: worldGroup)
    }

    // The empty group.
    let empty = try Group.empty
    try check(empty.size == 0 && empty.rank == nil, "empty group: \(empty)")
    try check(try empty.union(worldGroup).compare(with: worldGroup) == .identical, "empty ∪ world")
    try check(try worldGroup.intersection(empty).size == 0, "world ∩ empty")
    try check(try worldGroup.subtracting(worldGroup).size == 0, "world − world")
    try check(try worldGroup.including([]).size == 0, "incl of nothing")
    try check(try worldGroup.excluding([]).compare(with: worldGroup) == .identical, "excl of nothing")

    // Groups are freed: many made and dropped.
    for round in 0..<2000 {
        let made = try world.group.union(split.group)
        if round == 0 { try check(made.size == world.size, "union of world and split: \(made.size)") }
    }

    // Bad input throws before MPI, naming the argument.
    let size = worldGroup.size
    try expectError(.rank, argument: "ranks") { _ = try worldGroup.translateRanks([0, size], to: worldGroup) }
    try expectError(.rank, argument: "ranks") { _ = try worldGroup.translateRanks([-1], to: worldGroup) }
    try expectError(.rank, argument: "ranks") { _ = try worldGroup.including([size]) }
    try expectError(.rank, argument: "ranks") { _ = try worldGroup.including([0, 0]) }
    try expectError(.rank, argument: "ranks") { _ = try worldGroup.excluding([size + 3]) }
    try expectError(.rank, argument: "ranks") { _ = try worldGroup.excluding([0, 0]) }
    try expectError(.rank, argument: "ranges[0]") {
        _ = try worldGroup.including(ranges: [stride(from: 0, through: size, by: 1)])
    }
    try expectError(.rank, argument: "ranges[1]") {
        _ = try worldGroup.including(ranges: [stride(from: 0, through: 0, by: 1), stride(from: 0, through: 0, by: 1)])
    }
    try expectError(.rank, argument: "ranges[0]") {
        _ = try worldGroup.excluding(ranges: [stride(from: -1, through: 0, by: 1)])
    }
    // communicator(forMembersOf:) from a process outside the group.
    let others = try worldGroup.excluding([world.rank])
    try expectError(.group, argument: "group") { _ = try world.communicator(forMembersOf: others) }
    // A group with processes outside the communicator.
    if world.size > 1 {
        let onlySplit = try split.group
        let outsider = try worldGroup.subtracting(onlySplit)
        try expectError(.group, argument: "group") { _ = try split.communicator(for: outsider) }
    }
    try world.barrier()
}

/// `reference[i]` is the world rank of rank `i` of `comm`.
private func groups(_ name: String, _ comm: Communicator, reference: [Int], world: Communicator,
                    worldGroup: Group) throws {
    let group = try comm.group
    try check(group.size == comm.size && group.rank == comm.rank, "\(name): group \(group) of \(comm)")
    try check(reference.count == comm.size && reference[comm.rank] == world.rank, "\(name): reference \(reference)")

    /// The world ranks of a group's members, in its order.
    func worldRanks(_ g: Group) throws -> [Int] {
        try g.translateRanks(Array(0..<g.size), to: worldGroup).map {
            guard let rank = $0 else { throw CheckFailure(description: "\(name): a member outside world") }
            return rank
        }
    }

    // Translation both ways.
    let translated = try worldRanks(group)
    try check(translated == reference, "\(name): translated \(translated) vs \(reference)")
    let back = try worldGroup.translateRanks(Array(0..<world.size), to: group)
    let expectedBack = (0..<world.size).map { reference.firstIndex(of: $0) }
    try check(back == expectedBack, "\(name): world to group \(back) vs \(expectedBack)")
    try check(try group.translateRanks([], to: worldGroup).isEmpty, "\(name): translate nothing")

    // Comparison.
    let expected: GroupComparison = reference == Array(0..<world.size) ? .identical
        : reference.sorted() == Array(0..<world.size) ? .similar : .unequal
    let comparison = try group.compare(with: worldGroup)
    try check(comparison == expected, "\(name): compare with world: \(comparison), expected \(expected)")
    try check(try group.compare(with: try comm.group) == .identical, "\(name): compare with itself")
    let reversed = try group.including(Array((0..<group.size).reversed()))
    try check(try reversed.compare(with: group) == (group.size > 1 ? .similar : .identical), "\(name): reversed compare")
    try check(try worldRanks(reversed) == reference.reversed(), "\(name): reversed incl")

    // Set operations against a second group: world's first half.
    let half = try worldGroup.including(Array(0..<(world.size + 1) / 2))
    let halfRanks = Array(0..<(world.size + 1) / 2)
    let union = try worldRanks(group.union(half))
    try check(union == reference + halfRanks.filter { !reference.contains($0) }, "\(name): union \(union)")
    try check(try worldRanks(half.union(group)) == halfRanks + reference.filter { !halfRanks.contains($0) },
              "\(name): union reversed")
    let intersection = try worldRanks(group.intersection(half))
    try check(intersection == reference.filter { halfRanks.contains($0) }, "\(name): intersection \(intersection)")
    let difference = try worldRanks(group.subtracting(half))
    try check(difference == reference.filter { !halfRanks.contains($0) }, "\(name): difference \(difference)")
    let unionGroup = try group.union(half)
    try check(unionGroup.rank == (reference + halfRanks.filter { !reference.contains($0) }).firstIndex(of: world.rank),
              "\(name): union rank \(String(describing: unionGroup.rank))")

    // Inclusion and exclusion by ranks and ranges.
    let evens = Array(stride(from: 0, to: group.size, by: 2))
    try check(try worldRanks(group.including(evens)) == evens.map { reference[$0] }, "\(name): incl evens")
    try check(try worldRanks(group.excluding([0])) == Array(reference.dropFirst()), "\(name): excl 0")
    let odds = Array(stride(from: 1, to: group.size, by: 2))
    try check(try worldRanks(group.excluding(evens)) == odds.map { reference[$0] }, "\(name): excl evens")
    let last = group.size - 1
    let down = Array(stride(from: last, through: 0, by: -2))
    try check(try worldRanks(group.including(ranges: [stride(from: last, through: 0, by: -2)])) == down.map { reference[$0] },
              "\(name): range incl down")
    let twoRanges = [stride(from: 0, through: last / 2, by: 1), stride(from: last, through: last / 2 + 1, by: -1)]
    let twoRanks = twoRanges.flatMap { Array($0) }
    try check(try worldRanks(group.including(ranges: twoRanges)) == twoRanks.map { reference[$0] },
              "\(name): two ranges incl \(twoRanks)")
    try check(try worldRanks(group.excluding(ranges: [stride(from: 0, through: last, by: 2)])) == odds.map { reference[$0] },
              "\(name): range excl evens")
    try check(try group.excluding(ranges: twoRanges).size == 0, "\(name): range excl all")
    try check(try group.including(ranges: [stride(from: 1, through: 0, by: 1)]).size == 0, "\(name): empty range")

    // communicator(for:): collective; the even ranks of comm join.
    let evenGroup = try group.including(evens)
    let made = try comm.communicator(for: evenGroup)
    if let index = evens.firstIndex(of: comm.rank) {
        guard let made else { throw CheckFailure(description: "\(name): member got no communicator") }
        try check(made.size == evens.count && made.rank == index, "\(name): created \(made)")
        let sum = try made.allReduce(world.rank, .sum)
        try check(sum == evens.map { reference[$0] }.reduce(0, +), "\(name): created allReduce \(sum)")
        try check(try made.group.compare(with: evenGroup) == .identical, "\(name): created group")
    } else {
        try check(made == nil, "\(name): non-member got a communicator")
    }

    // communicator(forMembersOf:): only the odd ranks call it (at 1 rank, rank 0 alone).
    let callers = comm.size > 1 ? odds : [0]
    let callerGroup = try group.including(callers)
    if let index = callers.firstIndex(of: comm.rank) {
        guard let own = try comm.communicator(forMembersOf: callerGroup, tag: 7) else {
            throw CheckFailure(description: "\(name): member got no communicator from create_group")
        }
        try check(own.size == callers.count && own.rank == index, "\(name): create_group \(own)")
        let sum = try own.allReduce(world.rank, .sum)
        try check(sum == callers.map { reference[$0] }.reduce(0, +), "\(name): create_group allReduce \(sum)")
    }
    try comm.barrier()
}
