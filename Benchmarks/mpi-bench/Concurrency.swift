import ArgumentParser
import Foundation
import MPI
import BenchmarkLoops
#if canImport(Glibc)
import Glibc
#endif

// Swift concurrency and the task pool (issue 14): the awaited ping-pong beside
// the blocking one, the CPU an awaiting rank burns while nothing arrives, the
// pool's throughput for an empty task, and its speed-up on a compute-bound map.
// A program initializes MPI once, through one form of MPI.run, so each of these
// is a command of its own whose run is async (the root command is an
// AsyncParsableCommand, which still runs the synchronous ones). The timing is
// OSU's: a barrier, warm-up iterations, timed ones, the clock read on rank 0
// right around each. Benchmarks/README.md says what each measures.

/// The executor's spin before it backs off, as the run was given it (the MPI thread reads it once).
var spinSetting: String {
    getenv("SWIFT_MPI_SPIN_MICROSECONDS").map { "\(String(cString: $0)) us (SWIFT_MPI_SPIN_MICROSECONDS)" }
        ?? "1 ms, or 50 us with more ranks than cores (default)"
}

// MARK: - Awaited latency

struct AsyncLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "async-latency",
        abstract: "Ping-pong latency between ranks 0 and 1, awaited (send, receive(into:) in MPI.run's async form).")
    @OptionGroup var options: BenchmarkOptions

    func run() async throws {
        // The async forms have no unguarded receive; the blocking latency's --unsafe has no twin here.
        if options.unsafe { throw ValidationError("async-latency has no --unsafe (no unguarded async receive)") }
        let options = self.options
        try await MPI.run { world in
            guard world.size >= 2 else { throw ValidationError("async-latency needs 2 ranks") }
            var report = Report(name: "async-latency", ranks: world.size, options: options)
            report.describe(title: "Awaited MPI Latency Test", unit: "us")
            report.headerLines = ["# awaited on MPIActor; spin before back-off: \(spinSetting)"]
            let sizes = try options.messageSizes(minimum: 1, maximum: 1 << 22)
            let buffers = MessageBuffers(capacity: sizes.max() ?? 0)
            for size in sizes {
                let (iterations, warmup) = options.counts(for: size, small: latencyCounts.small, large: latencyCounts.large)
                buffers.prepare(size: size)
                if let row = try await awaitedPingPong(world, buffers: buffers, size: size, peer: world.rank == 0 ? 1 : 0,
                                                       active: world.rank < 2, iterations: iterations, warmup: warmup) {
                    report.append(row)
                }
            }
            if world.rank == 0 { report.print() }
        }
    }
}

/// `BenchmarkLoops.pingPong`'s loop, call for call, with each send and receive
/// awaited: the same buffers, the same receive into the caller's buffer, the
/// clock read on the pinging rank around each timed round trip.
@MPIActor
func awaitedPingPong(
    _ world: Communicator, buffers: MessageBuffers, size: Int, peer: Int, active: Bool, iterations: Int, warmup: Int
) async throws -> Row? {
    let outgoing = UnsafeMutableBufferPointer(start: buffers.send.baseAddress!.assumingMemoryBound(to: UInt8.self), count: size)
    var incoming = UnsafeMutableBufferPointer(start: buffers.receive.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                              count: size)
    var times = IterationTimes(capacity: iterations)
    let pinging = world.rank < peer
    var total = 0.0
    try await world.barrier()
    if active {
        for iteration in 0..<(warmup + iterations) {
            if pinging {
                var start = 0.0
                if iteration >= warmup { start = try MPI.wallTime() }
                try await world.send(outgoing, to: peer, tag: 1)
                try await world.receive(into: &incoming, from: peer, tag: 1)
                if iteration >= warmup {
                    let took = try MPI.wallTime() - start
                    total += took
                    times.record(seconds: took / 2)
                }
            } else {
                try await world.receive(into: &incoming, from: peer, tag: 1)
                try await world.send(outgoing, to: peer, tag: 1)
            }
        }
    }
    guard active && pinging else { return nil }
    return Row(size: size, value: total * 1e6 / Double(2 * iterations), median: times.median, p99: times.p99,
               iterations: iterations, elapsed: total)
}

// MARK: - What the benchmarks below print

/// One row of async-idle, pool-throughput or pool-primes. `value` is the figure
/// (%, tasks/s or s), `median` the same figure of the median iteration.
struct FigureRow: Encodable {
    var size: Int
    var value: Double
    var median: Double
    var iterations: Int
    /// Timed wall seconds on rank 0, summed over the iterations.
    var seconds: Double
    /// async-idle: rank 0's process CPU time (user + system) over the waits.
    var cpuSeconds: Double?
    var tasks: Int?
    var chunkSize: Int?
    var workers: Int?
    /// pool-primes: the primes counted (checked against a sieve).
    var primes: Int?

    enum CodingKeys: String, CodingKey {
        case size, value, median, iterations, seconds, tasks, workers, primes
        case cpuSeconds = "cpu_seconds"
        case chunkSize = "chunk_size"
    }
}

/// The JSON of the other benchmarks (benchmark, implementation, ranks, unit,
/// rows), or a few lines of text with the figure's own column names (Report's
/// are OSU's latency and bandwidth columns).
struct FigureReport: Encodable {
    var benchmark: String
    var implementation = "swift"
    var ranks: Int
    var unit: String
    var mode: String?
    var spin: String = spinSetting
    var rows: [FigureRow] = []

    enum CodingKeys: String, CodingKey {
        case benchmark, implementation, ranks, unit, mode, spin, rows
    }

    func print(_ format: BenchmarkOptions.OutputFormat, title: String, columns: (size: String, value: String)) {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) { Swift.print(text) }
        case .text:
            Swift.print("# \(title) (swift-mpi)")
            if let mode { Swift.print("# \(mode)") }
            Swift.print("# ranks: \(ranks); spin before back-off: \(spin)")
            Swift.print("# \(columns.size)".padding(toLength: 12, withPad: " ", startingAt: 0)
                        + columns.value.leftPadded(to: 18) + "Median".leftPadded(to: 18) + "Iterations".leftPadded(to: 12))
            for row in rows {
                Swift.print(String(row.size).padding(toLength: 12, withPad: " ", startingAt: 0)
                            + String(format: "%18.2f%18.2f", row.value, row.median) + String(row.iterations).leftPadded(to: 12))
            }
        }
    }
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

// MARK: - An idle rank

/// The process's CPU time so far, user and system, every thread (MPI's own included).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

struct AsyncIdle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "async-idle",
        abstract: "CPU that rank 0 uses awaiting a message rank 1 sends after a delay (% of one core).")
    @OptionGroup var options: BenchmarkOptions
    @Option(help: "How long rank 1 sleeps before it sends (seconds).")
    var seconds: Double = 2
    @Flag(help: "The blocking receive instead (MPI.run's synchronous form), for comparison.")
    var blocking = false

    /// -i waits (default 1) after -x warm-up round trips of the message without the delay (default 10).
    var counts: (iterations: Int, warmup: Int) { (options.iterations ?? 1, options.warmup ?? 10) }

    func run() async throws {
        let (seconds, counts) = (self.seconds, self.counts)
        var report: FigureReport?
        if blocking {
            report = try blockingIdleWaits(seconds: seconds, counts: counts)
        } else {
            try await MPI.run { world in
                var buffer = [UInt8](repeating: 0x62, count: 8)
                report = try await awaitedIdleWaits(world, seconds: seconds, counts: counts, buffer: &buffer)
            }
        }
        report?.print(options.format, title: "Idle Receive CPU Test", columns: ("Bytes", "CPU (% of a core)"))
    }
}

/// The blocking waits, in MPI.run's synchronous form (a synchronous function,
/// so that the synchronous MPI.run is the one chosen): warm-up round trips,
/// then for each timed wait a barrier, rank 1 sleeping `seconds` and sending
/// 8 bytes, rank 0 receiving them with its CPU time and the clock read around
/// the receive.
func blockingIdleWaits(seconds: Double, counts: (iterations: Int, warmup: Int)) throws -> FigureReport? {
    var report: FigureReport?
    try MPI.run { world in
        guard world.size >= 2 else { throw ValidationError("async-idle needs 2 ranks") }
        var buffer = [UInt8](repeating: 0x62, count: 8)
        let outgoing = [UInt8](repeating: 0x61, count: 8)
        for _ in 0..<counts.warmup {
            if world.rank == 0 {
                try world.send(outgoing, to: 1, tag: 1)
                try world.receive(into: &buffer, from: 1, tag: 1)
            } else if world.rank == 1 {
                try world.receive(into: &buffer, from: 0, tag: 1)
                try world.send(outgoing, to: 0, tag: 1)
            }
        }
        var cpu = 0.0, wall = 0.0, percentages: [Double] = []
        for _ in 0..<counts.iterations {
            try world.barrier()
            if world.rank == 0 {
                let (cpuBefore, wallBefore) = (processCPUSeconds(), try MPI.wallTime())
                try world.receive(into: &buffer, from: 1, tag: 1)
                let (used, took) = (processCPUSeconds() - cpuBefore, try MPI.wallTime() - wallBefore)
                cpu += used
                wall += took
                percentages.append(used / took * 100)
            } else if world.rank == 1 {
                Thread.sleep(forTimeInterval: seconds)
                try world.send(outgoing, to: 0, tag: 1)
            }
        }
        if world.rank == 0 {
            report = idleReport(ranks: world.size, mode: "blocking receive(into:)", cpu: cpu, wall: wall,
                                percentages: percentages)
        }
    }
    return report
}

/// Rank 0's figure: CPU time over wall time of the waits, in % of one core.
func idleReport(ranks: Int, mode: String, cpu: Double, wall: Double, percentages: [Double]) -> FigureReport {
    var report = FigureReport(benchmark: "async-idle", ranks: ranks, unit: "%", mode: mode)
    report.rows = [FigureRow(size: 8, value: cpu / wall * 100, median: median(percentages), iterations: percentages.count,
                             seconds: wall, cpuSeconds: cpu)]
    return report
}

/// The same waits, awaited (the receive suspends rank 0's task; the MPI thread polls it).
@MPIActor
func awaitedIdleWaits(
    _ world: Communicator, seconds: Double, counts: (iterations: Int, warmup: Int), buffer: inout [UInt8]
) async throws -> FigureReport? {
    guard world.size >= 2 else { throw ValidationError("async-idle needs 2 ranks") }
    let outgoing = [UInt8](repeating: 0x61, count: 8)
    for _ in 0..<counts.warmup {
        if world.rank == 0 {
            try await world.send(outgoing, to: 1, tag: 1)
            try await world.receive(into: &buffer, from: 1, tag: 1)
        } else if world.rank == 1 {
            try await world.receive(into: &buffer, from: 0, tag: 1)
            try await world.send(outgoing, to: 0, tag: 1)
        }
    }
    var cpu = 0.0, wall = 0.0, percentages: [Double] = []
    for _ in 0..<counts.iterations {
        try await world.barrier()
        if world.rank == 0 {
            let (cpuBefore, wallBefore) = (processCPUSeconds(), try MPI.wallTime())
            try await world.receive(into: &buffer, from: 1, tag: 1)
            let (used, took) = (processCPUSeconds() - cpuBefore, try MPI.wallTime() - wallBefore)
            cpu += used
            wall += took
            percentages.append(used / took * 100)
        } else if world.rank == 1 {
            // A sleeping task, not a sleeping thread: the MPI thread stays free.
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            try await world.send(outgoing, to: 0, tag: 1)
        }
    }
    guard world.rank == 0 else { return nil }
    return idleReport(ranks: world.size, mode: "awaited receive(into:)", cpu: cpu, wall: wall, percentages: percentages)
}

// MARK: - The task pool

/// Times `iterations` maps after `warmup` untimed ones, a barrier of all ranks
/// before each (outside the timing); returns rank 0's time of each timed map.
@MPIActor
func timedMaps(_ world: Communicator, iterations: Int, warmup: Int, _ map: () async throws -> Void) async throws -> [Double] {
    var times: [Double] = []
    for iteration in 0..<(warmup + iterations) {
        try await world.barrier()
        let began = try MPI.wallTime()
        try await map()
        let took = try MPI.wallTime() - began
        if iteration >= warmup { times.append(took) }
    }
    return times
}

struct PoolThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-throughput",
        abstract: "Tasks per second of TaskPool.map for an empty task (rank 0 hands out, the other ranks work).")
    @OptionGroup var options: BenchmarkOptions
    @Option(help: "Tasks per map.")
    var tasks = 20_000
    @Option(help: "Consecutive tasks a worker gets at a time.")
    var chunkSize = 1

    func run() async throws {
        let (options, tasks, chunkSize) = (self.options, self.tasks, self.chunkSize)
        // -i timed maps (default 5) after -x warm-up maps (default 1).
        let (iterations, warmup) = (options.iterations ?? 5, options.warmup ?? 1)
        try await MPI.run { world in
            let pool = try TaskPool(world, root: 0)
            let inputs = world.rank == 0 ? Array(0..<tasks) : []
            var results: [Int] = []
            let times = try await timedMaps(world, iterations: iterations, warmup: warmup) {
                results = try await pool.map(inputs, chunkSize: chunkSize) { (n: Int) -> Int in n }
                if world.rank == 0 && results != inputs { throw ValidationError("pool-throughput: wrong results") }
            }
            try await pool.shutdown()
            guard world.rank == 0 else { return }
            var report = FigureReport(benchmark: "pool-throughput", ranks: world.size, unit: "tasks/s",
                                      mode: "TaskPool.map of \(tasks) empty tasks, chunk size \(chunkSize), \(pool.workerCount) workers")
            let total = times.reduce(0, +)
            report.rows = [FigureRow(size: chunkSize, value: Double(tasks * iterations) / total,
                                     median: Double(tasks) / median(times), iterations: iterations, seconds: total,
                                     tasks: tasks, chunkSize: chunkSize, workers: pool.workerCount)]
            report.print(options.format, title: "Task Pool Throughput Test", columns: ("Chunk", "Tasks/s"))
        }
    }
}

/// Primes in `block` by trial division (the compute-bound task of pool-primes).
@Sendable func primes(in block: Range<Int>) -> Int {
    var count = 0
    for n in block where n >= 2 {
        var divisor = 2, prime = true
        while divisor * divisor <= n {
            if n % divisor == 0 { prime = false; break }
            divisor += 1
        }
        if prime { count += 1 }
    }
    return count
}

/// The primes below `limit`, by a sieve: what pool-primes checks its total against (148933 below 2,000,000).
func sievedPrimeCount(below limit: Int) -> Int {
    guard limit > 2 else { return 0 }
    var composite = [Bool](repeating: false, count: limit)
    var count = 0
    for n in 2..<limit where !composite[n] {
        count += 1
        var multiple = n * n
        while multiple < limit { composite[multiple] = true; multiple += n }
    }
    return count
}

struct PoolPrimes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-primes",
        abstract: "Seconds for TaskPool.map to count the primes below a limit, a block of numbers per task.")
    @OptionGroup var options: BenchmarkOptions
    @Option(help: "Count the primes below this.")
    var limit = 2_000_000
    @Option(help: "Numbers per task.")
    var block = 10_000
    @Option(help: "Consecutive tasks a worker gets at a time.")
    var chunkSize = 1

    func run() async throws {
        let (options, limit, block, chunkSize) = (self.options, self.limit, self.block, self.chunkSize)
        // -i timed maps (default 2) after -x warm-up maps (default 1).
        let (iterations, warmup) = (options.iterations ?? 2, options.warmup ?? 1)
        try await MPI.run { world in
            let pool = try TaskPool(world, root: 0)
            let starts = world.rank == 0 ? Array(stride(from: 0, to: limit, by: block)) : []
            var total = 0
            let times = try await timedMaps(world, iterations: iterations, warmup: warmup) {
                let counts = try await pool.map(starts, chunkSize: chunkSize) { (start: Int) -> Int in
                    primes(in: start..<min(start + block, limit))
                }
                total = counts.reduce(0, +)
            }
            try await pool.shutdown()
            guard world.rank == 0 else { return }
            let expected = sievedPrimeCount(below: limit)
            guard total == expected else { throw ValidationError("pool-primes: \(total) primes below \(limit), not \(expected)") }
            var report = FigureReport(benchmark: "pool-primes", ranks: world.size, unit: "s",
                                      mode: "TaskPool.map: primes below \(limit) (\(total)), \(starts.count) tasks of \(block) numbers, chunk size \(chunkSize), \(pool.workerCount) workers")
            let seconds = times.reduce(0, +)
            report.rows = [FigureRow(size: block, value: seconds / Double(iterations), median: median(times),
                                     iterations: iterations, seconds: seconds, tasks: starts.count, chunkSize: chunkSize,
                                     workers: pool.workerCount, primes: total)]
            report.print(options.format, title: "Task Pool Primes Test", columns: ("Block", "Seconds"))
        }
    }
}
