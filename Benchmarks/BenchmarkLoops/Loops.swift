// The timed loops of the OSU-method benchmarks, shared by mpi-bench and by
// the test that shows they allocate nothing per iteration. They do what
// mpi-bench-c's loops (Benchmarks/mpi-bench-c/pt2pt.c, collectives.c) do, call
// for call, following OSU Micro-Benchmarks 7.4: page-aligned buffers, the
// size's bytes filled before timing, a barrier, warm-up iterations, then timed
// ones; only the rank OSU times reads the clock, right before its first call
// and right after its last one of each timed iteration, and the figure comes
// from the sum of those intervals (the median and p99 from the same intervals).
import MPI
#if canImport(Glibc)
import Glibc
#endif

/// How the point-to-point loops receive: through the binding's checked
/// receives (`receive(into:from:tag:)`, `ireceive(into:from:tag:)`, guarded as
/// ``MPI/truncationGuard`` says), or through its opt-out
/// (`unsafeReceive(into:from:tag:)`, `unsafeIreceive(into:from:tag:)`).
public enum ReceiveMode: Sendable {
    case checked
    case unsafe
}

/// Page-aligned memory of `bytes` bytes (at least 1), as OSU allocates it
/// (posix_memalign to the page size); not touched.
public func pageAlignedBytes(_ bytes: Int) -> UnsafeMutableRawBufferPointer {
    let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 16)
    return UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes, 1), alignment: page)
}

/// The two message buffers of a point-to-point benchmark, page-aligned,
/// allocated once for the largest size (as OSU and mpi-bench-c allocate them).
public final class MessageBuffers {
    public let send: UnsafeMutableRawBufferPointer
    public let receive: UnsafeMutableRawBufferPointer

    public init(capacity: Int) {
        send = pageAlignedBytes(capacity)
        receive = pageAlignedBytes(capacity)
    }

    deinit {
        send.deallocate()
        receive.deallocate()
    }

    /// What OSU does before each size (set_buffer_pt2pt): the size's bytes
    /// set to 'a' to send and 'b' to receive.
    public func prepare(size: Int) {
        memset(send.baseAddress!, 0x61, size)
        memset(receive.baseAddress!, 0x62, size)
    }

    /// The first `size` bytes of each buffer.
    func outgoing(_ size: Int) -> UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: send.baseAddress!.assumingMemoryBound(to: UInt8.self), count: size)
    }
    func incoming(_ size: Int) -> UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: receive.baseAddress!.assumingMemoryBound(to: UInt8.self), count: size)
    }
}

@inline(__always)
func receiveBlocking(
    _ world: Communicator, into buffer: inout UnsafeMutableBufferPointer<UInt8>, from source: Int, tag: Int,
    _ mode: ReceiveMode
) throws {
    switch mode {
    case .checked: try world.receive(into: &buffer, from: source, tag: tag)
    case .unsafe: try world.unsafeReceive(into: &buffer, from: source, tag: tag)
    }
}

@inline(__always)
func receiveStarting(
    _ world: Communicator, into buffer: UnsafeMutableBufferPointer<UInt8>, from source: Int, tag: Int,
    _ mode: ReceiveMode
) throws -> Request<Status> {
    switch mode {
    case .checked: try world.ireceive(into: buffer, from: source, tag: tag)
    case .unsafe: try world.unsafeIreceive(into: buffer, from: source, tag: tag)
    }
}

/// One ping-pong series (osu_latency; with `barrierEachIteration`, a barrier
/// of all ranks before every iteration, osu_multi_lat) in `buffers`, already
/// prepared for `size`. The lower rank of the pair pings and times; ranks
/// that are not `active` only take part in the first barrier. Returns the row
/// on the pinging rank: `value` the one-way latency (us), `elapsed` the sum
/// of the timed round trips (s), median and p99 of their halves.
public func pingPong(
    _ world: Communicator, buffers: MessageBuffers, size: Int, peer: Int, active: Bool,
    barrierEachIteration: Bool = false, receives mode: ReceiveMode = .checked, iterations: Int, warmup: Int
) throws -> Row? {
    let outgoing = buffers.outgoing(size)
    var incoming = buffers.incoming(size)
    var times = IterationTimes(capacity: iterations)
    let pinging = world.rank < peer
    var total = 0.0
    try world.barrier()
    if active {
        for iteration in 0..<(warmup + iterations) {
            if barrierEachIteration { try world.barrier() }
            if pinging {
                var start = 0.0
                if iteration >= warmup { start = try MPI.wallTime() }
                try world.send(outgoing, to: peer, tag: 1)
                try receiveBlocking(world, into: &incoming, from: peer, tag: 1, mode)
                if iteration >= warmup {
                    let took = try MPI.wallTime() - start
                    total += took
                    times.record(seconds: took / 2)
                }
            } else {
                try receiveBlocking(world, into: &incoming, from: peer, tag: 1, mode)
                try world.send(outgoing, to: peer, tag: 1)
            }
        }
    }
    guard active && pinging else { return nil }
    return Row(size: size, value: total * 1e6 / Double(2 * iterations), median: times.median, p99: times.p99,
               iterations: iterations, elapsed: total)
}

/// The same in buffers of its own (allocated and prepared before the loop).
public func pingPong(_ world: Communicator, size: Int, peer: Int, active: Bool, iterations: Int, warmup: Int) throws -> Row? {
    let buffers = MessageBuffers(capacity: size)
    buffers.prepare(size: size)
    return try pingPong(world, buffers: buffers, size: size, peer: peer, active: active, iterations: iterations,
                        warmup: warmup)
}

/// OSU's bandwidth loop in `buffers`, already prepared for `size`. osu_bw:
/// the sender starts a window of sends, waits for all, and receives a 1-byte
/// acknowledgement (into its receive buffer); the receiver starts a window of
/// receives (all into one buffer, as OSU does), waits for all, and sends the
/// acknowledgement (from its send buffer). osu_bibw (`bidirectional`): both
/// start a window of receives, then of sends; the lower rank waits for its
/// sends, then its receives, the upper rank the other way round. `barriers`:
/// barriers of all ranks before every iteration (osu_mbw_mr has two).
/// Returns the row on the lower rank of the pair: `value` the bandwidth
/// (MB/s), `elapsed` the sum of the timed windows (s), median and p99 of them.
public func windows(
    _ world: Communicator, buffers: MessageBuffers, size: Int, peer: Int, active: Bool, bidirectional: Bool,
    barriers: Int = 0, receives mode: ReceiveMode = .checked, iterations: Int, warmup: Int, window: Int
) throws -> Row? {
    precondition(size > 0, "the bandwidth loop's messages are at least 1 byte (its acknowledgement is their first byte)")
    let sending = world.rank < peer
    let outgoing = buffers.outgoing(size)
    let incoming = buffers.incoming(size)
    let acknowledgementOut = UnsafeMutableBufferPointer(rebasing: outgoing[0..<1])
    var acknowledgementIn = UnsafeMutableBufferPointer(rebasing: incoming[0..<1])
    // Room for a window each, as OSU's C has its request arrays before the
    // loop (grown by appending, a set would allocate as often as the heap's
    // state decides).
    var sends = RequestSet<Status>()
    sends.reserveCapacity(window)
    var receives = RequestSet<Status>()
    receives.reserveCapacity(window)
    var times = IterationTimes(capacity: iterations)
    var total = 0.0
    try world.barrier()
    if active {
        for iteration in 0..<(warmup + iterations) {
            for _ in 0..<barriers { try world.barrier() }
            var start = 0.0
            if sending && iteration >= warmup { start = try MPI.wallTime() }
            if bidirectional {
                let (receiveTag, sendTag) = sending ? (10, 100) : (100, 10)
                for _ in 0..<window {
                    receives.append(try receiveStarting(world, into: incoming, from: peer, tag: receiveTag, mode))
                }
                for _ in 0..<window { sends.append(try world.isend(outgoing, to: peer, tag: sendTag)) }
                if sending {
                    try sends.waitForAll()
                    sends.removeAll()
                    try receives.waitForAll()
                    receives.removeAll()
                } else {
                    try receives.waitForAll()
                    receives.removeAll()
                    try sends.waitForAll()
                    sends.removeAll()
                }
            } else if sending {
                for _ in 0..<window { sends.append(try world.isend(outgoing, to: peer, tag: 100)) }
                try sends.waitForAll()
                sends.removeAll()
                try receiveBlocking(world, into: &acknowledgementIn, from: peer, tag: 101, mode)
            } else {
                for _ in 0..<window {
                    receives.append(try receiveStarting(world, into: incoming, from: peer, tag: 100, mode))
                }
                try receives.waitForAll()
                receives.removeAll()
                try world.send(acknowledgementOut, to: peer, tag: 101)
            }
            if sending && iteration >= warmup {
                let took = try MPI.wallTime() - start
                total += took
                times.record(seconds: took)
            }
        }
    }
    guard active && sending else { return nil }
    let megabytes = Double(size) / 1e6 * Double(iterations) * Double(window) * (bidirectional ? 2 : 1)
    return Row(size: size, value: megabytes / total, median: times.median, p99: times.p99, iterations: iterations,
               elapsed: total)
}

/// The same in buffers of its own (allocated and prepared before the loop).
public func windows(
    _ world: Communicator, size: Int, peer: Int, active: Bool, bidirectional: Bool,
    iterations: Int, warmup: Int, window: Int
) throws -> Row? {
    let buffers = MessageBuffers(capacity: size)
    buffers.prepare(size: size)
    return try windows(world, buffers: buffers, size: size, peer: peer, active: active, bidirectional: bidirectional,
                       iterations: iterations, warmup: warmup, window: window)
}

/// Times `iterations` calls of `operation` after `warmup` untimed ones, each
/// call alone on every rank, and returns the row at rank 0 (average, minimum
/// and maximum over ranks). `separated`: a barrier before the loop and after
/// every call, outside the timing (OSU's collectives); without it the calls
/// run back to back, with one barrier after the loop (osu_barrier).
public func timeCollective(
    _ world: Communicator, size: Int, iterations: Int, warmup: Int, separated: Bool = true,
    _ operation: () throws -> Void
) throws -> Row? {
    var times = IterationTimes(capacity: iterations)
    var total = 0.0
    if separated { try world.barrier() }
    for iteration in 0..<(warmup + iterations) {
        let began = try MPI.wallTime()
        try operation()
        let took = try MPI.wallTime() - began
        if iteration >= warmup {
            total += took
            times.record(seconds: took)
        }
        if separated { try world.barrier() }
    }
    if !separated { try world.barrier() }
    let latency = total * 1e6 / Double(iterations)
    let minimum = try world.reduce(latency, .min, root: 0)
    let maximum = try world.reduce(latency, .max, root: 0)
    let sum = try world.reduce(latency, .sum, root: 0)
    guard let minimum, let maximum, let sum else { return nil }
    return Row(size: size, value: sum / Double(world.size), median: times.median, p99: times.p99,
               min: minimum, max: maximum, iterations: iterations)
}

/// Computes (spins) for `seconds`, standing in for work overlapped with communication.
public func busyWait(seconds: Double) throws {
    let end = try MPI.wallTime() + seconds
    var spins = 0
    while try MPI.wallTime() < end { spins &+= 1 }
    blackHole(spins)
}

@inline(never)
public func blackHole(_ value: Int) {
    if value == -1 { print("") }
}
