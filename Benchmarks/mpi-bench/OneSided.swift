import ArgumentParser
import MPI
import BenchmarkLoops
#if canImport(Glibc)
import Glibc
#endif

// One-sided benchmarks: osu_put_latency, osu_get_latency, osu_acc_latency,
// osu_put_bw and osu_get_bw, in OSU's default mode (MPI_Win_allocate for each
// size, a shared lock of rank 1 over the whole series, MPI_Win_flush). The
// loop is BenchmarkLoops' oneSided; mpi-bench-c's onesided.c is its twin.

/// OSU's one-sided iteration counts (timed, warm-up): 10,000 / 100 up to
/// 8 KiB; above, 100 / 10 for latency and 30 / 10 for bandwidth.
let oneSidedLatencyCounts = (small: (10_000, 100), large: (100, 10))
let oneSidedBandwidthCounts = (small: (10_000, 100), large: (30, 10))

/// A series of `operation` between ranks 0 (origin) and 1 (target), over the
/// sizes of `options`: one operation per flush, or a window of them (`bandwidth`).
func oneSidedSeries(
    _ world: Communicator, _ report: inout Report, _ options: BenchmarkOptions, _ operation: OneSidedOperation,
    title: String, bandwidth: Bool
) throws {
    guard world.size == 2 else { throw ValidationError("\(report.benchmark) needs exactly 2 ranks") }
    report.describe(title: title, unit: bandwidth ? "MB/s" : "us")
    report.headerLines = ["# Window creation: MPI_Win_allocate", "# Synchronization: MPI_Win_flush"
                          + (bandwidth ? " [ window size: \(options.window) ]" : "")]
    let operations = bandwidth ? options.window : 1
    let sizes = try options.messageSizes(minimum: bandwidth ? 1 : 0, maximum: 1 << 22).filter { !bandwidth || $0 > 0 }
    let origin = pageAlignedBytes((sizes.max() ?? 0) * operations)
    defer { origin.deallocate() }
    let counts = bandwidth ? oneSidedBandwidthCounts : oneSidedLatencyCounts
    for size in sizes {
        let (iterations, warmup) = options.counts(for: size, small: counts.small, large: counts.large)
        // OSU's set_buffer: the origin's bytes 'a' (put, accumulate) or 'b' (get).
        memset(origin.baseAddress!, operation == .get ? 0x62 : 0x61, size * operations)
        if let row = try oneSided(world, operation, origin: origin, size: size, operations: operations,
                                  iterations: iterations, warmup: warmup) {
            report.append(row)
        }
    }
}

struct PutLatency: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "put_latency", abstract: "MPI_Put latency, rank 0 into rank 1's window (lock, put, flush).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try oneSidedSeries(world, &report, options, .put, title: "OSU MPI_Put Latency Test", bandwidth: false)
    }
}

struct GetLatency: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "get_latency", abstract: "MPI_Get latency, rank 0 from rank 1's window (lock, get, flush).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try oneSidedSeries(world, &report, options, .get, title: "OSU MPI_Get latency Test", bandwidth: false)
    }
}

struct AccumulateLatency: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "acc_latency",
        abstract: "MPI_Accumulate (MPI_SUM on bytes) latency, rank 0 into rank 1's window (lock, accumulate, flush).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try oneSidedSeries(world, &report, options, .accumulate, title: "OSU MPI_Accumulate latency Test",
                           bandwidth: false)
    }
}

struct PutBandwidth: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "put_bw", abstract: "MPI_Put bandwidth: a window of puts into rank 1, then a flush.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try oneSidedSeries(world, &report, options, .put, title: "OSU MPI_Put Bandwidth Test", bandwidth: true)
    }
}

struct GetBandwidth: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "get_bw", abstract: "MPI_Get bandwidth: a window of gets from rank 1, then a flush.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try oneSidedSeries(world, &report, options, .get, title: "OSU MPI_Get Bandwidth Test", bandwidth: true)
    }
}
