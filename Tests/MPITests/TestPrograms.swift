import Foundation
import Testing

/// Every mpirun job runs alone: the machines have 2 cores, and jobs run side
/// by side would slow each other into timeouts. `.serialized` applies to the
/// nested suites too.
@Suite(.serialized)
struct MPIJobs {}

extension MPIJobs {
@Suite
struct SPMDTests {
    #if MPICH
    // MPICH busy-polls while waiting (no yield_when_idle as in Open MPI): more
    // ranks than this machine's 2 cores run minutes instead of seconds.
    static let rankCounts = [1, 2, 3]
    static let upToFive = [1, 2, 3]
    #else
    static let rankCounts = [1, 2, 3, 4]
    static let upToFive = [1, 2, 3, 4, 5]
    #endif

    /// Runs a suite of Tests/Programs and expects it to pass on every rank.
    func expectPasses(
        _ suite: String, ranks: Int, mpirunOptions: [String] = [], environment: [String: String] = [:]
    ) throws {
        // Generous: the reductions suite at 5 ranks on 2 busy cores has taken over 3 minutes.
        let outcome = try MPIRun.run("mpi-test-programs", [suite], ranks: ranks, timeout: 480,
                                     mpirunOptions: mpirunOptions, extraEnvironment: environment)
        #expect(!outcome.timedOut, "\(suite) at \(ranks) ranks timed out:\n\(outcome.output)")
        #expect(outcome.exitCode == 0, "\(suite) at \(ranks) ranks exited \(outcome.exitCode):\n\(outcome.output)")
        #expect(outcome.output.contains("passed: \(suite) at \(ranks) ranks"),
                "\(suite) at \(ranks) ranks did not report passing:\n\(outcome.output)")
    }

    #if MPICH
    /// The program sends to `(rank + 1) % size` with a blocking send before
    /// receiving: at 1 rank a send to itself, which MPI lets wait for its
    /// receive forever, and MPICH 4.0 does. So under MPICH it runs at 2 ranks up.
    static let acceptanceFoundationRanks = [2, 3]
    #else
    static let acceptanceFoundationRanks = rankCounts
    #endif

    @Test("The program of issue 2 compiles unchanged and runs", arguments: acceptanceFoundationRanks)
    func acceptanceFoundation(ranks: Int) throws {
        let outcome = try MPIRun.run("acceptance-foundation", ranks: ranks, timeout: 60)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
    }

    @Test("The program of issue 3 compiles unchanged and runs", arguments: upToFive)
    func acceptanceCollectives(ranks: Int) throws {
        let outcome = try MPIRun.run("acceptance-collectives", ranks: ranks, timeout: 60)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
    }

    @Test("Blocking collectives against serial references", arguments: upToFive)
    func collectives(ranks: Int) throws { try expectPasses("collectives", ranks: ranks) }

    @Test("Every reduction on every type, Swift operations in rank order", arguments: upToFive)
    func reductions(ranks: Int) throws { try expectPasses("reductions", ranks: ranks) }

    @Test("Nonblocking collectives overlapped with point-to-point", arguments: upToFive)
    func nonblockingCollectives(ranks: Int) throws { try expectPasses("nonblocking-collectives", ranks: ranks) }

    @Test("Collective argument errors", arguments: upToFive)
    func collectiveErrors(ranks: Int) throws { try expectPasses("collective-errors", ranks: ranks) }

    @Test("Mismatched counts, roots, element sizes and collectives throw on every rank, nothing written",
          arguments: rankCounts.filter { $0 > 1 })
    func collectiveMismatches(ranks: Int) throws { try expectPasses("collective-mismatches", ranks: ranks) }

    @Test("Collectives without the agreement check (the release default)",
          arguments: ["collectives", "reductions", "nonblocking-collectives", "collective-errors"])
    func collectivesUnverified(suite: String) throws {
        try expectPasses(suite, ranks: 3, environment: ["SWIFT_MPI_VERIFY_COLLECTIVES": "0"])
    }

    @Test("Point-to-point semantics over world, self and a duplicate", arguments: rankCounts)
    func pointToPoint(ranks: Int) throws { try expectPasses("point-to-point", ranks: ranks) }

    @Test("Truncation never writes past the buffer (shared memory)", arguments: [2, 3])
    func truncation(ranks: Int) throws { try expectPasses("truncation", ranks: ranks) }

    @Test("Truncation never writes past the buffer (TCP)")
    func truncationOverTCP() throws {
        let tcp = MPIRun.Launcher.tcpOnly
        try expectPasses("truncation", ranks: 2, mpirunOptions: tcp.options, environment: tcp.environment)
    }

    @Test("Messages beyond Int32.max elements: send, receive, broadcast, all-reduce (2 ranks, about 2.2 GB a buffer)")
    func largeCounts() throws {
        let outcome = try MPIRun.run("mpi-test-programs", ["large-counts"], ranks: 2, timeout: 600)
        #expect(outcome.exitCode == 0 && outcome.output.contains("passed: large-counts"), "\(outcome.output)")
    }

    @Test("Receives sized by the peer refuse messages beyond MPI.receiveSizeLimit", arguments: [2, 3])
    func receiveLimits(ranks: Int) throws { try expectPasses("receive-limits", ranks: ranks) }

    @Test("A program started by the other MPI's launcher stops and says which launcher to use")
    func wrongLauncher() throws {
        let other = MPIRun.Launcher.otherLauncher
        guard FileManager.default.isExecutableFile(atPath: other.path) else {
            print("wrongLauncher: skipped, \(other.path) is not installed (make test MPI=... installs it)")
            return
        }
        let hello = MPIRun.productsDirectory.appendingPathComponent("hello").path
        let outcome = try MPIRun.runCommand([other.path, "-np", "2", hello], timeout: 60, program: hello)
        #expect(!outcome.timedOut && outcome.exitCode != 0, "exit \(outcome.exitCode):\n\(outcome.output)")
        #expect(outcome.output.contains("was started by \(other.name)") && outcome.output.contains("Start it with"),
                "\(outcome.output)")
        #expect(!outcome.output.contains("Hello from rank"), "hello ran anyway:\n\(outcome.output)")
    }

    @Test("A world that is not the size the launcher started is detected at initialization")
    func worldSizeMismatch() throws {
        // A process started alone, in an environment claiming a job of 3.
        let hello = MPIRun.productsDirectory.appendingPathComponent("hello").path
        let outcome = try MPIRun.runCommand([hello], timeout: 60,
                                            extraEnvironment: [MPIRun.Launcher.sizeVariable: "3"], program: hello)
        #expect(!outcome.timedOut && outcome.exitCode != 0, "exit \(outcome.exitCode):\n\(outcome.output)")
        #expect(outcome.output.contains("\(MPIRun.Launcher.sizeVariable)=3")
                    && outcome.output.contains("made a world of 1"), "\(outcome.output)")
    }

    @Test("Each thread level initializes, reports the level provided, and serialized calls from another thread work",
          arguments: ["single", "funneled", "serialized", "multiple"])
    func threadLevel(level: String) throws {
        let outcome = try MPIRun.run("mpi-test-programs", ["thread-level-\(level)"], ranks: 2, timeout: 120)
        let name = "MPI_THREAD_\(level.uppercased())"
        #expect(outcome.exitCode == 0 && outcome.output.contains("passed: thread-level-\(level) at 2 ranks"),
                "\(outcome.output)")
        #expect(outcome.output.contains("thread level: requested \(name), provided \(name)"), "\(outcome.output)")
    }

    @Test("Several threads per rank call MPI at once (MPI_THREAD_MULTIPLE)", arguments: [1, 2, 3])
    func threads(ranks: Int) throws { try expectPasses("threads", ranks: ranks) }

    @Test("Bad input throws errors naming the argument", arguments: rankCounts)
    func errors(ranks: Int) throws { try expectPasses("errors", ranks: ranks) }

    @Test("Element types whose datatype does not match their layout are errors naming the type", arguments: rankCounts)
    func elementTypes(ranks: Int) throws { try expectPasses("element-types", ranks: ranks) }

    /// Issue 10, item 5 (the suite runs debug builds, which report drops).
    @Test("A dropped pending send says what it waits for (debug builds)", arguments: [2, 3])
    func droppedRequests(ranks: Int) throws {
        let outcome = try MPIRun.run("mpi-test-programs", ["dropped-requests"], ranks: ranks, timeout: 120)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
        for tag in [5, 6] {
            let line = "swift-mpi: rank 0: a pending MPI_Isend to rank 1 with tag \(tag) was dropped without wait()"
            #expect(outcome.output.components(separatedBy: line).count == 2, "no single \"\(line)\":\n\(outcome.output)")
        }
        #expect(outcome.output.contains("swift-mpi: rank 0: a pending MPI_Iallreduce was dropped without wait()"),
                "\(outcome.output)")
        #expect(!outcome.output.contains("MPI_Irecv"), "a dropped receive, cancelled at once, was reported:\n\(outcome.output)")
        #expect(!outcome.output.contains("failed"), "an MPI call failed:\n\(outcome.output)")
    }

    @Test("Communicator management", arguments: rankCounts)
    func communicators(ranks: Int) throws { try expectPasses("communicators", ranks: ranks) }

    @Test("Environment: initialize, queries, use after finalize", arguments: [1, 3])
    func environment(ranks: Int) throws { try expectPasses("environment", ranks: ranks) }

    @Test("Blocking send and receive, and collectives over caller buffers, allocate nothing per call",
          arguments: [2, 4])
    func allocations(ranks: Int) throws { try expectPasses("allocations", ranks: ranks) }

    @Test("The timed loops of mpi-bench's latency, bw and allreduce allocate nothing per iteration",
          arguments: [2, 4])
    func benchmarkAllocations(ranks: Int) throws { try expectPasses("benchmark-allocations", ranks: ranks) }

    /// Issue 5: each fault the library can see ends the job within 10 seconds,
    /// every time, saying which rank failed and why. Issue 10: also faults
    /// inside glibc's allocator, which leave its lock held where MPI_Abort
    /// needs it (the job hung until the outer timeout before the deadline).
    @Test("A fault on one rank ends the whole job fast, 10 times in a row",
          arguments: [("throw", "threw"), ("precondition", "deliberate precondition failure"),
                      ("index", "Index out of range"), ("unwrap", "Unexpectedly found nil"),
                      ("exit", "exited while MPI was initialized"),
                      ("double-free", "stopped by signal 6"), ("invalid-free", "stopped by signal 6"),
                      ("crash-in-malloc", "stopped by signal 11"), ("heap-overrun", "stopped by signal"),
                      ("mismatched-broadcast", SPMDTests.mismatchedBroadcastReason)])
    func faultEndsJob(fault: String, reason: String) throws {
        for ranks in [2, 4] {
            for attempt in 1...10 {
                let outcome = try MPIRun.run("mpi-test-programs", ["fault-\(fault)"], ranks: ranks, timeout: 30)
                let run = "fault-\(fault) at \(ranks) ranks, attempt \(attempt)"
                #expect(!outcome.timedOut && outcome.seconds < 10, "\(run) took \(outcome.seconds) s:\n\(outcome.output)")
                #expect(outcome.exitCode != 0, "\(run) exited 0")
                #expect(outcome.output.contains("swift-mpi: rank \(ranks - 1) of \(ranks)"), "\(run):\n\(outcome.output)")
                #expect(outcome.output.contains(reason), "\(run) did not say \"\(reason)\":\n\(outcome.output)")
            }
        }
    }

    #if MPICH
    /// MPICH reports the truncation, which the rank throws.
    static let mismatchedBroadcastReason = "threw: MPI_Bcast failed"
    #else
    /// Open MPI writes past the buffer, and the rank crashes on the heap it corrupted.
    static let mismatchedBroadcastReason = "stopped by signal"
    #endif

    /// A rank killed by SIGKILL cannot tell anyone; mpirun usually notices (the
    /// README has the figure). This only makes sure such a job can never hang
    /// the suite, and that it does not end as a success.
    @Test("A rank killed by SIGKILL never hangs the suite")
    func sigkilledRank() throws {
        for ranks in [2, 4] {
            let outcome = try MPIRun.run("mpi-test-programs", ["fault-sigkill"], ranks: ranks, timeout: 20)
            #expect(outcome.exitCode != 0, "a job with a killed rank exited 0")
            MPIRun.killLeftoverRanks(of: MPIRun.productsDirectory.appendingPathComponent("mpi-test-programs").path)
        }
    }

    /// Issue 5, item 2: randomized traffic (0 B to 1 MiB, random tags and
    /// destinations, every send and receive form, wildcards, collectives in
    /// between) arrives exactly once, intact, in non-overtaking order. This is
    /// the short run; `make stress` runs 100,000 messages in release.
    @Test("Stress: 4,000 random messages at 4 ranks, none lost, damaged or overtaken")
    func stress() throws {
        let outcome = try MPIRun.run("mpi-test-programs", ["stress", "--messages", "4000"], ranks: 4, timeout: 120)
        #expect(!outcome.timedOut, "stress timed out after \(outcome.seconds) s:\n\(outcome.output)")
        #expect(outcome.exitCode == 0, "stress exited \(outcome.exitCode):\n\(outcome.output)")
        let seed = outcome.output.split(separator: "\n").first { $0.hasPrefix("stress seed ") }?
            .dropFirst("stress seed ".count).prefix { $0.isNumber }
        #expect(seed != nil && !seed!.isEmpty, "the seed was not printed:\n\(outcome.output)")
        if let seed {
            #expect(outcome.output.contains("make stress SEED=\(seed)"), "no replay command:\n\(outcome.output)")
            #expect(outcome.output.contains("stress passed: seed \(seed), 4000 messages"), "\(outcome.output)")
        }
        #expect(outcome.output.contains("passed: stress at 4 ranks"), "stress did not report passing:\n\(outcome.output)")
    }

    /// A seed given back plans the same traffic (the plan digest shows it).
    @Test("Stress: a seed given back replays the same plan")
    func stressReplay() throws {
        func digest(seed: Int) throws -> Substring? {
            let outcome = try MPIRun.run("mpi-test-programs", ["stress", "--seed", "\(seed)", "--messages", "600"],
                                         ranks: 4, timeout: 60)
            #expect(outcome.exitCode == 0 && outcome.output.contains("stress seed \(seed):"), "\(outcome.output)")
            return outcome.output.split(separator: "\n").first { $0.hasPrefix("stress passed: seed \(seed),") }?
                .split(separator: "plan digest ").last?.prefix { $0 != ";" }
        }
        let first = try digest(seed: 20_250_105), again = try digest(seed: 20_250_105), other = try digest(seed: 7)
        #expect(first != nil && first == again, "replaying seed 20250105 planned \(String(describing: again)), first \(String(describing: first))")
        #expect(other != nil && other != first, "seeds 7 and 20250105 planned the same")
    }

    @Test("An error thrown on one rank ends the whole job with a non-zero exit", arguments: [2, 4])
    func errorOnOneRankEndsJob(ranks: Int) throws {
        let outcome = try MPIRun.run("mpi-test-programs", ["throw-on-last-rank"], ranks: ranks, timeout: 30)
        #expect(!outcome.timedOut, "the job hung after one rank threw:\n\(outcome.output)")
        #expect(outcome.exitCode != 0, "the job exited 0 although a rank threw")
        #expect(outcome.output.contains("rank \(ranks - 1) of \(ranks) threw"),
                "the failing rank's error was not printed:\n\(outcome.output)")
        #expect(outcome.output.contains("deliberate failure on the last rank"))
    }
}

/// The examples check their own results; these runs are their tests.
@Suite
struct ExampleTests {
    @Test("hello", arguments: MPIJobs.SPMDTests.rankCounts)
    func hello(ranks: Int) throws {
        let outcome = try MPIRun.run("hello", ranks: ranks, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("all \(ranks) ranks reported"))
        for rank in 0..<ranks { #expect(outcome.output.contains("Hello from rank \(rank) of \(ranks) on ")) }
    }

    @Test("ring", arguments: MPIJobs.SPMDTests.rankCounts)
    func ring(ranks: Int) throws {
        let outcome = try MPIRun.run("ring", ranks: ranks, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("token came back as \(ranks * (ranks - 1) / 2) after \(ranks) ranks"))
    }

    @Test("deadlock: both fixes exchange the data", arguments: ["sendreceive", "nonblocking"])
    func deadlockFixed(mode: String) throws {
        let outcome = try MPIRun.run("deadlock", [mode], ranks: 2, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("deadlock (\(mode)): rank 0 exchanged"))
        #expect(outcome.output.contains("deadlock (\(mode)): rank 1 exchanged"))
    }

    @Test("deadlock: sending first on both ranks hangs until the timeout")
    func deadlockHangs() throws {
        // The launcher's own time limit ends the job (mpirun exits 110 here);
        // the outer timeout is the backstop.
        let limit = MPIRun.Launcher.timeLimit(4)
        let outcome = try MPIRun.run("deadlock", ["naive"], ranks: 2, timeout: 20, mpirunOptions: limit.options,
                                     extraEnvironment: limit.environment)
        #expect(outcome.timedOut || outcome.output.contains("time limit for job execution has been reached")
                    || outcome.output.contains("APPLICATION TIMED OUT"),
                "expected a hang, got exit \(outcome.exitCode):\n\(outcome.output)")
        #expect(outcome.exitCode != 0)
        #expect(!outcome.output.contains("exchanged"))
    }
}
}
