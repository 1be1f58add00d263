// The timed loops of the OSU-method benchmarks, shared by mpi-bench and by
// the test that shows they allocate nothing per iteration.
import MPI
#if canImport(Glibc)
import Glibc
#endif

/// One ping-pong series; returns the row on the pinging rank.
public func pingPong(_ world: Communicator, size: Int, peer: Int, active: Bool, iterations: Int, warmup: Int) throws -> Row? {
    let outgoing = [UInt8](repeating: 1, count: size)
    var incoming = [UInt8](repeating: 0, count: size)
    var times = IterationTimes(capacity: iterations)
    let pinging = world.rank < peer
    try world.barrier()
    var start = 0.0
    if active {
        for iteration in 0..<(warmup + iterations) {
            if iteration == warmup { start = try MPI.wallTime() }
            let began = try MPI.wallTime()
            if pinging {
                try world.send(outgoing, to: peer, tag: 1)
                try world.receive(into: &incoming, from: peer, tag: 1)
            } else {
                try world.receive(into: &incoming, from: peer, tag: 1)
                try world.send(outgoing, to: peer, tag: 1)
            }
            if iteration >= warmup { times.record(seconds: (try MPI.wallTime() - began) / 2) }
        }
    }
    let elapsed = try MPI.wallTime() - start
    guard active && pinging else { return nil }
    let latency = elapsed * 1e6 / Double(2 * iterations)
    return Row(size: size, value: latency, median: times.median, p99: times.p99, iterations: iterations)
}

/// OSU's bandwidth loop: the sender starts a window of sends, the receiver a
/// window of receives (all into one buffer, as OSU does), both wait for all,
/// and the receiver acknowledges with 4 bytes. Bidirectional: both do both.
/// Returns the row (bandwidth in MB/s) on the lower rank of the pair.
public func windows(
    _ world: Communicator, size: Int, peer: Int, active: Bool, bidirectional: Bool,
    iterations: Int, warmup: Int, window: Int
) throws -> Row? {
    let sending = world.rank < peer
    let outgoing = [UInt8](repeating: 1, count: size)
    let incoming = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
    defer { incoming.deallocate() }
    incoming.initialize(repeating: 0)
    var acknowledgement = [UInt8](repeating: 0, count: 4)
    var requests = RequestSet<Status>()
    // Room for a window, as OSU's C allocates its request array before the
    // loop (grown by appending, the set would allocate as often as the
    // heap's state decides).
    requests.reserveCapacity(bidirectional ? 2 * window : window)
    var times = IterationTimes(capacity: iterations)
    try world.barrier()
    var start = 0.0
    if active {
        for iteration in 0..<(warmup + iterations) {
            if iteration == warmup { start = try MPI.wallTime() }
            let began = try MPI.wallTime()
            if bidirectional {
                for _ in 0..<window { requests.append(try world.ireceive(into: incoming, from: peer, tag: 10)) }
                for _ in 0..<window { requests.append(try world.isend(outgoing, to: peer, tag: 10)) }
                try requests.waitForAll()
                requests.removeAll()
            } else if sending {
                for _ in 0..<window { requests.append(try world.isend(outgoing, to: peer, tag: 100)) }
                try requests.waitForAll()
                requests.removeAll()
                try world.receive(into: &acknowledgement, from: peer, tag: 101)
            } else {
                for _ in 0..<window { requests.append(try world.ireceive(into: incoming, from: peer, tag: 100)) }
                try requests.waitForAll()
                requests.removeAll()
                try world.send(acknowledgement, to: peer, tag: 101)
            }
            if iteration >= warmup { times.record(seconds: try MPI.wallTime() - began) }
        }
    }
    let elapsed = try MPI.wallTime() - start
    guard active && sending else { return nil }
    let bytes = Double(size) * Double(iterations * window) * (bidirectional ? 2 : 1)
    return Row(size: size, value: bytes / 1e6 / elapsed, median: times.median, p99: times.p99, iterations: iterations)
}

/// Times `iterations` calls of `operation` after `warmup` untimed ones and
/// returns the row at rank 0 (average, minimum and maximum over ranks).
public func timeCollective(
    _ world: Communicator, size: Int, iterations: Int, warmup: Int, _ operation: () throws -> Void
) throws -> Row? {
    var times = IterationTimes(capacity: iterations)
    var total = 0.0
    try world.barrier()
    for iteration in 0..<(warmup + iterations) {
        let began = try MPI.wallTime()
        try operation()
        let took = try MPI.wallTime() - began
        if iteration >= warmup {
            total += took
            times.record(seconds: took)
        }
        try world.barrier()
    }
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
