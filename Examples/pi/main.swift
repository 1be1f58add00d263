// pi: integrates 4 / (1 + x²) over [0, 1], which is exactly π, with the
// midpoint rule on n intervals; the ranks share the intervals and an
// all-reduce adds their partial sums.
// Run: mpirun -np 4 .build/release/pi [n]      (n defaults to 10_000_000)
import MPI

let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000
precondition(n > 0, "pi: n must be positive")

try MPI.run { world in
    // Start together, so that the time measured is the computation's, not
    // the skew between ranks' start-up.
    try world.barrier()
    let start = try MPI.wallTime()

    // Interleaved split: rank r takes intervals r, r + size, r + 2·size, ...
    // Every interval costs the same, so each rank gets the same work, and no
    // rank needs to know where the others' intervals are.
    let h = 1.0 / Double(n)
    var partial = 0.0
    for i in stride(from: world.rank, to: n, by: world.size) {
        let x = h * (Double(i) + 0.5)                     // the interval's midpoint
        partial += 4.0 / (1.0 + x * x)
    }
    // MPI_Allreduce: every rank gets the sum (only rank 0 prints it, but every
    // rank checks it).
    let estimate = try world.allReduce(partial * h, .sum)
    let seconds = try MPI.wallTime() - start

    // The midpoint rule's error here is about h²/12 (f'(1) - f'(0) = -2);
    // 1e-10 more allows for rounding in n additions. For the default n the
    // check is |error| < 1e-10.
    let error = estimate - Double.pi
    let tolerance = h * h / 12 + 1e-10
    if world.rank == 0 {
        print("pi: \(estimate) from \(n) intervals on \(world.size) ranks")
        print("pi: error \(error) (tolerance \(tolerance)), \((seconds * 1e6).rounded() / 1e3) ms")
    }
    precondition(abs(error) < tolerance, "pi: error \(error) is above the tolerance \(tolerance)")
}
