import MPI

// Suites for a job spread over several hosts (Tests/Multihost/run.sh runs
// them over three network namespaces on one machine, `make test-multihost`).
//
//   mpi-test-programs multihost HOSTS
//       processor names gathered everywhere, HOSTS distinct hosts required;
//       a ring of checksummed messages of 16 B to 4 MiB at every distance
//       (so every pair of ranks, across hosts and within them, exchanges
//       messages both ways); an all-reduce and a broadcast from every root,
//       each checked against values every rank computes itself.
//   mpi-test-programs multihost-traffic SECONDS
//       keeps the ring and an all-reduce busy for SECONDS, rank 0 printing a
//       line per round: the job the link-down test cuts.

/// One 64-bit value from a seed (splitmix64): message contents every rank
/// can compute for any sender.
@inline(__always)
func mix64(_ seed: UInt64) -> UInt64 {
    var z = seed &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// `x` with two decimals, without Foundation.
func hundredths(_ x: Double) -> String {
    let scaled = Int((x * 100).rounded())
    let fraction = abs(scaled % 100)
    return "\(scaled / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// FNV-1a over 64-bit words.
func checksum64(_ words: ArraySlice<UInt64>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for word in words { hash = (hash ^ word) &* 0x0000_0100_0000_01B3 }
    return hash
}

/// `count` words (at least 2): `count - 1` words drawn from `seed`, then their checksum.
func checksummedMessage(count: Int, seed: UInt64) -> [UInt64] {
    var words = [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count - 1 { buffer[i] = mix64(seed &+ UInt64(i) &* 0x1_0000_0001) }
        initialized = count - 1
    }
    words.append(checksum64(words[...]))
    return words
}

/// Checks a message received from `sender`: its own checksum, and that it is
/// the very message `sender` made from `seed`.
func checkMessage(_ words: [UInt64], count: Int, seed: UInt64, what: String) throws {
    try check(words.count == count, "\(what): \(words.count) words, expected \(count)")
    let body = words[..<(count - 1)]
    let sum = checksum64(body)
    try check(sum == words[count - 1], "\(what): checksum \(sum) does not match the trailer \(words[count - 1])")
    let expected = checksummedMessage(count: count, seed: seed)
    try check(words == expected, "\(what): contents differ from what the sender made")
}

func seed(sender: Int, size: Int, distance: Int, round: Int = 0) -> UInt64 {
    UInt64(sender) << 48 ^ UInt64(size) << 16 ^ UInt64(distance) << 8 ^ UInt64(round) << 40
}

/// Every rank's processor name, gathered on every rank (lengths with
/// all-gather, then the UTF-8 bytes with all-gather-v).
func gatherProcessorNames(_ world: Communicator) throws -> [String] {
    let mine = Array(try MPI.processorName().utf8)
    let lengths = try world.allGather(mine.count)
    let bytes = try world.allGather(mine, counts: lengths)
    var names: [String] = []
    var offset = 0
    for length in lengths {
        names.append(String(decoding: bytes[offset..<offset + length], as: UTF8.self))
        offset += length
    }
    return names
}

/// Sizes in 64-bit words: 16 B, 4 KiB, just over TCP's 64 KiB eager limit, 1 MiB, 4 MiB.
let multihostMessageWords = [2, 512, 8_193, 131_072, 524_288]

func multihost(_ world: Communicator) throws {
    let arguments = CommandLine.arguments
    guard arguments.count > 2, let expectedHosts = Int(arguments[2]), expectedHosts > 0 else {
        throw CheckFailure(description: "usage: mpi-test-programs multihost HOSTS")
    }
    let start = try MPI.wallTime()

    // 1. Where every rank runs: all ranks see the same table, each its own
    //    name in its own place, and the job spans the expected number of hosts.
    let names = try gatherProcessorNames(world)
    let myName = try MPI.processorName()
    try check(names[world.rank] == myName, "rank \(world.rank) sees \(names[world.rank]) in its own slot, is on \(myName)")
    let tableSum = checksum64(ArraySlice(names.joined(separator: "\n").utf8.map { UInt64($0) }))
    let lowest = try world.allReduce(tableSum, .min)
    let highest = try world.allReduce(tableSum, .max)
    try check(lowest == tableSum && highest == tableSum, "ranks gathered different tables of processor names")
    let hosts = Array(Set(names)).sorted()
    try check(hosts.count == expectedHosts,
              "the job ran on \(hosts.count) host(s) (\(hosts.joined(separator: ", "))), expected \(expectedHosts)")
    // The name broadcast from each root is the one the gather found there.
    for root in 0..<world.size {
        var bytes = world.rank == root ? Array(myName.utf8) : [UInt8](repeating: 0, count: names[root].utf8.count)
        try world.broadcast(&bytes, root: root)
        try check(String(decoding: bytes, as: UTF8.self) == names[root], "broadcast name from \(root): \(bytes)")
    }

    // 2. Point to point: at every distance, send to rank + d and receive from
    //    rank - d, every size, each message checked word by word.
    var crossHostMessages = 0
    var bytesChecked = 0
    for distance in 1..<max(world.size, 2) where world.size > 1 {
        let destination = (world.rank + distance) % world.size
        let source = (world.rank + world.size - distance) % world.size
        for count in multihostMessageWords {
            let outgoing = checksummedMessage(count: count, seed: seed(sender: world.rank, size: count, distance: distance))
            let incoming: [UInt64] = try world.sendReceive(outgoing, to: destination, sendTag: distance,
                                                           from: source, receiveTag: distance)
            try checkMessage(incoming, count: count, seed: seed(sender: source, size: count, distance: distance),
                             what: "rank \(world.rank): \(count * 8) bytes from rank \(source) (\(names[source]))")
            if names[source] != myName { crossHostMessages += 1 }
            bytesChecked += count * 8
        }
    }
    let totalCrossHost = try world.allReduce(crossHostMessages, .sum)
    let totalBytes = try world.allReduce(bytesChecked, .sum)
    if expectedHosts > 1 {
        try check(totalCrossHost > 0, "no message crossed between hosts")
    }

    // 3. All-reduce of 2 MiB of Int64 (rank-dependent, checked element by
    //    element against the closed form) and of a Double.
    let n = 262_144
    let contribution = (0..<n).map { Int64(world.rank + 1) * Int64($0 % 1000 + 1) }
    let sums = try world.allReduce(contribution, .sum)
    let rankSum = Int64(world.size * (world.size + 1) / 2)
    for i in 0..<n where sums[i] != rankSum * Int64(i % 1000 + 1) {
        throw CheckFailure(description: "all-reduce element \(i): \(sums[i]), expected \(rankSum * Int64(i % 1000 + 1))")
    }
    let maxRank = try world.allReduce(world.rank, .max)
    try check(maxRank == world.size - 1, "all-reduce max: \(maxRank)")
    let half = try world.allReduce(0.5, .sum)
    try check(half == 0.5 * Double(world.size), "all-reduce of 0.5: \(half)")

    // 4. Broadcast 1 MiB of checksummed words from every root.
    for root in 0..<world.size {
        let words = 131_072
        let rootSeed = seed(sender: root, size: words, distance: 255)
        var buffer = world.rank == root
            ? checksummedMessage(count: words, seed: rootSeed)
            : [UInt64](repeating: 0, count: words)
        try world.broadcast(&buffer, root: root)
        try checkMessage(buffer, count: words, seed: rootSeed, what: "rank \(world.rank): broadcast from root \(root)")
    }

    let seconds = try MPI.wallTime() - start
    print("multihost: rank \(world.rank) on \(myName)")
    try world.barrier()
    if world.rank == 0 {
        let placement = hosts.map { host in
            "\(host): ranks " + names.indices.filter { names[$0] == host }.map(String.init).joined(separator: ",")
        }
        print("multihost: \(world.size) ranks on \(hosts.count) host(s) (\(placement.joined(separator: "; ")))")
        print("multihost: \(totalBytes) bytes in point-to-point messages checked, \(totalCrossHost) of "
              + "\(world.size * (world.size - 1) * multihostMessageWords.count) messages crossed between hosts; "
              + "all-reduce, broadcasts and all-gather of names checked; \(hundredths(seconds)) s")
    }
}

/// The job the link-down test cuts: ring traffic and an all-reduce for
/// `SECONDS` seconds, rank 0 printing (and flushing) a line per round.
func multihostTraffic(_ world: Communicator) throws {
    let arguments = CommandLine.arguments
    let duration = arguments.count > 2 ? Double(arguments[2]) ?? 600 : 600
    let start = try MPI.wallTime()
    let words = 32_768   // 256 KiB: past the eager limit, several TCP segments
    var round = 0
    while true {
        // Every rank decides with the same all-reduce whether to go on.
        let elapsed = try world.allReduce(try MPI.wallTime() - start, .max)
        if elapsed >= duration { break }
        let outgoing = checksummedMessage(count: words, seed: seed(sender: world.rank, size: words, distance: 1, round: round))
        let incoming: [UInt64] = try world.sendReceive(outgoing, to: world.right, sendTag: 1, from: world.left, receiveTag: 1)
        try checkMessage(incoming, count: words,
                         seed: seed(sender: world.left, size: words, distance: 1, round: round),
                         what: "rank \(world.rank): round \(round) from rank \(world.left)")
        if world.rank == 0 {
            print("traffic: round \(round) at \(hundredths(elapsed)) s")
            fflush(nil)   // every stream: mpirun forwards the line at once
        }
        round += 1
    }
    if world.rank == 0 { print("traffic: \(round) rounds in \(hundredths(duration)) s") }
}
