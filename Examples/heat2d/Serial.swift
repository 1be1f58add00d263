// The same steps on one process over the whole grid: the reference the
// parallel run is checked against.
#if canImport(Glibc)
import Glibc
#endif

extension Block {
    /// Fills the halo of a block that covers the whole grid: periodic
    /// columns wrap around, everything else stays at the fixed 0.
    mutating func fillHaloLocally(periodicColumns: Bool) {
        guard periodicColumns else { return }
        let stride = stride, columns = columns
        for r in 1...rows {
            cells[r * stride] = cells[r * stride + columns]
            cells[r * stride + columns + 1] = cells[r * stride + 1]
        }
    }
}

/// Runs `steps` steps on the whole n x n grid; returns the field and the
/// residual (square root of the summed squared changes) at every
/// `every`-th step.
func serialRun(n: Int, steps: Int, every: Int, alpha: Double, periodicColumns: Bool)
    -> (field: [Double], residuals: [Double], seconds: Double)
{
    var current = Block(rows: n, columns: n, firstRow: 0, firstColumn: 0, n: n)
    var next = current
    var residuals = [Double]()
    let start = monotonicSeconds()
    for step in 1...steps {
        current.fillHaloLocally(periodicColumns: periodicColumns)
        let change = current.step(into: &next, alpha: alpha)
        swap(&current, &next)
        if step % every == 0 { residuals.append(change.squareRoot()) }
    }
    return (current.interior, residuals, monotonicSeconds() - start)
}

/// Seconds on a monotonic clock, the same for the serial and the parallel run.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
