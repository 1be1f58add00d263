import ArgumentParser
import MPI
import BenchmarkLoops
#if canImport(Glibc)
import Glibc
#endif

// Collective benchmarks: osu_barrier, osu_bcast, osu_reduce, osu_allreduce,
// osu_gather, osu_scatter, osu_allgather, osu_alltoall, osu_reduce_scatter
// and osu_iallreduce. Each call is timed alone, with a barrier between
// iterations; the figure is the average over ranks of each rank's mean.

let collectiveCounts = (small: (1_000, 100), large: (100, 10))

/// Runs a collective benchmark over the sizes of `options`.
func collectiveSeries(
    _ world: Communicator, _ report: inout Report, _ options: BenchmarkOptions, title: String, minimumSize: Int = 1,
    _ body: (_ size: Int, _ iterations: Int, _ warmup: Int) throws -> Row?
) throws {
    report.describe(title: title, unit: "us")
    // Floats for reductions: sizes below one element are skipped, as in OSU.
    for size in try options.messageSizes(minimum: minimumSize, maximum: 1 << 20) where size >= minimumSize {
        let (iterations, warmup) = options.counts(for: size, small: collectiveCounts.small, large: collectiveCounts.large)
        if var row = try body(size, iterations, warmup), world.rank == 0 {
            if !options.full { (row.min, row.max) = (nil, nil) }
            report.append(row)
        }
    }
}

struct Barrier: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "barrier", abstract: "MPI_Barrier latency.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        report.describe(title: "OSU MPI Barrier Latency Test", unit: "us")
        let (iterations, warmup) = options.counts(for: 0, small: collectiveCounts.small, large: collectiveCounts.large)
        if var row = try timeCollective(world, size: 0, iterations: iterations, warmup: warmup, { try world.barrier() }),
           world.rank == 0 {
            if !options.full { (row.min, row.max) = (nil, nil) }
            report.append(row)
        }
    }
}

struct Broadcast: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "bcast", abstract: "MPI_Bcast latency.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Broadcast Latency Test") { size, iterations, warmup in
            var buffer = [UInt8](repeating: 1, count: size)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.broadcast(&buffer, root: 0)
            }
        }
    }
}

struct Reduce: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "reduce", abstract: "MPI_Reduce latency (float sum).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Reduce Latency Test", minimumSize: 4) { size, iterations, warmup in
            let send = [Float](repeating: 1, count: size / 4)
            var receive = [Float](repeating: 0, count: size / 4)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.reduce(send, into: &receive, .sum, root: 0)
            }
        }
    }
}

struct AllReduce: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "allreduce", abstract: "MPI_Allreduce latency (float sum).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Allreduce Latency Test", minimumSize: 4) { size, iterations, warmup in
            let send = [Float](repeating: 1, count: size / 4)
            var receive = [Float](repeating: 0, count: size / 4)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.allReduce(send, into: &receive, .sum)
            }
        }
    }
}

struct Gather: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "gather", abstract: "MPI_Gather latency.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Gather Latency Test") { size, iterations, warmup in
            let send = [UInt8](repeating: 1, count: size)
            var receive = [UInt8](repeating: 0, count: world.rank == 0 ? size * world.size : 0)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.gather(send, into: &receive, root: 0)
            }
        }
    }
}

struct Scatter: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "scatter", abstract: "MPI_Scatter latency.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Scatter Latency Test") { size, iterations, warmup in
            let send = [UInt8](repeating: 1, count: world.rank == 0 ? size * world.size : 0)
            var receive = [UInt8](repeating: 0, count: size)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.scatter(send, into: &receive, root: 0)
            }
        }
    }
}

struct AllGather: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "allgather", abstract: "MPI_Allgather latency.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Allgather Latency Test") { size, iterations, warmup in
            let send = [UInt8](repeating: 1, count: size)
            var receive = [UInt8](repeating: 0, count: size * world.size)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.allGather(send, into: &receive)
            }
        }
    }
}

struct AllToAll: BenchmarkCommand {
    static let configuration = CommandConfiguration(commandName: "alltoall", abstract: "MPI_Alltoall latency.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI All-to-All Personalized Exchange Latency Test") {
            size, iterations, warmup in
            let send = [UInt8](repeating: 1, count: size * world.size)
            var receive = [UInt8](repeating: 0, count: size * world.size)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.allToAll(send, into: &receive)
            }
        }
    }
}

struct ReduceScatter: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "reduce_scatter", abstract: "MPI_Reduce_scatter_block latency (float sum, size bytes in total).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        try collectiveSeries(world, &report, options, title: "OSU MPI Reduce_scatter Latency Test", minimumSize: 4) {
            size, iterations, warmup in
            // OSU splits size bytes of floats evenly among the ranks.
            let block = size / 4 / world.size
            guard block > 0 else { return nil }
            let send = [Float](repeating: 1, count: block * world.size)
            var receive = [Float](repeating: 0, count: block)
            return try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                try world.reduceScatter(send, into: &receive, .sum)
            }
        }
    }
}

struct NonblockingAllReduce: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "iallreduce", abstract: "MPI_Iallreduce: its latency and how much of a compute phase it overlaps.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        report.describe(title: "OSU MPI Non-blocking Allreduce Latency Test", unit: "us")
        for size in try options.messageSizes(minimum: 4, maximum: 1 << 20) where size >= 4 {
            let (iterations, warmup) = options.counts(for: size, small: collectiveCounts.small, large: collectiveCounts.large)
            let send = [Float](repeating: 1, count: size / 4)
            // The communication alone.
            let pure = try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                _ = try world.iallReduce(send, .sum).wait()
            }
            let pureSeconds = try world.broadcast((pure?.value ?? 0) / 1e6, root: 0)
            // The same with a compute phase as long as the communication.
            var computeTotal = 0.0
            var times = IterationTimes(capacity: iterations)
            var overallTotal = 0.0
            try world.barrier()
            for iteration in 0..<(warmup + iterations) {
                let began = try MPI.wallTime()
                let request = try world.iallReduce(send, .sum)
                let computeStart = try MPI.wallTime()
                try busyWait(seconds: pureSeconds)
                let computed = try MPI.wallTime() - computeStart
                _ = try request.wait()
                let took = try MPI.wallTime() - began
                if iteration >= warmup {
                    overallTotal += took
                    computeTotal += computed
                    times.record(seconds: took)
                }
                try world.barrier()
            }
            let overall = overallTotal * 1e6 / Double(iterations)
            let compute = computeTotal * 1e6 / Double(iterations)
            let pureMicroseconds = pureSeconds * 1e6
            // OSU's overlap, from the means over ranks.
            let averages = try world.reduce([overall, compute], .sum, root: 0)
            if world.rank == 0 {
                let meanOverall = averages[0] / Double(world.size), meanCompute = averages[1] / Double(world.size)
                let overlap = pureMicroseconds > 0 ? max(0, 100 - (meanOverall - meanCompute) / pureMicroseconds * 100) : 0
                report.append(Row(size: size, value: meanOverall, median: times.median, p99: times.p99,
                                  iterations: iterations, overall: meanOverall, compute: meanCompute,
                                  pure: pureMicroseconds, overlap: overlap))
            }
        }
    }
}

