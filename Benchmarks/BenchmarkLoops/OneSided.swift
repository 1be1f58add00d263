// The one-sided (RMA) loops: osu_put_latency, osu_get_latency,
// osu_acc_latency, osu_put_bw and osu_get_bw in their default mode (a window
// made by MPI_Win_allocate for each size, passive target: one shared lock of
// rank 1 held over all iterations, MPI_Win_flush after each operation or
// each window of operations). Rank 0 originates and times, rank 1 is the
// target and waits in the barrier that follows. mpi-bench-c's onesided.c
// makes the same calls in the same order; the origin memory is a
// preallocated page-aligned buffer, borrowed by the unsafe-buffer forms, so
// the timed loops allocate nothing.
import MPI

/// The operation a one-sided loop times.
public enum OneSidedOperation: Sendable {
    case put
    case get
    /// MPI_Accumulate with MPI_SUM on bytes (MPI_UINT8_T).
    case accumulate
}

/// One one-sided series step: `size` bytes per operation, `operations`
/// operations per synchronization (1: latency; the window, 64: bandwidth),
/// each to displacement `j * size` of rank 1's window of `size * operations`
/// bytes, from (put, accumulate) or into (get) the origin buffer at
/// `j * size`; then one MPI_Win_flush of rank 1. `origin` holds at least
/// `size * operations` bytes, already filled. Returns the row on rank 0:
/// `value` the latency per iteration (us) when `operations` is 1, else the
/// bandwidth (MB/s); `elapsed` the sum of the timed iterations (s).
public func oneSided(
    _ world: Communicator, _ operation: OneSidedOperation, origin: UnsafeMutableRawBufferPointer, size: Int,
    operations: Int, iterations: Int, warmup: Int
) throws -> Row? {
    precondition(world.size == 2, "the one-sided benchmarks run at exactly 2 ranks")
    precondition(origin.count >= size * operations)
    let window = try world.allocateWindow(of: UInt8.self, count: size * operations)
    let base = origin.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var times = IterationTimes(capacity: iterations)
    var total = 0.0
    try world.barrier()
    if world.rank == 0 {
        try window.withLock(1, .shared) {
            for iteration in 0..<(warmup + iterations) {
                var start = 0.0
                if iteration >= warmup { start = try MPI.wallTime() }
                for j in 0..<operations {
                    let block = UnsafeMutableBufferPointer(start: base + j * size, count: size)
                    switch operation {
                    case .put: try window.put(UnsafeBufferPointer(block), to: 1, at: j * size)
                    case .get: try window.get(into: block, from: 1, at: j * size)
                    case .accumulate: try window.accumulate(UnsafeBufferPointer(block), to: 1, at: j * size, .sum)
                    }
                }
                try window.flush(rank: 1)
                if iteration >= warmup {
                    let took = try MPI.wallTime() - start
                    total += took
                    times.record(seconds: took)
                }
            }
        }
    }
    try world.barrier()
    try window.free()
    guard world.rank == 0 else { return nil }
    let value = operations == 1
        ? total * 1e6 / Double(iterations)
        : Double(size) / 1e6 * Double(iterations) * Double(operations) / total
    return Row(size: size, value: value, median: times.median, p99: times.p99, iterations: iterations,
               elapsed: total)
}
