// SPMD test programs, launched under mpirun by Tests/MPITests at several rank
// counts: `mpi-test-programs SUITE`. Each check that fails throws, and
// MPI.run then aborts the whole job with the failing rank's message.
import MPI

let suites: [String: (Communicator) throws -> Void] = [
    "point-to-point": pointToPoint,
    "truncation": truncation,
    "errors": errors,
    "element-types": elementTypes,
    "dropped-requests": droppedRequests,
    "collectives": collectives,
    "reductions": reductions,
    "nonblocking-collectives": nonblockingCollectives,
    "collective-errors": collectiveErrors,
    "collective-mismatches": collectiveMismatches,
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
    "fault-double-free": fault("double-free"),
    "fault-invalid-free": fault("invalid-free"),
    "fault-crash-in-malloc": fault("crash-in-malloc"),
    "fault-heap-overrun": fault("heap-overrun"),
    "fault-mismatched-broadcast": mismatchedBroadcast,
    "stress": stress,
    "threads": threads,
    "thread-level-single": { try threadLevel($0, requested: .single) },
    "thread-level-funneled": { try threadLevel($0, requested: .funneled) },
    "thread-level-serialized": { try threadLevel($0, requested: .serialized) },
    "thread-level-multiple": { try threadLevel($0, requested: .multiple) },
    "sanitizer-check-overflow": sanitizerCheckOverflow,
    "sanitizer-check-leak": sanitizerCheckLeak,
    "sanitizer-check-race": sanitizerCheckRace,
]

/// The thread level a suite asks for; `.single` unless named here.
let threadLevels: [String: ThreadLevel] = [
    "threads": .multiple,
    "thread-level-funneled": .funneled, "thread-level-serialized": .serialized, "thread-level-multiple": .multiple,
]

let name = CommandLine.arguments.dropFirst().first ?? ""
guard let suite = suites[name] else {
    print("usage: mpi-test-programs \(suites.keys.sorted().joined(separator: "|"))")
    exit(2)
}
if name == "environment" {
    try environmentOutsideRun()
} else {
    try MPI.run(threadLevel: threadLevels[name] ?? .single) { world in
        try suite(world)
        try world.barrier()
        if world.rank == 0 { print("passed: \(name) at \(world.size) ranks") }
    }
}
