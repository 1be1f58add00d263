import MPI

/// Every collective against a serial reference each rank computes itself,
/// over world, self and a duplicate of world (cases 6, 15, 16, 24).
func collectives(_ world: Communicator) throws {
    for comm in try communicators(of: world) {
        for count in smallCounts {
            try dataMovement(comm, Int32.self, count: count)
            try dataMovement(comm, Double.self, count: count)
            try dataMovement(comm, Bool.self, count: count)
            try dataMovement(comm, UInt8.self, count: count)
        }
        try dataMovement(comm, Int64.self, count: largeCount)
        try vectorCollectives(comm, scale: 1)
        try vectorCollectives(comm, scale: largeCount / 2)   // blocks of up to 1 MiB of Int32
        try scalarForms(comm)
        try comm.barrier()
    }
}

/// Broadcast, scatter, gather, all-gather and all-to-all of `count`
/// elements per rank, in their returning, `into:` and in-place forms.
func dataMovement<T: TestValue>(_ comm: Communicator, _ type: T.Type, count: Int) throws {
    let rank = comm.rank, size = comm.size
    let what = "\(T.self) x \(count) at \(size) ranks"
    for root in Set([0, size - 1]).sorted() {
        // Broadcast (case 16: also zero elements).
        let rootData = contribution(T.self, rank: root, count: count)
        var buffer = rank == root ? rootData : contribution(T.self, rank: rank, count: count, salt: 1)
        try comm.broadcast(&buffer, root: root)
        try check(buffer == rootData, "broadcast \(what)")

        // Scatter: block i of the root's array goes to rank i.
        let all = contribution(T.self, rank: root, count: count * size, salt: 2)
        let block = Array(all[(rank * count)..<((rank + 1) * count)])
        try check(try comm.scatter(rank == root ? all : [], count: count, root: root) == block, "scatter \(what)")
        var into = contribution(T.self, rank: rank, count: count, salt: 3)
        try comm.scatter(rank == root ? all : [], into: &into, root: root)
        try check(into == block, "scatter into \(what)")
        var inPlace = rank == root ? all : contribution(T.self, rank: rank, count: count, salt: 4)
        try comm.scatter(inPlace: &inPlace, root: root)           // case 24
        try check(rank == root ? inPlace == all : inPlace == block, "scatter in place \(what)")

        // Gather: rank order at the root, nothing elsewhere.
        let mine = contribution(T.self, rank: rank, count: count, salt: 5)
        let expected = (0..<size).flatMap { contribution(T.self, rank: $0, count: count, salt: 5) }
        let gathered = try comm.gather(mine, root: root)
        try check(rank == root ? gathered == expected : gathered.isEmpty, "gather \(what)")
        var gatherBuffer = rank == root
            ? (0..<size).flatMap { $0 == rank ? mine : contribution(T.self, rank: $0, count: count, salt: 6) }
            : mine
        try comm.gather(inPlace: &gatherBuffer, root: root)      // case 24
        try check(rank == root ? gatherBuffer == expected : gatherBuffer == mine, "gather in place \(what)")
    }

    // All-gather, into and in place.
    let mine = contribution(T.self, rank: rank, count: count, salt: 7)
    let everyone = (0..<size).flatMap { contribution(T.self, rank: $0, count: count, salt: 7) }
    try check(try comm.allGather(mine) == everyone, "allGather \(what)")
    var allInto = contribution(T.self, rank: rank, count: count * size, salt: 8)
    try comm.allGather(mine, into: &allInto)
    try check(allInto == everyone, "allGather into \(what)")
    var allInPlace = (0..<size).flatMap { $0 == rank ? mine : contribution(T.self, rank: rank, count: count, salt: 9) }
    try comm.allGather(inPlace: &allInPlace)                    // case 24
    try check(allInPlace == everyone, "allGather in place \(what)")

    // All-to-all: block j of rank i's array goes to rank j, as block i.
    func block(from sender: Int, to receiver: Int) -> [T] {
        contribution(T.self, rank: sender * 100 + receiver, count: count, salt: 10)
    }
    let outgoing = (0..<size).flatMap { block(from: rank, to: $0) }
    let incoming = (0..<size).flatMap { block(from: $0, to: rank) }
    try check(try comm.allToAll(outgoing) == incoming, "allToAll \(what)")
    var exchanged = outgoing
    try comm.allToAll(inPlace: &exchanged)                      // case 24
    try check(exchanged == incoming, "allToAll in place \(what)")
}

/// Scatterv, gatherv, all-gatherv and all-to-allv with displacements, gaps
/// and zero counts (case 15).
func vectorCollectives(_ comm: Communicator, scale: Int) throws {
    let rank = comm.rank, size = comm.size
    // Rank i owns (i * 2) % 5 elements (rank 0 and every fifth: none),
    // laid out with a gap of 3 after each block.
    let counts = (0..<size).map { ($0 * 2) % 5 * scale }
    var displacements: [Int] = []
    var offset = 0
    for count in counts { displacements.append(offset); offset += count + 3 }
    let length = offset

    let source = (0..<length).map { Int32($0 * 10 + 1) }
    func block(_ owner: Int) -> [Int32] { Array(source[displacements[owner]..<(displacements[owner] + counts[owner])]) }

    for root in Set([0, size - 1]).sorted() {
        let mine = try comm.scatter(rank == root ? source : [], counts: counts, displacements: displacements, root: root)
        try check(mine == block(rank), "scatterv with gaps, \(mine.count) elements")
        let packed = try comm.scatter(rank == root ? (0..<size).flatMap(block) : [], counts: counts, root: root)
        try check(packed == block(rank), "scatterv packed, \(packed.count) elements")

        let gathered = try comm.gather(block(rank), counts: counts, displacements: displacements, root: root)
        if rank == root {
            // Blocks in place, gaps zero.
            // The result ends with the last block; gaps between blocks hold zeros.
            let end = (0..<size).map { displacements[$0] + counts[$0] }.max() ?? 0
            var expected = [Int32](repeating: 0, count: end)
            for owner in 0..<size { expected.replaceSubrange(displacements[owner]..<(displacements[owner] + counts[owner]), with: block(owner)) }
            try check(gathered == expected, "gatherv with gaps, \(gathered.count) elements")
        } else {
            try check(gathered.isEmpty, "gatherv off the root")
        }
    }

    // All-gatherv with the blocks in reverse rank order, so that the
    // displacements, not rank order, place them.
    var reverse: [Int] = Array(repeating: 0, count: size)
    var position = 0
    for owner in (0..<size).reversed() { reverse[owner] = position; position += counts[owner] + 1 }
    let everyone = try comm.allGather(block(rank), counts: counts, displacements: reverse)
    for owner in 0..<size {
        try check(Array(everyone[reverse[owner]..<(reverse[owner] + counts[owner])]) == block(owner), "allgatherv block \(owner)")
    }

    // All-to-allv: rank i sends (i + j) % 3 elements to rank j.
    func amount(_ from: Int, _ to: Int) -> Int { (from + to) % 3 * scale }
    func payload(_ from: Int, _ to: Int) -> [Double] { (0..<amount(from, to)).map { Double(from * 1000 + to * 10 + $0) } }
    let sendCounts = (0..<size).map { amount(rank, $0) }
    let receiveCounts = (0..<size).map { amount($0, rank) }
    // Send blocks with a one-element gap between them; receive packed.
    var sendDisplacements: [Int] = []
    var sendBuffer: [Double] = []
    for peer in 0..<size {
        sendDisplacements.append(sendBuffer.count)
        sendBuffer += payload(rank, peer) + [-1]
    }
    let received = try comm.allToAll(sendBuffer, sendCounts: sendCounts, sendDisplacements: sendDisplacements,
                                     receiveCounts: receiveCounts)
    try check(received == (0..<size).flatMap { payload($0, rank) }, "alltoallv, \(received.count) elements")

    // Case 6: all counts zero.
    let none = try comm.allToAll([Int](), sendCounts: Array(repeating: 0, count: size),
                                 receiveCounts: Array(repeating: 0, count: size))
    try check(none.isEmpty, "alltoallv of nothing")
    try check(try comm.gather([Int](), counts: Array(repeating: 0, count: size), root: 0).isEmpty, "gatherv of nothing")
}

/// The scalar forms.
func scalarForms(_ comm: Communicator) throws {
    let rank = comm.rank, size = comm.size
    try check(try comm.broadcast(rank * 3 + 1, root: size - 1) == (size - 1) * 3 + 1, "scalar broadcast")
    try check(try comm.scatter(rank == 0 ? (0..<size).map { $0 * $0 } : [], root: 0) == rank * rank, "scalar scatter")
    try check(try comm.gather(Float(rank), root: 0) == (rank == 0 ? (0..<size).map(Float.init) : []), "scalar gather")
    try check(try comm.allGather(UInt16(rank)) == (0..<size).map { UInt16($0) }, "scalar allGather")
}
