import Foundation
import MPITestSuites
import Testing

/// One mpirun job of a suite in the registry (`TestSuite.all`): the suite, or
/// one of its variants, at one of its rank counts.
struct SuiteRun: Sendable, CustomTestStringConvertible {
    enum Kind { case passes, endsJob, killed }

    let suite: TestSuite
    let variant: TestSuite.Variant?
    let ranks: Int

    var testDescription: String {
        "\(suite.name)\(variant.map { " \($0.name)" } ?? "") at \(ranks) ranks: \(variant?.summary ?? suite.summary)"
    }

    var arguments: [String] { suite.arguments }

    /// The runs of every suite judged by the generic tests, by outcome.
    static func all(_ kind: Kind) -> [SuiteRun] {
        TestSuite.all.filter { !$0.hasOwnTest && $0.kind == kind }.flatMap(runs)
    }

    /// The runs of one suite (for a dedicated test).
    static func of(_ name: String) -> [SuiteRun] {
        TestSuite.named(name).map(runs) ?? []
    }

    static func runs(_ suite: TestSuite) -> [SuiteRun] {
        suite.ranks.map { SuiteRun(suite: suite, variant: nil, ranks: $0) }
            + suite.variants.flatMap { variant in variant.ranks.map { SuiteRun(suite: suite, variant: variant, ranks: $0) } }
    }

    /// Runs the job (as many times in a row as the registry asks) and expects
    /// it to end as the registry says; returns how the last run ended.
    @discardableResult
    func expectOutcome() throws -> MPIRun.Outcome {
        var environment = suite.environment.merging(variant?.environment ?? [:]) { $1 }
        var options: [String] = []
        if variant?.tcpOnly == true {
            options = MPIRun.Launcher.tcpOnly.options
            environment.merge(MPIRun.Launcher.tcpOnly.environment) { $1 }
        }
        var times = 1
        if case .endsJob(_, _, let count, _) = suite.outcome { times = count }
        var last: MPIRun.Outcome?
        for attempt in 1...times {
            let outcome = try MPIRun.run("mpi-test-programs", [suite.name] + suite.arguments, ranks: ranks,
                                         timeout: suite.timeout, mpirunOptions: options, extraEnvironment: environment)
            let run = "\(([suite.name] + suite.arguments).joined(separator: " "))\(variant.map { " (\($0.name))" } ?? "")"
                + " at \(ranks) ranks" + (times > 1 ? ", attempt \(attempt)" : "")
            let output = outcome.output
            switch suite.outcome {
            case .passes:
                #expect(!outcome.timedOut, "\(run) timed out:\n\(output)")
                #expect(outcome.exitCode == 0, "\(run) exited \(outcome.exitCode):\n\(output)")
                #expect(output.contains("passed: \(suite.name) at \(ranks) ranks"), "\(run) did not report passing:\n\(output)")
            case .endsJob(let reason, let afterRank, _, let seconds):
                #expect(!outcome.timedOut, "\(run) hung after the last rank failed:\n\(output)")
                if let seconds { #expect(outcome.seconds < seconds, "\(run) took \(outcome.seconds) s:\n\(output)") }
                #expect(outcome.exitCode != 0, "\(run) exited 0")
                let rankLine = "swift-mpi: rank \(ranks - 1) of \(ranks)"
                #expect(output.contains(rankLine), "\(run) did not name the failing rank:\n\(output)")
                let text = afterRank ? "\(rankLine) \(reason)" : reason
                #expect(output.contains(text), "\(run) did not say \"\(text)\":\n\(output)")
            case .killed:
                #expect(outcome.exitCode != 0, "\(run): a job with a killed rank exited 0")
            }
            for check in suite.output {
                switch check {
                case .contains(let text):
                    #expect(output.contains(text), "\(run) did not print \"\(text)\":\n\(output)")
                case .once(let text):
                    #expect(output.components(separatedBy: text).count == 2, "\(run): no single \"\(text)\":\n\(output)")
                case .absent(let text):
                    #expect(!output.contains(text), "\(run) printed \"\(text)\":\n\(output)")
                }
            }
            last = outcome
        }
        return try #require(last)
    }
}

extension TestSuite {
    var kind: SuiteRun.Kind {
        switch outcome {
        case .passes: .passes
        case .endsJob: .endsJob
        case .killed: .killed
        }
    }
}

/// The registry itself: checks that need no mpirun.
@Suite
struct RegistryTests {
    @Test("Every suite has a unique name and runs in make test, or says why not")
    func everySuiteRuns() {
        let names = TestSuite.all.map(\.name)
        #expect(Set(names).count == names.count, "duplicate names: \(names)")
        for suite in TestSuite.all {
            #expect(suite.ranks.isEmpty == (suite.notInMakeTest != nil),
                    "\(suite.name): runs at \(suite.ranks) ranks, reason for not running: \(suite.notInMakeTest ?? "none")")
        }
        // Every suite that runs is either judged by a generic test or has its own.
        let generic = [SuiteRun.Kind.passes, .endsJob, .killed].flatMap(SuiteRun.all).map(\.suite.name)
        for suite in TestSuite.all where !suite.ranks.isEmpty {
            #expect(suite.hasOwnTest || generic.contains(suite.name), "\(suite.name) is run by no test")
        }
        // The dedicated tests find their suites by name.
        #expect(TestSuite.all.filter(\.hasOwnTest).map(\.name) == ["stress"])
        #expect(!SuiteRun.of("stress").isEmpty)
    }

    @Test("mpi-test-programs --list gives the sanitizer script every suite, each run or skipped under AddressSanitizer")
    func sanitizerList() throws {
        let program = MPIRun.productsDirectory.appendingPathComponent("mpi-test-programs").path
        let outcome = try MPIRun.runCommand([program, "--list"], timeout: 30, program: program)
        #expect(outcome.exitCode == 0, "\(outcome.output)")
        let lines = outcome.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.allSatisfy { $0.count == 6 && !$0.contains("") }, "a line without six fields:\n\(outcome.output)")
        let address = lines.filter { $0.first == "address" }
        for suite in TestSuite.all {
            let own = address.filter { $0[1] == Substring(suite.name) }
            #expect(own.count == 1 && own.first?[5] == Substring(suite.name),
                    "\(suite.name): \(own.count) address lines of its own")
        }
        // ThreadSanitizer runs the suites that say so (the threads suite and the async ones), then its control.
        let judged = TestSuite.all.filter { if case .judged = $0.thread { return true } else { return false } }.map(\.name)
        #expect(judged.contains("threads") && judged.contains("async-point-to-point") && judged.contains("task-pool"))
        #expect(lines.filter { $0.first == "thread" }.map { String($0[1]) } == judged + ["sanitizer-check-race"])
    }
}
