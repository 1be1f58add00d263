@_spi(Testing) import MPI

/// The (message, buffer) sizes in bytes the guard-bytes suite receives: each
/// message into half its size, on both sides of 4 KiB, 32 KiB and 64 KiB (the
/// eager limits of Open MPI's shared memory and TCP and of MPICH) up to 4 MiB,
/// and long messages into buffers small enough for the blocking swapped-type guard.
let guardByteCases: [(message: Int, capacity: Int)] =
    [100, 1000, 4095, 4096, 4097, 8192, 32767, 32768, 32769, 65535, 65536, 65537, 131_072, 1 << 20, 4 << 20]
        .map { ($0, $0 / 2) } + [(1 << 20, 256), (65536, 2)]

/// Every way a receive is made into a caller's buffer of fixed size (owned
/// arrays and send-receives post the same receives), then the unguarded receives.
let guardByteModes = ["receive", "ireceive", "matched", "wait-all", "unsafe-receive", "unsafe-ireceive"]

/// Messages longer than their buffers, received every way there is, with
/// guard bytes after each buffer (rank 1 receives what rank 0 sends; other
/// ranks wait). Under the active `MPI.truncationGuard`, each receive throws
/// a truncation error, fills the buffer with the message's first bytes and
/// changes no guard byte. The unsafe receives, which skip the guard, write
/// past the buffer exactly where the policy says MPI would (none where it is
/// `.unneeded`), and their error says so. With `unguarded`, the guard is
/// switched off and the suite prints how many guard bytes MPI itself wrote
/// (the C twin, Tests/GuardBytesC, makes the same receives without a binding).
func guardBytes(_ world: Communicator, unguarded: Bool) throws {
    guard world.size >= 2 else { return }
    if unguarded { MPI.setTruncationGuard(.unneeded) }
    if world.rank == 1 {
        print("truncation guard: \(MPI.truncationGuard)")
        if unguarded { print("mode\tsize\tcapacity\tbytes_past_buffer") }
    }
    for mode in guardByteModes {
        for (messageBytes, capacity) in guardByteCases {
            if world.rank == 0 {
                let message = (0..<messageBytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
                try world.send(message, to: 1, tag: 1)
                if mode == "wait-all" { try world.send([UInt8](repeating: 0x22, count: 10), to: 1, tag: 2) }
            } else if world.rank == 1 {
                let past = try receiveShort(world, mode: mode, messageBytes: messageBytes, capacity: capacity,
                                            unguarded: unguarded)
                if unguarded { print("\(mode)\t\(messageBytes)\t\(capacity)\t\(past)") }
            }
            try world.barrier()
        }
    }
    if unguarded { MPI.setTruncationGuard(.guarded) }
}

/// Receives a message of `messageBytes` bytes into `capacity` bytes followed
/// by guard bytes, the way `mode` says, and returns how many guard bytes
/// changed (checking that none did unless `unguarded`).
private func receiveShort(_ world: Communicator, mode: String, messageBytes: Int, capacity: Int,
                          unguarded: Bool) throws -> Int {
    let guardValue: UInt8 = 0xAB
    let what = "\(mode) receive of \(messageBytes) bytes into \(capacity) (\(MPI.truncationGuard))"
    // Room for all the message could spill, so that an overrun is counted, not a crash.
    var memory = [UInt8](repeating: guardValue, count: messageBytes + 64)
    let error: MPIError = try memory.withUnsafeMutableBufferPointer { memory in
        var target = UnsafeMutableBufferPointer(rebasing: memory[..<capacity])
        return try expectError(.truncate) {
            switch mode {
            case "receive":
                try world.receive(into: &target, from: 0, tag: 1)
            case "ireceive":
                try world.ireceive(into: target, from: 0, tag: 1).wait()
            case "matched":
                try world.matchedProbe(from: 0, tag: 1).receive(into: &target)
            case "unsafe-receive":
                try world.unsafeReceive(into: &target, from: 0, tag: 1)
            case "unsafe-ireceive":
                try world.unsafeIreceive(into: target, from: 0, tag: 1).wait()
            default:
                try receiveSecondInWaitAll(world, into: target, what: what)
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
        let expected = (0..<capacity).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        try check(Array(memory[..<capacity]) == expected, "\(what): the buffer does not hold the message's first bytes")
    }
    return past
}
