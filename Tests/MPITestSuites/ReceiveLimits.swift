import MPI

/// A receive that learns its size from the message refuses
/// one beyond `MPI.receiveSizeLimit` with a clear error, discards it without
/// allocating its size, and leaves the sender and later messages unharmed.
/// Truncated and dropped messages are discarded without allocating either.
/// Ranks 0 (receiver) and 1 (sender) take part; needs 2 ranks or more.
func receiveLimits(_ world: Communicator) throws {
    let error = try expectError(.argument, argument: "bytes") { try MPI.setReceiveSizeLimit(-1) }
    try check(error.message.contains("-1"), "the error names the value: \(error)")
    try check(MPI.receiveSizeLimit == MPI.defaultReceiveSizeLimit, "default limit \(MPI.receiveSizeLimit)")
    guard world.size >= 2, world.rank < 2 else { return }

    let limit = 1_000
    let big = 100 << 20  // refused and discarded: must not raise the receiver's peak memory by this much
    if world.rank == 1 {
        // Each oversized message is followed by a small one that must arrive intact.
        for (index, bytes) in [limit + 1, 5_000, 70_000, big].enumerated() {
            try world.send([UInt8](repeating: 0xEE, count: bytes), to: 0, tag: 10 + index)
            try world.send([Int](repeating: index, count: 3), to: 0, tag: 10 + index)
        }
        try world.send([UInt8](repeating: 0xEE, count: limit), to: 0, tag: 20)  // exactly the limit: accepted
        for tag in [21, 22] { try world.send([UInt8](repeating: 0xEE, count: big), to: 0, tag: tag) }
        try world.send([UInt8](repeating: 1, count: 2_000), to: 0, tag: 23)
        _ = try world.sendReceive([UInt8](), to: 0, sendTag: 24, from: 0, receiveTag: 24, as: UInt8.self)
        return
    }

    let peakBefore = peakMemoryBytes()
    try MPI.setReceiveSizeLimit(limit)
    defer { try? MPI.setReceiveSizeLimit(MPI.defaultReceiveSizeLimit) }
    for (index, bytes) in [limit + 1, 5_000, 70_000, big].enumerated() {
        let refused = try expectError(.noMemory, argument: "MPI.receiveSizeLimit") {
            switch index % 3 {
            case 0: _ = try world.receive(UInt8.self, from: 1, tag: 10 + index)
            case 1: _ = try world.receiveWithStatus(Int32.self, from: 1, tag: 10 + index)
            default: _ = try world.matchedProbe(from: 1, tag: 10 + index).receive(UInt8.self)
            }
        }
        for fact in ["\(bytes) bytes", "rank 1", "tag \(10 + index)", "\(limit) bytes"] {
            try check(refused.message.contains(fact), "the error says \(fact): \(refused)")
        }
        let next: [Int] = try world.receive(from: 1, tag: 10 + index)
        try check(next == [index, index, index], "the message after a refused one: \(next)")
    }
    let atLimit: [UInt8] = try world.receive(from: 1, tag: 20)
    try check(atLimit.count == limit, "a message of exactly the limit is accepted: \(atLimit.count)")

    // A truncated message keeps what fits, and a dropped matched message is
    // discarded; neither allocates the message's size.
    var small = [UInt8](repeating: 0, count: 16)
    try expectError(.truncate) { try world.receive(into: &small, from: 1, tag: 21) }
    // The guard keeps the part that fits; where no guard is needed, MPI
    // leaves the buffer undefined after a truncation (MPICH does not fill it).
    if MPI.truncationGuard == .guarded {
        try check(small == [UInt8](repeating: 0xEE, count: 16), "the part of a truncated message that fits: \(small)")
    }
    do { _ = try world.matchedProbe(from: 1, tag: 22) }  // dropped unreceived
    let growth = peakMemoryBytes() - peakBefore
    try check(growth < big / 2, "refusing and discarding \(big)-byte messages raised peak memory by \(growth) bytes")

    // A sendReceive's array is limited too; a buffer of one's own is not.
    try expectError(.noMemory, argument: "MPI.receiveSizeLimit") {
        _ = try world.sendReceive([UInt8](), to: 1, sendTag: 24, from: 1, receiveTag: 23, as: UInt8.self)
    }
    _ = try world.receive(UInt8.self, from: 1, tag: 24)
}

/// The process's peak resident memory so far (getrusage's ru_maxrss).
func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
