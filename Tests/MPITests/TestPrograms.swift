import Foundation
import MPITestSuites
import Testing

/// Every mpirun job runs alone: the machines have 2 cores, and jobs run side
/// by side would slow each other into timeouts. `.serialized` applies to the
/// nested suites too.
@Suite(.serialized)
struct MPIJobs {}

extension MPIJobs {
@Suite
struct SPMDTests {
    /// For the examples and the acceptance programs, as for the suites (fewer under MPICH).
    static let rankCounts = Ranks.upToFour
    static let upToFive = Ranks.upToFive

    #if MPICH
    /// The program sends to `(rank + 1) % size` with a blocking send before
    /// receiving: at 1 rank a send to itself, which MPI lets wait for its
    /// receive forever, and MPICH 4.0 does. So under MPICH it runs at 2 ranks up.
    static let acceptanceFoundationRanks = [2, 3]
    #else
    static let acceptanceFoundationRanks = rankCounts
    #endif

    @Test("The foundation acceptance program compiles unchanged and runs", arguments: acceptanceFoundationRanks)
    func acceptanceFoundation(ranks: Int) throws {
        let outcome = try MPIRun.run("acceptance-foundation", ranks: ranks, timeout: 60)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
    }

    @Test("The collectives acceptance program compiles unchanged and runs", arguments: upToFive)
    func acceptanceCollectives(ranks: Int) throws {
        let outcome = try MPIRun.run("acceptance-collectives", ranks: ranks, timeout: 60)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
    }

    @Test("The objects acceptance program compiles unchanged and runs", arguments: rankCounts)
    func acceptanceObjects(ranks: Int) throws {
        let outcome = try MPIRun.run("acceptance-objects", ranks: ranks, timeout: 60)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
    }

    @Test("The concurrency acceptance program compiles unchanged and runs", arguments: Ranks.upToFour)
    func acceptanceConcurrency(ranks: Int) throws {
        let outcome = try MPIRun.run("acceptance-concurrency", ranks: ranks, timeout: 60)
        #expect(!outcome.timedOut && outcome.exitCode == 0, "exit \(outcome.exitCode):\n\(outcome.output)")
    }

    @Test("Every suite that passes, at each of its rank counts and variants", arguments: SuiteRun.all(.passes))
    func suitePasses(_ run: SuiteRun) throws { try run.expectOutcome() }

    @Test("A fault or error on one rank ends the whole job, saying which rank and why", arguments: SuiteRun.all(.endsJob))
    func faultEndsJob(_ run: SuiteRun) throws { try run.expectOutcome() }

    @Test("A rank killed by SIGKILL never hangs the suite", arguments: SuiteRun.all(.killed))
    func killedRank(_ run: SuiteRun) throws {
        try run.expectOutcome()
        MPIRun.killLeftoverRanks(of: MPIRun.productsDirectory.appendingPathComponent("mpi-test-programs").path)
    }

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

    /// Randomized traffic (0 B to 1 MiB, random tags and destinations, every
    /// send and receive form, wildcards, collectives in between) arrives
    /// exactly once, intact, in non-overtaking order; each run prints the seed
    /// that replays it.
    @Test("Stress: random messages, none lost, damaged or overtaken, with the seed that replays them",
          arguments: SuiteRun.of("stress"))
    func stress(_ run: SuiteRun) throws {
        let outcome = try run.expectOutcome()
        let seed = outcome.output.split(separator: "\n").first { $0.hasPrefix("stress seed ") }?
            .dropFirst("stress seed ".count).prefix { $0.isNumber }
        #expect(seed != nil && !seed!.isEmpty, "the seed was not printed:\n\(outcome.output)")
        let messages = run.arguments.drop { $0 != "--messages" }.dropFirst().first ?? "4000"
        if let seed {
            #expect(outcome.output.contains("make stress SEED=\(seed)"), "no replay command:\n\(outcome.output)")
            #expect(outcome.output.contains("stress passed: seed \(seed), \(messages) messages"), "\(outcome.output)")
        }
    }

    /// A seed given back plans the same traffic (the plan digest shows it).
    @Test("Stress: a seed given back replays the same plan")
    func stressReplay() throws {
        let suite = try #require(TestSuite.named("stress"))
        let ranks = try #require(suite.ranks.first)
        func digest(seed: Int) throws -> Substring? {
            let outcome = try MPIRun.run("mpi-test-programs", ["stress", "--seed", "\(seed)", "--messages", "600"],
                                         ranks: ranks, timeout: 60)
            #expect(outcome.exitCode == 0 && outcome.output.contains("stress seed \(seed):"), "\(outcome.output)")
            return outcome.output.split(separator: "\n").first { $0.hasPrefix("stress passed: seed \(seed),") }?
                .split(separator: "plan digest ").last?.prefix { $0 != ";" }
        }
        let first = try digest(seed: 20_250_105), again = try digest(seed: 20_250_105), other = try digest(seed: 7)
        #expect(first != nil && first == again, "replaying seed 20250105 planned \(String(describing: again)), first \(String(describing: first))")
        #expect(other != nil && other != first, "seeds 7 and 20250105 planned the same")
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

    @Test("async-ring: the token and the neighbours' values, awaited", arguments: Ranks.upToFour)
    func asyncRing(ranks: Int) throws {
        let outcome = try MPIRun.run("async-ring", ranks: ranks, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("token came back as \(ranks * (ranks - 1) / 2) after \(ranks) ranks"))
        #expect(outcome.output.contains("\(ranks) ranks checked their neighbour's value"))
    }

    @Test("deadlock-async: async let keeps the receive in flight while the send is awaited")
    func deadlockAsync() throws {
        let outcome = try MPIRun.run("deadlock-async", ranks: 2, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("deadlock-async: rank 0 exchanged"))
        #expect(outcome.output.contains("deadlock-async: rank 1 exchanged"))
    }

    @Test("pool-map: squares in order and primes as they come, over a pool", arguments: Ranks.upToFour)
    func poolMap(ranks: Int) throws {
        let outcome = try MPIRun.run("pool-map", ranks: ranks, timeout: 120)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("1000 squares over \(ranks - 1) workers, sum 333833500"))
        #expect(outcome.output.contains("17984 primes below 200000"))
    }

    @Test("pipeline: three stages ended by a stop message")
    func pipeline() throws {
        let outcome = try MPIRun.run("pipeline", ranks: 3, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("pipeline: 1000 items through 3 stages, sum of squares 333833500"))
    }

    @Test("heat2d: the parallel field matches the serial run, both halo methods, periodic or not",
          arguments: Ranks.upToFive.flatMap { ranks in ["persistent", "neighbor"].flatMap { m in ["1", "0"].map { (ranks, m, $0) } } })
    func heat2d(ranks: Int, method: String, periodic: String) throws {
        // 37 x 37 splits unevenly over every grid of ranks here (5 x 1, 2 x 2, 3 x 1).
        let outcome = try MPIRun.run("heat2d", ["--n", "37", "--steps", "60", "--every", "15", "--method", method,
                                                "--periodic", periodic], ranks: ranks, timeout: 120)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("halo by \(method), columns \(periodic == "1" ? "periodic" : "fixed")"))
        #expect(outcome.output.contains("heat2d: matches the serial run"), "\(outcome.output)")
    }

    @Test("counter: a shared task counter by fetch-and-op; every task taken once", arguments: Ranks.upToFour)
    func counter(ranks: Int) throws {
        let outcome = try MPIRun.run("counter", ["60"], ranks: ranks, timeout: 60)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        #expect(outcome.output.contains("counter: 60 tasks on \(ranks) ranks"), "\(outcome.output)")
        #expect(outcome.output.contains("counter: every task 0..<60 taken exactly once; combined result"),
                "\(outcome.output)")
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
