@_spi(Testing) import MPI

/// The (message, buffer) sizes in bytes the guard-bytes suite receives: each
/// message into half its size, on both sides of 4 KiB, 32 KiB and 64 KiB (the
/// eager limits of Open MPI's shared memory and TCP and of MPICH) up to 4 MiB,
/// and long messages into buffers small enough for the blocking swapped-type guard.
let guardByteCases: [(message: Int, capacity: Int)] =
    [100, 1000, 4095, 4096, 4097, 8192, 32767, 32768, 32769, 65535, 65536, 65537, 131_072, 1 << 20, 4 << 20]
        .map { ($0, $0 / 2) } + [(1 << 20, 256), (65536, 2)]

/// The bytes of the longest message; shorter ones are its first bytes.
private let guardBytesMessage = (0..<guardByteCases.map(\.message).max()!).map {
    UInt8(truncatingIfNeeded: $0 &* 7 &+ 3)
}

/// Every way a receive is made into a caller's buffer of fixed size (owned
/// arrays and send-receives post the same receives), then the unguarded receives.
let guardByteModes = ["receive", "ireceive", "matched", "wait-all", "unsafe-receive", "unsafe-ireceive"]

/// Messages longer than their buffers, received every way there is, with
/// guard bytes after each buffer: rank 1 receives what rank 0 sends, then
/// what it sends itself (a transport of its own in Open MPI, self); other
/// ranks wait. Under the active `MPI.truncationGuard`, each receive throws
/// a truncation error, fills the buffer with the message's first bytes and
/// changes no guard byte. The unsafe receives, which skip the guard, write
/// past the buffer exactly where the policy says MPI would (none where it is
/// `.unneeded`), and their error says so. With `unguarded`, the guard is
/// switched off and the suite prints how many guard bytes MPI itself wrote
/// (the C twin, Tests/GuardBytesC, makes the same receives without a binding).
/// SWIFT_MPI_EXPECTED_GUARD, where set, is the policy the launch's transport
/// settings must give.
func guardBytes(_ world: Communicator, unguarded: Bool) throws {
    guard world.size >= 2 else { return }
    if let value = getenv("SWIFT_MPI_EXPECTED_GUARD") {
        let expected = String(cString: value)
        try check("\(MPI.truncationGuard)".hasPrefix(expected + " "),
                  "the truncation guard is \(MPI.truncationGuard), expected \(expected)")
    }
    if unguarded { MPI.setTruncationGuard(.unneeded) }
    if world.rank == 1 {
        print("truncation guard: \(MPI.truncationGuard)")
        if unguarded { print("mode\tsize\tcapacity\tbytes_past_buffer") }
    }
    for source in [0, 1] {
        for mode in guardByteModes {
            for (messageBytes, capacity) in guardByteCases {
                var sends = RequestSet<Status>()
                if world.rank == source {
                    let message = Array(guardBytesMessage[..<messageBytes])
                    sends.append(try world.isend(message, to: 1, tag: 1))
                    if mode == "wait-all" { sends.append(try world.isend([UInt8](repeating: 0x22, count: 10), to: 1, tag: 2)) }
                }
                if world.rank == 1 {
                    let past = try receiveShort(world, mode: mode, from: source, messageBytes: messageBytes,
                                                capacity: capacity, unguarded: unguarded)
                    if unguarded { print("\(source == 1 ? "self-" : "")\(mode)\t\(messageBytes)\t\(capacity)\t\(past)") }
                }
                try sends.waitForAll()
                try world.barrier()
            }
        }
    }
    if unguarded { MPI.setTruncationGuard(.guarded) }
}

/// Receives a message of `messageBytes` bytes into `capacity` bytes followed
/// by guard bytes, the way `mode` says, and returns how many guard bytes
/// changed (checking that none did unless `unguarded`).
private func receiveShort(_ world: Communicator, mode: String, from source: Int, messageBytes: Int, capacity: Int,
                          unguarded: Bool) throws -> Int {
    let guardValue: UInt8 = 0xAB
    let what = "\(mode) receive from rank \(source) of \(messageBytes) bytes into \(capacity) (\(MPI.truncationGuard))"
    // Room for all the message could spill, so that an overrun is counted, not a crash.
    var memory = [UInt8](repeating: guardValue, count: messageBytes + 64)
    let error: MPIError = try memory.withUnsafeMutableBufferPointer { memory in
        var target = UnsafeMutableBufferPointer(rebasing: memory[..<capacity])
        return try expectError(.truncate) {
            switch mode {
            case "receive":
                try world.receive(into: &target, from: source, tag: 1)
            case "ireceive":
                try world.ireceive(into: target, from: source, tag: 1).wait()
            case "matched":
                try world.matchedProbe(from: source, tag: 1).receive(into: &target)
            case "unsafe-receive":
                try world.unsafeReceive(into: &target, from: source, tag: 1)
            case "unsafe-ireceive":
                try world.unsafeIreceive(into: target, from: source, tag: 1).wait()
            default:
                try receiveSecondInWaitAll(world, into: target, from: source, what: what)
            }
        }
    }
    let past = memory[capacity...].count { $0 != guardValue }
    guard !unguarded else { return past }
    if mode.hasPrefix("unsafe") {
        // MPI's own behavior: an overrun only where the guard is on, and then
        // the error does not claim that nothing was written past the buffer.
        try check(past == 0 || MPI.truncationGuard == .guarded, "\(what) wrote \(past) bytes past the buffer")
        try check(error.message.contains("may have written past the buffer"), "\(what): error says \(error.message)")
        return past
    }
    try check(error.message.contains("nothing was written past the buffer"), "\(what): error says \(error.message)")
    try check(past == 0, "\(what) wrote \(past) bytes past the buffer")
    // The guard leaves the message's first bytes; MPI itself leaves the
    // buffer undefined after a truncation (MPICH 4.0 does not fill it).
    if MPI.truncationGuard == .guarded {
        try check(memory[..<capacity].elementsEqual(guardBytesMessage[..<capacity]),
                  "\(what): the buffer does not hold the message's first bytes")
    }
    return past
}
