import MPI
import FaultInjection

/// Faults on the last rank while the others wait for it: each must end the
/// whole job with a non-zero exit, fast, saying which rank failed and why.
/// The heap faults leave glibc's arena lock held, so a fault handler that
/// allocates (MPI_Abort does) would wait forever.
func fault(_ kind: String) -> @Sendable (Communicator) throws -> Void {
    { world in
        let last = world.size - 1
        if world.rank == last {
            let values = [1, 2, 3]
            let missing: Int? = world.size > 1_000_000 ? 1 : nil
            switch kind {
            case "precondition": precondition(world.size < 0, "deliberate precondition failure")
            case "index": print(values[world.size + 5])
            case "unwrap": print(missing!)
            case "exit": exit(3)
            case "sigkill": kill(getpid(), SIGKILL)   // no library can see this
            case "double-free": fault_double_free()
            case "invalid-free": fault_invalid_free()
            case "crash-in-malloc": fault_crash_inside_malloc()
            case "heap-overrun": fault_heap_overrun()
            default: throw CheckFailure(description: "deliberate failure on the last rank")
            }
        }
        // The other ranks wait for a message that never comes.
        let _: [Int] = try world.receive(from: last, tag: 77)
    }
}

/// A broadcast whose ranks disagree on the count, with the agreement check
/// off (the release default): rank 0 broadcasts 10,000 doubles and the last
/// rank has room for 5,000. Open MPI writes the rest past its buffer, and the
/// heap it corrupts makes the rank crash while glibc holds its lock (the job
/// used to hang there); MPICH reports a truncation instead. Either way the
/// job must end.
func mismatchedBroadcast(_ world: Communicator) throws {
    MPI.verifiesCollectiveArguments = false
    var values = [Double](repeating: 1, count: world.rank == world.size - 1 ? 5_000 : 10_000)
    for _ in 0..<20 {
        try world.broadcast(&values, root: 0)
        let more = [Double](repeating: 2, count: 3_000)   // allocates on the heap it may have corrupted
        values[0] += more[1]
    }
    if world.size > 1 { throw CheckFailure(description: "a mismatched broadcast went unnoticed") }
}
