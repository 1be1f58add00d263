import MPI

/// Cases 4 and 5: a message longer than the receive buffer throws a truncation
/// error and writes nothing past the buffer, for short (< 4 KiB), medium
/// (4-64 KiB) and long (> 64 KiB) messages, blocking and nonblocking, alone and
/// inside a wait-all. Needs 2 ranks or more; ranks 0 and 1 take part.
func truncation(_ world: Communicator) throws {
    try nonblockingReceivesAreExact(world)
    guard world.size >= 2 else { return }
    let guardBytes = 64 * 1024
    let guardValue: UInt8 = 0xAB
    for messageBytes in [100, 5_000, 100_000, 1 << 20] {
        let capacity = messageBytes / 2
        for mode in ["blocking", "nonblocking", "matched", "wait-all"] {
            if world.rank == 0 {
                try world.send([UInt8](repeating: 0x11, count: messageBytes), to: 1, tag: 1)
                if mode == "wait-all" { try world.send([UInt8](repeating: 0x22, count: 10), to: 1, tag: 2) }
            } else if world.rank == 1 {
                let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity + guardBytes)
                defer { memory.deallocate() }
                memory.initialize(repeating: guardValue)
                var target = UnsafeMutableBufferPointer(rebasing: memory[..<capacity])
                let what = "\(mode) receive of \(messageBytes) bytes into \(capacity)"
                let error = try expectError(.truncate) {
                    switch mode {
                    case "blocking":
                        try world.receive(into: &target, from: 0, tag: 1)
                    case "nonblocking":
                        try world.ireceive(into: target, from: 0, tag: 1).wait()
                    case "matched":
                        try world.matchedProbe(from: 0, tag: 1).receive(into: &target)
                    default:
                        try receiveSecondInWaitAll(world, into: target, what: what)
                    }
                }
                try check(!error.message.isEmpty, "truncation error without message")
                let overwritten = memory[capacity...].firstIndex { $0 != guardValue }
                try check(overwritten == nil,
                          "\(what) wrote past the buffer, at byte \(overwritten.map { $0 - capacity } ?? 0) after it")
            }
            try world.barrier()
        }
    }
}

/// Nonblocking receives are posted through a byte-swapping datatype (see
/// Sources/MPI/Internals/SwappedReceive.swift); whatever the buffer's and the
/// message's sizes, the caller sees exactly the bytes sent, in order, the
/// rest of the buffer untouched, and the right count.
func nonblockingReceivesAreExact(_ world: Communicator) throws {
    let peer = world.size > 1 ? (world.rank ^ 1) : world.rank
    guard peer < world.size else { return }           // odd rank out at odd sizes
    for capacity in [0, 1, 2, 3, 8, 4096, 70_000] {
        for length in Set([0, 1, 2, 3, capacity - 1, capacity, capacity + 1, 2 * capacity + 5]).sorted() where length >= 0 {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            let sending = try world.isend(message, to: peer, tag: 60)
            var buffer = [UInt8](repeating: 0xEE, count: capacity)
            let receiving = try world.ireceive(into: buffer, from: peer, tag: 60)
            do {
                let status: Status
                (buffer, status) = try receiving.wait()
                try check(length <= capacity, "no truncation error for \(length) bytes into \(capacity)")
                try check(status.count == length && status.source == peer, "status \(status) for \(length)")
                try check(Array(buffer[..<length]) == message, "data of \(length) bytes into \(capacity)")
                try check(buffer[length...].allSatisfy { $0 == 0xEE }, "bytes after the message changed")
            } catch MPIError.Class.truncate {
                try check(length > capacity, "truncation error for \(length) bytes into \(capacity)")
            }
            try sending.wait()
            // The owned-array form trims the array to the message.
            let again = try world.isend(message, to: peer, tag: 61)
            if length <= capacity {
                let (received, _) = try world.ireceive(UInt8.self, count: capacity, from: peer, tag: 61).wait()
                try check(received == message, "ireceive(count:) of \(length) into \(capacity)")
            } else {
                try expectError(.truncate) { _ = try world.ireceive(UInt8.self, count: capacity, from: peer, tag: 61).wait() }
            }
            try again.wait()
        }
    }
}
