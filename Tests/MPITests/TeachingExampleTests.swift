import Testing

extension MPIJobs {
/// The teaching examples check their own results (a failed check ends the job
/// with a non-zero exit); these runs check that they pass and say so.
@Suite
struct TeachingExampleTests {
    static let rankCounts = [1, 2, 3, 4, 5]

    /// Runs `program` and expects a clean exit with every line of `expected` in the output.
    func expectRun(_ program: String, _ arguments: [String] = [], ranks: Int, timeout: Int = 60,
                   printing expected: [String]) throws {
        let outcome = try MPIRun.run(program, arguments, ranks: ranks, timeout: timeout)
        let run = "\(([program] + arguments).joined(separator: " ")) at \(ranks) ranks"
        #expect(!outcome.timedOut, "\(run) timed out:\n\(outcome.output)")
        #expect(outcome.exitCode == 0, "\(run) exited \(outcome.exitCode):\n\(outcome.output)")
        for line in expected {
            #expect(outcome.output.contains(line), "\(run) did not print \"\(line)\":\n\(outcome.output)")
        }
    }

    @Test("parallel-sum: scatterv, local sums, reduce", arguments: rankCounts)
    func parallelSum(ranks: Int) throws {
        let n = 1_000_003
        try expectRun("parallel-sum", ranks: ranks, printing:
            ["parallel-sum: 1...\(n) over \(ranks) ranks sums to \(n * (n + 1) / 2) (expected \(n * (n + 1) / 2))"]
            + (0..<ranks).map { "parallel-sum: rank \($0) summed \(n / ranks + ($0 < n % ranks ? 1 : 0)) numbers" })
    }

    @Test("parallel-sum: fewer numbers than ranks leaves some blocks empty")
    func parallelSumSmall() throws {
        try expectRun("parallel-sum", ["3"], ranks: 5, printing:
            ["parallel-sum: 1...3 over 5 ranks sums to 6 (expected 6)", "parallel-sum: rank 4 summed 0 numbers to 0"])
    }

    @Test("pi: midpoint rule with an all-reduce", arguments: rankCounts)
    func pi(ranks: Int) throws {
        // n = 10⁶ keeps debug runs short; the example's tolerance is then
        // h²/12 + 1e-10, about 1.001e-10.
        try expectRun("pi", ["1000000"], ranks: ranks, printing:
            ["pi: 3.14159265", "from 1000000 intervals on \(ranks) ranks", "pi: error ", " ms"])
    }

    @Test("pi: the default 10⁷ intervals are within 1e-10")
    func piDefault() throws {
        try expectRun("pi", ranks: 2, timeout: 120, printing: ["from 10000000 intervals on 2 ranks", "(tolerance 1.00000"])
    }

    @Test("monte-carlo-pi: seeded generators per rank, reduced counts", arguments: rankCounts)
    func monteCarloPi(ranks: Int) throws {
        try expectRun("monte-carlo-pi", ["1000000"], ranks: ranks, printing:
            ["from 1000000 samples on \(ranks) ranks (seed 2024)", "monte-carlo-pi: within 5 standard errors of pi"])
    }

    @Test("monte-carlo-pi: the same seed and ranks give the same estimate")
    func monteCarloPiReproducible() throws {
        let runs = try (0..<2).map { _ in try MPIRun.run("monte-carlo-pi", ["200000", "7"], ranks: 3, timeout: 60) }
        let estimates = runs.map { run in
            run.output.split(separator: "\n").first { $0.hasPrefix("monte-carlo-pi: 3.") || $0.hasPrefix("monte-carlo-pi: 2.") }
        }
        #expect(runs.allSatisfy { $0.exitCode == 0 }, "\(runs.map(\.output))")
        #expect(estimates[0] != nil && estimates[0] == estimates[1], "\(estimates)")
    }

    @Test("master-worker: tasks to whichever worker asks, any number of workers", arguments: rankCounts)
    func masterWorker(ranks: Int) throws {
        try expectRun("master-worker", ranks: ranks, printing:
            ["master-worker: 50 tasks on \(ranks - 1) workers",
             "master-worker: all 50 tasks answered exactly once and correctly"])
    }

    @Test("master-worker: more workers than tasks, and no tasks", arguments: [["2"], ["0"]])
    func masterWorkerFewTasks(arguments: [String]) throws {
        try expectRun("master-worker", arguments, ranks: 5, printing:
            ["master-worker: all \(arguments[0]) tasks answered exactly once and correctly"])
    }

    @Test("prefix-sum: exclusive scan of block sums", arguments: rankCounts)
    func prefixSum(ranks: Int) throws {
        try expectRun("prefix-sum", ranks: ranks, printing:
            ["prefix-sum: 1000 numbers in blocks of", "on \(ranks) ranks", "prefix-sum: matches the serial prefix sum"])
    }

    @Test("prefix-sum: fewer numbers than ranks")
    func prefixSumSmall() throws {
        try expectRun("prefix-sum", ["3"], ranks: 5, printing:
            ["prefix-sum: 3 numbers in blocks of [1, 1, 1, 0, 0] on 5 ranks", "prefix-sum: matches the serial prefix sum"])
    }
}
}
