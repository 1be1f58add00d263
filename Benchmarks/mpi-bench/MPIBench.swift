// mpi-bench: OSU-method micro-benchmarks written against the public API of
// the MPI module, exactly as the README teaches it. Its twin in C,
// mpi-bench-c, runs the same loops; Benchmarks/README.md specifies both.
// The root is async so that the concurrency subcommands (Concurrency.swift)
// can await MPI.run's async form; it runs the synchronous ones as before.
import ArgumentParser
import MPI

@main
struct MPIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi-bench",
        abstract: "OSU-method MPI micro-benchmarks in Swift (launch with mpirun).",
        subcommands: [
            Latency.self, Bandwidth.self, BidirectionalBandwidth.self, MultipleBandwidth.self, MultipleLatency.self,
            Barrier.self, Broadcast.self, Reduce.self, AllReduce.self, Gather.self, Scatter.self, AllGather.self,
            AllToAll.self, ReduceScatter.self, NonblockingAllReduce.self, HaloPersistent.self, HaloNeighbor.self,
            ObjectLatency.self, ObjectBroadcast.self, ParticleLatency.self, ObjectCodec.self,
            AsyncLatency.self, AsyncIdle.self, PoolThroughput.self, PoolPrimes.self,
            PutLatency.self, GetLatency.self, AccumulateLatency.self, PutBandwidth.self, GetBandwidth.self,
        ]
    )
}

/// A benchmark subcommand: runs `benchmark` on the world communicator between
/// MPI's initialization and finalization.
protocol BenchmarkCommand: ParsableCommand {
    var options: BenchmarkOptions { get }
    func benchmark(_ world: Communicator, _ report: inout Report) throws
}

extension BenchmarkCommand {
    func run() throws {
        try MPI.run { world in
            var report = Report(name: Self.configuration.commandName ?? "", ranks: world.size, options: options)
            try benchmark(world, &report)
            if world.rank == 0 { report.print() }
        }
    }
}
