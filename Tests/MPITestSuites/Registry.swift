import MPI

/// Rank counts most suites, the examples and the acceptance programs run at.
public enum Ranks {
    #if MPICH
    // MPICH busy-polls while waiting (no yield_when_idle as in Open MPI): more
    // ranks than this machine's 2 cores run minutes instead of seconds.
    public static let upToFour = [1, 2, 3]
    public static let upToFive = [1, 2, 3]
    #else
    public static let upToFour = [1, 2, 3, 4]
    public static let upToFive = [1, 2, 3, 4, 5]
    #endif
}

extension TestSuite.Variant {
    /// The collective suites once more as release builds run them.
    static let unverified = TestSuite.Variant(
        "unverified", "without the agreement check (the release default)", ranks: [3],
        environment: ["SWIFT_MPI_VERIFY_COLLECTIVES": "0"])
}

#if MPICH
/// MPICH reports the truncation, which the rank throws.
let mismatchedBroadcastReason = "threw: MPI_Bcast failed"
#else
/// Open MPI writes past the buffer, and the rank crashes on the heap it corrupted.
let mismatchedBroadcastReason = "stopped by signal"
#endif

#if MPICH
let defaultTruncationGuard = "unneeded"
/// MPICH has one policy.
let guardPolicyVariants: [TestSuite.Variant] = []
#else
let defaultTruncationGuard = "guarded"
/// Open MPI's policy follows its transports' put and get (MCA parameters,
/// passed to the ranks in OMPI_MCA_ variables): the guard-bytes suite runs
/// under each policy it can choose, and checks which it chose.
let guardPolicyVariants: [TestSuite.Variant] = [
    .init("without-rdma", "shared memory, TCP and self without put and get: no guard needed", ranks: [2],
          environment: rdmaOff(["vader", "tcp", "self"]).merging(["SWIFT_MPI_EXPECTED_GUARD": "unneeded"]) { $1 }),
    .init("without-rdma-over-tcp", "over TCP, TCP and self without put and get: no guard needed", ranks: [2],
          environment: rdmaOff(["tcp", "self"]).merging(["SWIFT_MPI_EXPECTED_GUARD": "unneeded"]) { $1 },
          tcpOnly: true),
    .init("self-with-rdma", "shared memory and TCP without put and get, self with them: guarded", ranks: [2],
          environment: rdmaOff(["vader", "tcp"]).merging(["SWIFT_MPI_EXPECTED_GUARD": "guarded"]) { $1 }),
]

/// The MCA settings that switch put and get off for `transports`.
private func rdmaOff(_ transports: [String]) -> [String: String] {
    var settings: [String: String] = [:]
    for transport in transports {
        if transport == "vader" { settings["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none" }
        else { settings["OMPI_MCA_btl_\(transport)_flags"] = "send,inplace" }
    }
    return settings
}
#endif

/// Faults the library sees end the job within 10 seconds, every time, saying
/// which rank failed and why; those inside glibc's allocator too, although
/// they leave its lock held where MPI_Abort needs it.
private func faultSuite(_ kind: String, _ reason: String, afterRank: Bool = false,
                        address: TestSuite.SanitizerRun = .judged(timeout: 60),
                        _ run: @escaping @Sendable (Communicator) throws -> Void) -> TestSuite {
    TestSuite("fault-\(kind)", "a fault on the last rank (\(kind)) ends the whole job fast, 10 times in a row",
              ranks: [2, 4], timeout: 30, outcome: .endsJob(reason: reason, afterRank: afterRank, times: 10, seconds: 10),
              address: address, run)
}

/// A fault inside glibc's allocator, which AddressSanitizer replaces (and reports itself).
private let heapFault = TestSuite.SanitizerRun.skipped("a fault in the heap, which AddressSanitizer owns")

private func threadLevelSuite(_ level: ThreadLevel, _ name: String) -> TestSuite {
    let mpiName = "MPI_THREAD_\(name.uppercased())"
    return TestSuite("thread-level-\(name)", "initializes at \(mpiName), reports the level, serialized calls from "
                     + "another thread work", threadLevel: level, ranks: [2], timeout: 120,
                     output: [.contains("thread level: requested \(mpiName), provided \(mpiName)")]) {
        try threadLevel($0, requested: level)
    }
}

extension TestSuite {
    /// Every suite, in the order the tests run them.
    public static let all: [TestSuite] = [
        TestSuite("collectives", "blocking collectives against serial references", ranks: Ranks.upToFive,
                  variants: [.unverified], collectives),
        TestSuite("reductions", "every reduction on every type, Swift operations in rank order", ranks: Ranks.upToFive,
                  variants: [.unverified], reductions),
        TestSuite("nonblocking-collectives", "nonblocking collectives overlapped with point-to-point",
                  ranks: Ranks.upToFive, variants: [.unverified], nonblockingCollectives),
        TestSuite("collective-errors", "collective argument errors", ranks: Ranks.upToFive,
                  variants: [.unverified], collectiveErrors),
        TestSuite("collective-mismatches",
                  "mismatched counts, roots, element sizes and collectives throw on every rank, nothing written",
                  ranks: Ranks.upToFour.filter { $0 > 1 }, collectiveMismatches),
        // One-sided communication (issue 16).
        TestSuite("one-sided", "windows: fenced puts and gets, locked accumulates and atomics, bad input",
                  ranks: Ranks.upToFive, oneSided),
        TestSuite("one-sided-modes",
                  "a ring under fence, post/start/complete/wait (waited and polled), lock, lock-all and local "
                  + "flushes against its reference; request-based operations; shared and dynamic windows; struct "
                  + "elements; random concurrent accumulates summing exactly; bad input",
                  ranks: Ranks.upToFive, oneSidedModes),
        TestSuite("one-sided-allocations", "puts, accumulates and gets over caller buffers allocate nothing",
                  ranks: [2], address: .skipped("counts allocations by replacing malloc; AddressSanitizer owns malloc"),
                  oneSidedAllocations),
        // Persistent requests (issue 15).
        TestSuite("persistent-requests",
                  "persistent sends and receives started many times, sets, cancel, truncation, bad input",
                  ranks: Ranks.upToFive, persistentRequests),
        TestSuite("persistent-collectives",
                  "persistent collectives started several times with changing data (or their clear error)",
                  ranks: Ranks.upToFive, persistentCollectives),
        TestSuite("persistent-allocations", "persistent start/wait cycles and set steps allocate nothing",
                  ranks: [2], address: .skipped("counts allocations by replacing malloc; AddressSanitizer owns malloc"),
                  persistentAllocations),
        TestSuite("point-to-point", "point-to-point semantics over world, self and a duplicate",
                  ranks: Ranks.upToFour, pointToPoint),
        TestSuite("truncation", "truncation never writes past the buffer (shared memory)", ranks: [2, 3],
                  variants: [.init("over-tcp", "over TCP", ranks: [2], tcpOnly: true)], truncation),
        TestSuite("guard-bytes",
                  "messages longer than their buffers, every receive, from another rank and from itself, both sides "
                  + "of each eager limit up to 4 MiB: nothing written past a buffer under MPI.truncationGuard",
                  ranks: [2], environment: ["SWIFT_MPI_EXPECTED_GUARD": defaultTruncationGuard],
                  variants: [.init("over-tcp", "over TCP", ranks: [2], tcpOnly: true)] + guardPolicyVariants) {
            try guardBytes($0, unguarded: false)
        },
        TestSuite("guard-bytes-unguarded",
                  "the same receives with the guard off: prints what MPI itself writes past each buffer",
                  ranks: [], notInMakeTest: "prints the README's table (Tests/GuardBytesC/table.sh runs it)",
                  address: .skipped("the guard is off: MPI overruns the buffers on purpose")) {
            try guardBytes($0, unguarded: true)
        },
        TestSuite("struct-datatypes",
                  "@MPIDatatype structs with padding, nesting, SIMD and inline arrays: layouts against MemoryLayout, "
                  + "round trips of 0, 1 and 1 Mi elements, collectives, a custom reduction, clear errors",
                  ranks: Ranks.upToFour, structDatatypes),
        TestSuite("object-messages",
                  "Codable values as messages over world, self, a duplicate and a split communicator: point-to-point, "
                  + "nonblocking, every collective from every root, errors naming the sender, limits, typed messages mixed in",
                  ranks: Ranks.upToFour, objectMessages),
        TestSuite("large-counts",
                  "messages beyond Int32.max elements: send, receive, broadcast, all-reduce, objects (about 2.2 GB a buffer)",
                  ranks: [2], timeout: 600, largeCounts),
        TestSuite("receive-limits", "receives sized by the peer refuse messages beyond MPI.receiveSizeLimit",
                  ranks: [2, 3], receiveLimits),
        threadLevelSuite(.single, "single"),
        threadLevelSuite(.funneled, "funneled"),
        threadLevelSuite(.serialized, "serialized"),
        threadLevelSuite(.multiple, "multiple"),
        TestSuite("threads", "several threads per rank call MPI at once (MPI_THREAD_MULTIPLE)", threadLevel: .multiple,
                  ranks: [1, 2, 3], thread: .judged(timeout: 600), threads),
        TestSuite("errors", "bad input throws errors naming the argument", ranks: Ranks.upToFour, errors),
        TestSuite("async-point-to-point", "awaited point-to-point, probes, requests, sets, objects and message sequences",
                  ranks: Ranks.upToFour, thread: .judged(timeout: 600), body: .inAsyncRun(asyncPointToPoint)),
        TestSuite("async-in-flight", "many receives awaited at once from child tasks; tasks on their own communicators",
                  ranks: Ranks.upToFour, thread: .judged(timeout: 600), body: .inAsyncRun(asyncManyInFlight)),
        TestSuite("async-cancellation", "a cancelled task's receive throws CancellationError and loses nothing; a send completes",
                  ranks: [1, 2, 3], thread: .judged(timeout: 600), body: .inAsyncRun(asyncCancellation)),
        TestSuite("async-collectives", "awaited collectives against serial references", ranks: Ranks.upToFour,
                  thread: .judged(timeout: 600), body: .inAsyncRun(asyncCollectives)),
        TestSuite("async-object-collectives", "awaited object collectives, their failures and refusals", ranks: Ranks.upToFour,
                  thread: .judged(timeout: 600), body: .inAsyncRun(asyncObjectCollectives)),
        TestSuite("async-thread-rules", "below MPI_THREAD_MULTIPLE a call off the MPI thread is a clear error",
                  threadLevel: .funneled, ranks: [1, 2], output: [.contains("off-thread call: "), .absent("while releasing")],
                  thread: .judged(timeout: 600), body: .inAsyncRun(asyncThreadRules)),
        TestSuite("async-thread-rules-multiple", "at MPI_THREAD_MULTIPLE any thread may call MPI beside the MPI thread",
                  threadLevel: .multiple, ranks: [1, 2], output: [.contains("off-thread call: allowed")],
                  thread: .judged(timeout: 600), body: .inAsyncRun(asyncThreadRules)),
        TestSuite("async-under-sync-run", "awaiting under the synchronous MPI.run is refused with a clear error",
                  ranks: [1, 2], asyncUnderSynchronousRun),
        TestSuite("task-pool", "TaskPool: order, chunk sizes, failures, early ends, roots, a split communicator",
                  ranks: Ranks.upToFour, thread: .judged(timeout: 600), body: .inAsyncRun(taskPool)),
        TestSuite("task-pool-crash", "a worker that crashes in a task ends the job with the rank's message",
                  ranks: [2, 3], timeout: 30, outcome: .endsJob(reason: "deliberate crash in a pool task", seconds: 10),
                  body: .inAsyncRun(taskPoolCrash)),
        TestSuite("element-types", "element types whose datatype does not match their layout are errors naming the type",
                  ranks: Ranks.upToFour, elementTypes),
        // Debug builds report drops, and the suite runs debug builds.
        TestSuite("dropped-requests", "a dropped pending send says what it waits for (debug builds)", ranks: [2, 3],
                  timeout: 120,
                  output: [5, 6].map {
                      .once("swift-mpi: rank 0: a pending MPI_Isend to rank 1 with tag \($0) was dropped without wait()")
                  } + [
                      .contains("swift-mpi: rank 0: a pending MPI_Iallreduce was dropped without wait()"),
                      // A dropped receive is cancelled at once, so nothing reports it.
                      .absent("MPI_Irecv"),
                      .absent("failed"),
                  ], droppedRequests),
        TestSuite("communicators", "communicator management", ranks: Ranks.upToFour, communicators),
        TestSuite("groups", "groups: translation, comparison, set operations, communicators from groups, bad input",
                  ranks: Ranks.upToFive, groups),
        TestSuite("intercommunicators", "intercommunicators between even and odd ranks: groups, point-to-point, "
                  + "collectives across, merge, bad input", ranks: Ranks.upToFive, intercommunicators),
        TestSuite("topologies", "dims_create, Cartesian grids, graphs and distributed graphs, and their queries",
                  ranks: Ranks.upToFive, topologies),
        TestSuite("neighbor-collectives", "neighbourhood all-gather and all-to-all on rings, grids and graphs",
                  ranks: Ranks.upToFive, neighborCollectives),
        TestSuite("environment", "environment: initialize, queries, use after finalize", ranks: [1, 3],
                  body: .outsideRun(environmentOutsideRun)),
        TestSuite("async-allocations", "awaited sends and receives over caller arrays allocate nothing per message",
                  ranks: [2], output: [.contains("async allocations: rank 0")],
                  address: .skipped("counts allocations by replacing malloc; AddressSanitizer owns malloc"),
                  body: .inAsyncRun(asyncAllocations)),
        TestSuite("allocations",
                  "blocking send and receive, and collectives over caller buffers, allocate nothing per call",
                  ranks: [2, 4], address: .skipped("counts allocations by replacing malloc; AddressSanitizer owns malloc"),
                  allocations),
        TestSuite("benchmark-allocations",
                  "the timed loops of mpi-bench's latency, bw and allreduce allocate nothing per iteration",
                  ranks: [2, 4], address: .skipped("counts allocations by replacing malloc; AddressSanitizer owns malloc"),
                  benchmarkAllocations),
        faultSuite("throw", "threw", afterRank: true, fault("throw")),
        faultSuite("precondition", "deliberate precondition failure", fault("precondition")),
        faultSuite("index", "Index out of range", fault("index")),
        faultSuite("unwrap", "Unexpectedly found nil", fault("unwrap")),
        faultSuite("exit", "exited while MPI was initialized", fault("exit")),
        faultSuite("double-free", "stopped by signal 6", address: heapFault, fault("double-free")),
        faultSuite("invalid-free", "stopped by signal 6", address: heapFault, fault("invalid-free")),
        faultSuite("crash-in-malloc", "stopped by signal 11", address: heapFault, fault("crash-in-malloc")),
        faultSuite("heap-overrun", "stopped by signal", address: heapFault, fault("heap-overrun")),
        faultSuite("mismatched-broadcast", mismatchedBroadcastReason, address: heapFault, mismatchedBroadcast),
        // mpirun usually notices a rank killed by SIGKILL (the README has the
        // figure); the test only makes sure such a job never hangs the suite.
        TestSuite("fault-sigkill", "a rank killed by SIGKILL never hangs the suite", ranks: [2, 4], timeout: 20,
                  outcome: .killed, address: .judged(timeout: 60), fault("sigkill")),
        TestSuite("throw-on-last-rank", "an error thrown on one rank ends the whole job with a non-zero exit",
                  ranks: [2, 4], timeout: 30,
                  outcome: .endsJob(reason: "threw: deliberate failure on the last rank", afterRank: true),
                  address: .judged(timeout: 60), throwOnLastRank),
        // The short run; `make stress` runs 100,000 messages in release.
        TestSuite("stress", "random messages at 4 ranks, none lost, damaged or overtaken", ranks: [4],
                  arguments: ["--messages", "4000"], timeout: 120, hasOwnTest: true, stress),
        TestSuite("multihost", "a job across three hosts", ranks: [],
                  notInMakeTest: "needs several hosts: make test-multihost",
                  address: .skipped("needs several hosts: make test-multihost"), multihost),
        TestSuite("multihost-traffic", "traffic around the ring while a host goes away", ranks: [],
                  notInMakeTest: "needs several hosts: make test-multihost",
                  address: .skipped("needs several hosts: make test-multihost"), multihostTraffic),
        // Controls: each commits a bug the sanitizer must report.
        TestSuite("sanitizer-check-overflow", "a heap overflow AddressSanitizer must report", ranks: [],
                  notInMakeTest: "a control for make test-asan",
                  address: .reports(pattern: "ERROR: AddressSanitizer: heap-buffer-overflow", timeout: 120),
                  sanitizerCheckOverflow),
        TestSuite("sanitizer-check-leak", "a leak LeakSanitizer must report", ranks: [],
                  notInMakeTest: "a control for make test-asan",
                  address: .reports(pattern: "ERROR: LeakSanitizer: detected memory leaks", timeout: 120),
                  sanitizerCheckLeak),
        TestSuite("sanitizer-check-race", "a data race ThreadSanitizer must report", ranks: [],
                  notInMakeTest: "a control for make test-tsan",
                  address: .skipped("a control for another sanitizer"),
                  thread: .reports(pattern: "WARNING: ThreadSanitizer: (data|Swift access) race", timeout: 120),
                  sanitizerCheckRace),
    ]
}
