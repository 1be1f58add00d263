// SPMD test programs, launched under mpirun by Tests/MPITests at several rank
// counts: `mpi-test-programs SUITE`. Each check that fails throws, and
// MPI.run then aborts the whole job with the failing rank's message.
import MPI

let suites: [String: (Communicator) throws -> Void] = [
    "point-to-point": pointToPoint,
    "truncation": truncation,
    "errors": errors,
    "collectives": collectives,
    "reductions": reductions,
    "nonblocking-collectives": nonblockingCollectives,
    "collective-errors": collectiveErrors,
    "communicators": communicators,
    "environment": environment,
    "allocations": allocations,
    "benchmark-allocations": benchmarkAllocations,
    "large-counts": largeCounts,
    "receive-limits": receiveLimits,
    "multihost": multihost,
    "multihost-traffic": multihostTraffic,
    "throw-on-last-rank": throwOnLastRank,
    "fault-throw": fault("throw"),
    "fault-precondition": fault("precondition"),
    "fault-index": fault("index"),
    "fault-unwrap": fault("unwrap"),
    "fault-exit": fault("exit"),
    "fault-sigkill": fault("sigkill"),
    "stress": stress,
]

let name = CommandLine.arguments.dropFirst().first ?? ""
guard let suite = suites[name] else {
    print("usage: mpi-test-programs \(suites.keys.sorted().joined(separator: "|"))")
    exit(2)
}
if name == "environment" {
    try environmentOutsideRun()
} else {
    try MPI.run { world in
        try suite(world)
        try world.barrier()
        if world.rank == 0 { print("passed: \(name) at \(world.size) ranks") }
    }
}
