import MPI

/// Messages of more than Int32.max elements (and bytes), at
/// exactly 2 ranks. Blocking and nonblocking send and receive, receive into a
/// new array, matched probe, broadcast, in-place all-reduce and reduce, each checked
/// byte for byte, with counts reported beyond Int32.max. About 2.2 GB per
/// buffer: at most two such buffers live per rank at a time, but for the
/// objects (an encoding beside the value: four).
func largeCounts(_ world: Communicator) throws {
    guard world.size == 2 else {
        throw CheckFailure(description: "large-counts runs at exactly 2 ranks (memory), not \(world.size)")
    }
    let count = Int(Int32.max) + 4_099  // bytes and elements: beyond int, not a multiple of the 2^30 chunk
    let peer = 1 - world.rank
    let clock = Clock()

    // Blocking: rank 0 sends, rank 1 probes, then receives into its buffer.
    if world.rank == 0 {
        try world.send(PeriodicBytes(count: count, seed: 1).bytes, to: 1, tag: 1)
    } else {
        let probed = try world.probe(from: 0, tag: 1)
        try check(probed.byteCount == count, "probe: \(probed.byteCount) bytes, expected \(count)")
        var received = PeriodicBytes.zeroed(count: count)
        let status = try world.receive(into: &received, from: 0, tag: 1)
        try check(status.count == count, "receive into a buffer: count \(String(describing: status.count)), expected \(count)")
        try PeriodicBytes(count: count, seed: 1).expectEqual(received, "blocking receive into a buffer")
    }
    clock.lap("blocking send, probe, receive into a buffer", world)

    // Receive into a new array (within the default receive size limit), and a
    // matched probe's message into a buffer; the other direction.
    if world.rank == 1 {
        try world.send(PeriodicBytes(count: count, seed: 2).bytes, to: 0, tag: 2)
        try world.synchronousSend(PeriodicBytes(count: count, seed: 3).bytes, to: 0, tag: 3)
    } else {
        let (array, status) = try world.receiveWithStatus(UInt8.self, from: 1, tag: 2)
        try check(array.count == count && status.byteCount == count, "receive into a new array: \(array.count) elements")
        try PeriodicBytes(count: count, seed: 2).expectEqual(array, "receive into a new array")
        let message = try world.matchedProbe(from: 1, tag: 3)
        try check(message.status.byteCount == count, "matched probe: \(message.status.byteCount) bytes")
        var target = PeriodicBytes.zeroed(count: count)
        let received = try message.receive(into: &target)
        try check(received.count == count, "matched receive: count \(String(describing: received.count))")
        try PeriodicBytes(count: count, seed: 3).expectEqual(target, "matched receive")
    }
    clock.lap("receive into a new array, matched probe and receive", world)

    // Nonblocking, both directions at once.
    do {
        var incoming = PeriodicBytes.zeroed(count: count)
        let outgoing = PeriodicBytes(count: count, seed: 4 + world.rank).bytes
        let status = try incoming.withUnsafeMutableBufferPointer { buffer in
            let receive = try world.ireceive(into: buffer, from: peer, tag: 4)
            let send = try world.isend(outgoing, to: peer, tag: 4)
            _ = try send.wait()
            return try receive.wait()
        }
        try check(status.count == count, "nonblocking receive: count \(String(describing: status.count))")
        try PeriodicBytes(count: count, seed: 4 + peer).expectEqual(incoming, "nonblocking receive")
    }
    clock.lap("isend and ireceive both ways", world)

    // Broadcast from rank 1.
    do {
        var buffer = world.rank == 1 ? PeriodicBytes(count: count, seed: 6).bytes : PeriodicBytes.zeroed(count: count)
        try world.broadcast(&buffer, root: 1)
        try PeriodicBytes(count: count, seed: 6).expectEqual(buffer, "broadcast")
    }
    clock.lap("broadcast", world)

    // All-reduce in place (in chunks): the sum of both ranks' patterns, byte by
    // byte modulo 256, is again periodic.
    do {
        var buffer = PeriodicBytes(count: count, seed: 7 + world.rank).bytes
        try world.allReduce(inPlace: &buffer, .sum)
        let sum = PeriodicBytes(count: count) { i in
            PeriodicBytes.pattern(i, seed: 7) &+ PeriodicBytes.pattern(i, seed: 8)
        }
        try sum.expectEqual(buffer, "all-reduce in place")
    }
    clock.lap("all-reduce in place", world)

    // Reduce in place at rank 0 (in chunks): the larger byte of the two patterns.
    do {
        var buffer = PeriodicBytes(count: count, seed: 9 + world.rank).bytes
        try world.reduce(inPlace: &buffer, .max, root: 0)
        if world.rank == 0 {
            let larger = PeriodicBytes(count: count) { i in
                max(PeriodicBytes.pattern(i, seed: 9), PeriodicBytes.pattern(i, seed: 10))
            }
            try larger.expectEqual(buffer, "reduce in place")
        }
    }
    clock.lap("reduce in place", world)

    // Objects beyond 2 GiB: one message point to point, and an all-gather whose
    // total passes Int32.max bytes (sent in 4 KiB units).
    struct Blob: Codable { var bytes: [UInt8] }
    if world.rank == 0 {
        try world.send(object: Blob(bytes: PeriodicBytes(count: count, seed: 11).bytes), to: 1, tag: 20)
    } else {
        let blob: Blob = try world.receiveObject(from: 0, tag: 20)
        try PeriodicBytes(count: count, seed: 11).expectEqual(blob.bytes, "an object beyond 2 GiB")
    }
    clock.lap("an object beyond 2 GiB", world)
    let half = count / 2 + 1
    let gathered = try world.allGather(object: PeriodicBytes(count: half, seed: 12 + world.rank).bytes)
    for source in 0..<2 {
        try PeriodicBytes(count: half, seed: 12 + source).expectEqual(gathered[source], "the object all-gathered from rank \(source)")
    }
    clock.lap("all-gather of objects beyond 2 GiB together", world)

    // Counts beyond int in an operation that cannot split them: a clear error.
    try expectError(.count, argument: "count") {
        let send = UnsafeBufferPointer<UInt8>(start: UnsafePointer(bitPattern: 0x1000), count: count)
        var receive = [UInt8]()
        try world.allGather(send, into: &receive)
    }
}

/// A byte pattern with a period prime to the 2^30-element chunk, so that a
/// missing, repeated or shifted chunk breaks it; checked with two memcmp calls
/// (the first period against `head`, then the buffer against itself shifted
/// by one period).
struct PeriodicBytes {
    static let period = 251
    let count: Int
    /// One period of the pattern.
    let head: [UInt8]

    static func pattern(_ index: Int, seed: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: index &* 7 &+ seed &* 31 &+ 1)
    }

    init(count: Int, seed: Int) {
        self.init(count: count) { Self.pattern($0, seed: seed) }
    }

    init(count: Int, _ byte: (Int) -> UInt8) {
        self.count = count
        head = (0..<Self.period).map(byte)
    }

    /// The whole pattern: `count` bytes.
    var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let period = min(Self.period, count)
            for i in 0..<period { buffer[i] = head[i] }
            // Doubling copies: a few dozen memcpy calls fill gigabytes.
            var filled = period
            while filled < count {
                let length = min(filled / Self.period * Self.period, count - filled)
                memcpy(buffer.baseAddress! + filled, buffer.baseAddress!, length)
                filled += length
            }
            initialized = count
        }
    }

    static func zeroed(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            memset(buffer.baseAddress!, 0, count)
            initialized = count
        }
    }

    /// Throws unless `actual` is this pattern.
    func expectEqual(_ actual: [UInt8], _ what: String) throws {
        try check(actual.count == count, "\(what): \(actual.count) bytes, expected \(count)")
        let period = Self.period
        let same = actual.withUnsafeBytes { got in
            memcmp(got.baseAddress!, head, period) == 0
                && memcmp(got.baseAddress!, got.baseAddress! + period, got.count - period) == 0
        }
        if !same {
            let first = actual.indices.first { actual[$0] != head[$0 % period] } ?? -1
            throw CheckFailure(description: "\(what): bytes differ, first at offset \(first)")
        }
    }
}

/// Prints how long each step took (rank 0), so a slow machine shows where.
final class Clock {
    var last = Clock.seconds()
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
    func lap(_ step: String, _ world: Communicator) {
        let now = Clock.seconds()
        if world.rank == 0 { print("large-counts: \(step): \(Int((now - last) * 1000)) ms") }
        last = now
    }
}
