import ArgumentParser
import MPI
import BenchmarkLoops

// Point-to-point benchmarks: osu_latency, osu_bw, osu_bibw, osu_mbw_mr and
// osu_multi_lat. Buffers are page-aligned and made once for the largest size
// (osu_multi_lat: per size), and filled for each size before its timed loop.

/// OSU 7.4's iteration counts (timed, warm-up) for latency, bandwidth and
/// osu_mbw_mr (which keeps its counts at every size).
let latencyCounts = (small: (10_000, 100), large: (1_000, 10))
let bandwidthCounts = (small: (100, 10), large: (20, 2))
let messageRateCounts = (small: (100, 10), large: (100, 10))

extension BenchmarkOptions {
    var receiveMode: ReceiveMode { unsafe ? .unsafe : .checked }
}

struct Latency: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "latency", abstract: "Ping-pong latency between ranks 0 and 1.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        guard world.size >= 2 else { throw ValidationError("latency needs 2 ranks") }
        report.describe(title: "OSU MPI Latency Test", unit: "us")
        let sizes = try options.messageSizes(minimum: 1, maximum: 1 << 22)
        let buffers = MessageBuffers(capacity: sizes.max() ?? 0)
        for size in sizes {
            let (iterations, warmup) = options.counts(for: size, small: latencyCounts.small, large: latencyCounts.large)
            buffers.prepare(size: size)
            if let row = try pingPong(world, buffers: buffers, size: size, peer: world.rank == 0 ? 1 : 0,
                                      active: world.rank < 2, receives: options.receiveMode,
                                      iterations: iterations, warmup: warmup) {
                if world.rank == 0 { report.append(row) }
            }
        }
    }
}

struct Bandwidth: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "bw", abstract: "Unidirectional bandwidth, rank 0 to rank 1.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try bandwidthSeries(world, &report, options, title: "OSU MPI Bandwidth Test", bidirectional: false)
    }
}

struct BidirectionalBandwidth: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "bibw", abstract: "Bidirectional bandwidth between ranks 0 and 1.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try bandwidthSeries(world, &report, options, title: "OSU MPI Bi-Directional Bandwidth Test", bidirectional: true)
    }
}

/// bw and bibw between ranks 0 and 1, over the sizes of `options`.
func bandwidthSeries(
    _ world: Communicator, _ report: inout Report, _ options: BenchmarkOptions, title: String, bidirectional: Bool
) throws {
    guard world.size >= 2 else { throw ValidationError("\(report.benchmark) needs 2 ranks") }
    report.describe(title: title, unit: "MB/s")
    let sizes = try options.messageSizes(minimum: 1, maximum: 1 << 22)
    let buffers = MessageBuffers(capacity: sizes.max() ?? 0)
    for size in sizes where size > 0 {
        let (iterations, warmup) = options.counts(for: size, small: bandwidthCounts.small, large: bandwidthCounts.large)
        buffers.prepare(size: size)
        let row = try windows(world, buffers: buffers, size: size, peer: world.rank == 0 ? 1 : 0, active: world.rank < 2,
                              bidirectional: bidirectional, receives: options.receiveMode,
                              iterations: iterations, warmup: warmup, window: options.window)
        if world.rank == 0, let row { report.append(row) }
    }
}

struct MultipleBandwidth: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "mbw_mr", abstract: "Bandwidth and message rate of several pairs at once (rank i with i + n/2).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        guard world.size >= 2, world.size % 2 == 0 else { throw ValidationError("mbw_mr needs an even number of ranks") }
        report.describe(title: "OSU MPI Multiple Bandwidth / Message Rate Test", unit: "MB/s")
        let pairs = world.size / 2
        let peer = world.rank < pairs ? world.rank + pairs : world.rank - pairs
        report.headerLines = ["# [ pairs: \(pairs) ] [ window size: \(options.window) ]"]
        let sizes = try options.messageSizes(minimum: 1, maximum: 1 << 22)
        let buffers = MessageBuffers(capacity: sizes.max() ?? 0)
        for size in sizes where size > 0 {
            let (iterations, warmup) = options.counts(for: size, small: messageRateCounts.small, large: messageRateCounts.large)
            buffers.prepare(size: size)
            // Two barriers of all ranks before every iteration, as osu_mbw_mr.
            let row = try windows(world, buffers: buffers, size: size, peer: peer, active: true, bidirectional: false,
                                  barriers: 2, receives: options.receiveMode,
                                  iterations: iterations, warmup: warmup, window: options.window)
            // OSU: the senders' summed times, averaged over the pairs.
            let total = try world.reduce(row?.elapsed ?? 0, .sum, root: 0)
            if world.rank == 0, var row, let total {
                let seconds = total / Double(pairs)
                row.value = Double(size) / 1e6 * Double(pairs) * Double(iterations) * Double(options.window) / seconds
                row.messagesPerSecond = row.value * 1e6 / Double(size)
                report.append(row)
            }
        }
    }
}

struct MultipleLatency: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "multi_lat", abstract: "Latency of several pairs at once (rank i with i + n/2).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        guard world.size >= 2, world.size % 2 == 0 else { throw ValidationError("multi_lat needs an even number of ranks") }
        report.describe(title: "OSU MPI Multi Latency Test", unit: "us")
        let pairs = world.size / 2
        let peer = world.rank < pairs ? world.rank + pairs : world.rank - pairs
        for size in try options.messageSizes(minimum: 1, maximum: 1 << 22) {
            let (iterations, warmup) = options.counts(for: size, small: latencyCounts.small, large: latencyCounts.large)
            // osu_multi_lat allocates its buffers for each size.
            let buffers = MessageBuffers(capacity: size)
            buffers.prepare(size: size)
            // A barrier of all ranks before every iteration, as osu_multi_lat.
            let row = try pingPong(world, buffers: buffers, size: size, peer: peer, active: true,
                                   barrierEachIteration: true, receives: options.receiveMode,
                                   iterations: iterations, warmup: warmup)
            // OSU: the pinging ranks' summed times, averaged over the pairs.
            let total = try world.reduce(row?.elapsed ?? 0, .sum, root: 0)
            if world.rank == 0, var row, let total {
                row.value = total / Double(pairs) * 1e6 / Double(2 * iterations)
                report.append(row)
            }
        }
    }
}
