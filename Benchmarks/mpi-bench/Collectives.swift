import ArgumentParser
import MPI
import BenchmarkLoops
#if canImport(Glibc)
import Glibc
#endif

// Collective benchmarks: osu_barrier, osu_bcast, osu_reduce, osu_allreduce,
// osu_gather, osu_scatter, osu_allgather, osu_alltoall, osu_reduce_scatter
// and osu_iallreduce. Buffers are page-aligned and made once for the largest
// size, as OSU and mpi-bench-c make them. Each call is timed alone, with a
// barrier between iterations (osu_barrier: none); the figure is the average
// over ranks of each rank's mean. Reductions are of floats (OSU's -T mpi_float).

let collectiveCounts = (small: (1_000, 100), large: (100, 10))

/// A collective's two buffers, page-aligned, of `sendBytes` and `receiveBytes`:
/// bytes set to 1 to send and 0 to receive (OSU's set_buffer), or for
/// reductions floats 1 and 0 (as mpi-bench-c fills them).
final class CollectiveMemory {
    let send: UnsafeMutableRawBufferPointer
    let receive: UnsafeMutableRawBufferPointer

    init(sendBytes: Int, receiveBytes: Int, floats: Bool) {
        send = pageAlignedBytes(sendBytes)
        receive = pageAlignedBytes(receiveBytes)
        if floats {
            send.bindMemory(to: Float.self).initialize(repeating: 1)
            receive.bindMemory(to: Float.self).initialize(repeating: 0)
        } else {
            memset(send.baseAddress!, 1, send.count)
            memset(receive.baseAddress!, 0, receive.count)
        }
    }

    deinit {
        send.deallocate()
        receive.deallocate()
    }

    static func bytes(_ memory: UnsafeMutableRawBufferPointer, _ count: Int) -> UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: memory.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
    }

    static func floats(_ memory: UnsafeMutableRawBufferPointer, _ count: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: memory.baseAddress!.assumingMemoryBound(to: Float.self), count: count)
    }
}

/// Runs a collective benchmark over the sizes of `options`, with memory for
/// the largest: `sendBlocks` and `receiveBlocks` of it to send and receive.
func collectiveSeries(
    _ world: Communicator, _ report: inout Report, _ options: BenchmarkOptions, title: String, minimumSize: Int = 1,
    maximumSize: Int = 1 << 20, sendBlocks: Int = 1, receiveBlocks: Int = 1, floats: Bool = false,
    _ body: (_ memory: CollectiveMemory, _ size: Int, _ iterations: Int, _ warmup: Int) throws -> Row?
) throws {
    report.describe(title: title, unit: "us")
    // Floats for reductions: sizes below one element are skipped, as in OSU.
    let sizes = try options.messageSizes(minimum: minimumSize, maximum: maximumSize).filter { $0 >= minimumSize }
    let largest = sizes.max() ?? 0
    let memory = CollectiveMemory(sendBytes: largest * sendBlocks, receiveBytes: largest * receiveBlocks, floats: floats)
    for size in sizes {
        let (iterations, warmup) = options.counts(for: size, small: collectiveCounts.small, large: collectiveCounts.large)
        if var row = try body(memory, size, iterations, warmup), world.rank == 0 {
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
        // Back to back, as osu_barrier times them.
        if var row = try timeCollective(world, size: 0, iterations: iterations, warmup: warmup, separated: false,
                                        { try world.barrier() }),
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Broadcast Latency Test") { memory, size, iterations, warmup in
            var buffer = CollectiveMemory.bytes(memory.send, size)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Reduce Latency Test", minimumSize: 4,
                             floats: true) { memory, size, iterations, warmup in
            let send = CollectiveMemory.floats(memory.send, size / 4)
            var receive = CollectiveMemory.floats(memory.receive, size / 4)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Allreduce Latency Test", minimumSize: 4,
                             floats: true) { memory, size, iterations, warmup in
            let send = CollectiveMemory.floats(memory.send, size / 4)
            var receive = CollectiveMemory.floats(memory.receive, size / 4)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Gather Latency Test",
                             receiveBlocks: world.size) { memory, size, iterations, warmup in
            let send = CollectiveMemory.bytes(memory.send, size)
            var receive = CollectiveMemory.bytes(memory.receive, world.rank == 0 ? size * world.size : 0)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Scatter Latency Test",
                             sendBlocks: world.size) { memory, size, iterations, warmup in
            let send = CollectiveMemory.bytes(memory.send, world.rank == 0 ? size * world.size : 0)
            var receive = CollectiveMemory.bytes(memory.receive, size)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Allgather Latency Test",
                             receiveBlocks: world.size) { memory, size, iterations, warmup in
            let send = CollectiveMemory.bytes(memory.send, size)
            var receive = CollectiveMemory.bytes(memory.receive, size * world.size)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI All-to-All Personalized Exchange Latency Test",
                             sendBlocks: world.size, receiveBlocks: world.size) { memory, size, iterations, warmup in
            let send = CollectiveMemory.bytes(memory.send, size * world.size)
            var receive = CollectiveMemory.bytes(memory.receive, size * world.size)
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
        try collectiveSeries(world, &report, options, title: "OSU MPI Reduce_scatter Latency Test", minimumSize: 4,
                             floats: true) { memory, size, iterations, warmup in
            // OSU splits size bytes of floats among the ranks (here in equal
            // blocks, the remainder left out).
            let block = size / 4 / world.size
            guard block > 0 else { return nil }
            let send = CollectiveMemory.floats(memory.send, block * world.size)
            var receive = CollectiveMemory.floats(memory.receive, block)
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
        let sizes = try options.messageSizes(minimum: 4, maximum: 1 << 20).filter { $0 >= 4 }
        let memory = CollectiveMemory(sendBytes: sizes.max() ?? 0, receiveBytes: sizes.max() ?? 0, floats: true)
        for size in sizes {
            let (iterations, warmup) = options.counts(for: size, small: collectiveCounts.small, large: collectiveCounts.large)
            let send = CollectiveMemory.floats(memory.send, size / 4)
            let receive = CollectiveMemory.floats(memory.receive, size / 4)
            // The communication alone.
            try world.barrier()
            var pureTotal = 0.0
            for iteration in 0..<(warmup + iterations) {
                let began = try MPI.wallTime()
                try world.iallReduce(send, into: receive, .sum).wait()
                let took = try MPI.wallTime() - began
                if iteration >= warmup { pureTotal += took }
                try world.barrier()
            }
            try world.barrier()
            // The same with a compute phase as long as this rank's pure time (OSU's latency_in_secs).
            let pureSeconds = pureTotal / Double(iterations)
            var computeTotal = 0.0
            var times = IterationTimes(capacity: iterations)
            var overallTotal = 0.0
            try world.barrier()
            for iteration in 0..<(warmup + iterations) {
                let began = try MPI.wallTime()
                let request = try world.iallReduce(send, into: receive, .sum)
                let computeStart = try MPI.wallTime()
                try busyWait(seconds: pureSeconds)
                let computed = try MPI.wallTime() - computeStart
                try request.wait()
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
            let pure = pureSeconds * 1e6
            // OSU's overlap, from the means over ranks.
            let sums = try world.reduce([overall, compute, pure], .sum, root: 0)
            let overallMinimum = try world.reduce(overall, .min, root: 0)
            let overallMaximum = try world.reduce(overall, .max, root: 0)
            if world.rank == 0 {
                let ranks = Double(world.size)
                let meanOverall = sums[0] / ranks, meanCompute = sums[1] / ranks, meanPure = sums[2] / ranks
                let overlap = meanPure > 0 ? max(0, 100 - (meanOverall - meanCompute) / meanPure * 100) : 0
                report.append(Row(size: size, value: meanOverall, median: times.median, p99: times.p99,
                                  min: options.full ? overallMinimum : nil, max: options.full ? overallMaximum : nil,
                                  iterations: iterations, overall: meanOverall, compute: meanCompute,
                                  pure: meanPure, overlap: overlap))
            }
        }
    }
}
