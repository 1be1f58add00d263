import ArgumentParser
import MPI
import BenchmarkLoops

// Point-to-point benchmarks: osu_latency, osu_bw, osu_bibw, osu_mbw_mr and
// osu_multi_lat. Buffers are made once per size, before the timed loop.

/// OSU's iteration counts for point-to-point latency and for bandwidth.
let latencyCounts = (small: (10_000, 1_000), large: (1_000, 100))
let bandwidthCounts = (small: (100, 10), large: (20, 2))

struct Latency: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "latency", abstract: "Ping-pong latency between ranks 0 and 1.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        guard world.size >= 2 else { throw ValidationError("latency needs 2 ranks") }
        report.describe(title: "OSU MPI Latency Test", unit: "us")
        for size in try options.messageSizes(minimum: 0, maximum: 1 << 22) {
            let (iterations, warmup) = options.counts(for: size, small: latencyCounts.small, large: latencyCounts.large)
            if let row = try pingPong(world, size: size, peer: world.rank == 0 ? 1 : 0,
                                      active: world.rank < 2, iterations: iterations, warmup: warmup) {
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
    for size in try options.messageSizes(minimum: 1, maximum: 1 << 22) {
        let (iterations, warmup) = options.counts(for: size, small: bandwidthCounts.small, large: bandwidthCounts.large)
        let row = try windows(world, size: size, peer: world.rank == 0 ? 1 : 0, active: world.rank < 2,
                              bidirectional: bidirectional, iterations: iterations, warmup: warmup, window: options.window)
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
        for size in try options.messageSizes(minimum: 1, maximum: 1 << 22) {
            let (iterations, warmup) = options.counts(for: size, small: bandwidthCounts.small, large: bandwidthCounts.large)
            let row = try windows(world, size: size, peer: peer, active: true, bidirectional: false,
                                  iterations: iterations, warmup: warmup, window: options.window)
            // Every pair's bandwidth, summed at rank 0 (OSU sums the senders').
            let total = try world.reduce(row?.value ?? 0, .sum, root: 0)
            if world.rank == 0, var row, let total {
                row.value = total
                row.messagesPerSecond = total * 1e6 / Double(size)
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
        for size in try options.messageSizes(minimum: 0, maximum: 1 << 22) {
            let (iterations, warmup) = options.counts(for: size, small: latencyCounts.small, large: latencyCounts.large)
            let row = try pingPong(world, size: size, peer: peer, active: true, iterations: iterations, warmup: warmup)
            // The average over the pairs (OSU averages the senders' latencies).
            let total = try world.reduce(row?.value ?? 0, .sum, root: 0)
            if world.rank == 0, var row, let total {
                row.value = total / Double(pairs)
                report.append(row)
            }
        }
    }
}
