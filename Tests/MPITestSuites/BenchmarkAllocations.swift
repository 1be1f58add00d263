import MPI
import AllocationCounter
import BenchmarkLoops

/// The timed loops of mpi-bench's latency, bw and allreduce (the same
/// functions the benchmark runs) allocate nothing per iteration: the count of
/// Swift allocations (the binding's and the loop's) of a run with 3 times the
/// iterations is the same. (Buffers, and the request set's room for a window,
/// are made once per run, before the loop. Open MPI's own C allocations, in
/// its collective algorithms, its rendezvous path and for early arrivals, are
/// not the binding's: they are printed, not checked.)
func benchmarkAllocations(_ world: Communicator) throws {
    try check(allocation_counter_is_active() != 0,
              "allocations are not counted in sanitizer builds (the sanitizer's malloc stays in place)")
    let verifying = MPI.verifiesCollectiveArguments
    MPI.verifiesCollectiveArguments = false      // as in release builds
    defer { MPI.verifiesCollectiveArguments = verifying }

    func allocations(_ body: () throws -> Void) throws -> (all: UInt64, swift: UInt64) {
        let all = allocation_count(), swift = swift_allocation_count()
        try body()
        return (allocation_count() - all, swift_allocation_count() - swift)
    }
    let pair = world.size >= 2 && world.rank < 2
    let peer = world.rank == 0 ? 1 : 0
    for size in [8, 1024, 65_536] {
        let latency = try atTwoCounts((100, 300)) { iterations in
            try allocations { _ = try pingPong(world, size: size, peer: peer, active: pair, iterations: iterations, warmup: 10) }
        }
        try check(latency.1.swift == latency.0.swift,
                  "latency loop at \(size) B: \(latency.0.swift) Swift allocations for 100 iterations, \(latency.1.swift) for 300")
        let bandwidth = try atTwoCounts((5, 15)) { iterations in
            try allocations {
                _ = try windows(world, size: size, peer: peer, active: pair, bidirectional: false,
                                iterations: iterations, warmup: 2, window: 64)
            }
        }
        // Open MPI itself allocates in C for nonblocking messages from 64 KiB
        // (its rendezvous path), and for early arrivals when ranks share cores;
        // the binding must add nothing.
        try check(bandwidth.1.swift == bandwidth.0.swift,
                  "bw loop at \(size) B: \(bandwidth.0.all) allocations for 5 windows, \(bandwidth.1.all) for 15 "
                    + "(Swift: \(bandwidth.0.swift), \(bandwidth.1.swift))")
        let send = [Float](repeating: 1, count: size / 4)
        var receive = [Float](repeating: 0, count: size / 4)
        let allReduce = try atTwoCounts((100, 300)) { iterations in
            try allocations {
                _ = try timeCollective(world, size: size, iterations: iterations, warmup: 10) {
                    try world.allReduce(send, into: &receive, .sum)
                }
            }
        }
        try check(allReduce.1.swift == allReduce.0.swift,
                  "allreduce loop at \(size) B: \(allReduce.0.swift) Swift allocations for 100 iterations, \(allReduce.1.swift) for 300")
        if world.rank == 0 {
            print("benchmark loops at \(size) B, allocations at fewer/more iterations: latency \(latency.0.all)/\(latency.1.all), "
                  + "bw \(bandwidth.0.all)/\(bandwidth.1.all) (Swift \(bandwidth.0.swift)/\(bandwidth.1.swift)), "
                  + "allreduce \(allReduce.0.all)/\(allReduce.1.all) (Swift \(allReduce.0.swift)/\(allReduce.1.swift))")
        }
    }
}

/// Runs `body` with each of two iteration counts.
/// (A first, discarded run lets MPI make its one-time allocations.)
func atTwoCounts<R>(_ counts: (Int, Int), _ body: (Int) throws -> R) rethrows -> (R, R) {
    _ = try body(counts.0)
    return (try body(counts.0), try body(counts.1))
}
