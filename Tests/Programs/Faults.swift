import MPI
import FaultInjection

/// Faults on the last rank while the others wait for it: each must end the
/// whole job with a non-zero exit, fast, saying which rank failed and why.
/// The heap faults leave glibc's arena lock held, so a fault handler that
/// allocates (MPI_Abort does) would wait forever.
func fault(_ kind: String) -> (Communicator) throws -> Void {
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
