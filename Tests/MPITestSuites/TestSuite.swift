import MPI

/// A suite of `mpi-test-programs`, declared once in ``TestSuite/all``: the
/// program runs it by name, Tests/MPITests builds its tests from the same
/// description, and Tests/Sanitizers/run.sh reads it through
/// `mpi-test-programs --list`.
public struct TestSuite: Sendable {
    /// The argument that selects the suite: `mpi-test-programs NAME`.
    public let name: String
    /// What it shows, for test reports.
    public let summary: String
    /// The thread level the program initializes MPI at.
    public let threadLevel: ThreadLevel
    /// The rank counts `make test` runs it at; empty when it does not, with
    /// the reason in ``notInMakeTest``.
    public let ranks: [Int]
    public let notInMakeTest: String?
    /// Arguments after the suite's name in `make test` (sanitizer runs give none).
    public let arguments: [String]
    /// Variables set for every rank.
    public let environment: [String: String]
    /// The outer time limit of one `make test` run, in seconds.
    public let timeout: Int
    public let outcome: Outcome
    /// What the output must (or must not) contain besides what ``outcome`` asks.
    public let output: [OutputCheck]
    /// The same suite run again with other settings.
    public let variants: [Variant]
    public let address: SanitizerRun
    public let thread: SanitizerRun
    /// Set when a dedicated test in Tests/MPITests judges the suite (it reads
    /// the rest of this description), so the generic runner leaves it out.
    public let hasOwnTest: Bool
    let body: Body

    enum Body: Sendable {
        /// Runs inside `MPI.run`, which then prints "passed: NAME at N ranks".
        case inRun(@Sendable (Communicator) throws -> Void)
        /// Runs inside the async `MPI.run`, on the MPI thread.
        case inAsyncRun(@Sendable @MPIActor (Communicator) async throws -> Void)
        /// Manages the environment itself and prints the passed line.
        case outsideRun(@Sendable () throws -> Void)
    }

    /// How a run is judged: the same in `make test` and under the sanitizers.
    public enum Outcome: Sendable {
        /// Exit 0 and "passed: NAME at N ranks".
        case passes
        /// The last rank fails, and the whole job must end non-zero, the
        /// output naming the rank ("swift-mpi: rank N-1 of N") and `reason`
        /// (right after it, with `afterRank`), `times` runs in a row at each
        /// rank count, each within `seconds` when given.
        case endsJob(reason: String, afterRank: Bool = false, times: Int = 1, seconds: Double? = nil)
        /// A rank killed by SIGKILL says nothing: the job must only end non-zero.
        case killed
    }

    public enum OutputCheck: Sendable {
        case contains(String)
        /// Exactly one occurrence.
        case once(String)
        case absent(String)
    }

    /// The suite under other settings: `NAME-VARIANT` in sanitizer runs.
    public struct Variant: Sendable {
        public let name: String
        public let summary: String
        public let ranks: [Int]
        public let environment: [String: String]
        /// Ranks talk over TCP only (no shared memory), also on one host.
        public let tcpOnly: Bool
        /// Whether `make test-asan` runs it (at 2 ranks).
        public let underAddressSanitizer: Bool

        public init(_ name: String, _ summary: String, ranks: [Int], environment: [String: String] = [:],
                    tcpOnly: Bool = false, underAddressSanitizer: Bool = true) {
            self.name = name
            self.summary = summary
            self.ranks = ranks
            self.environment = environment
            self.tcpOnly = tcpOnly
            self.underAddressSanitizer = underAddressSanitizer
        }
    }

    /// What one sanitizer's script does with the suite, at 2 ranks.
    public enum SanitizerRun: Sendable {
        /// Runs and is judged by ``Outcome``; any sanitizer report fails it.
        case judged(timeout: Int)
        /// A control: must end non-zero with a report matching `pattern`
        /// (an extended regular expression).
        case reports(pattern: String, timeout: Int)
        /// Listed as skipped, saying why.
        case skipped(String)
        /// Not run and not listed (the thread sanitizer runs only what uses threads).
        case notRun
    }

    init(_ name: String, _ summary: String, threadLevel: ThreadLevel = .single, ranks: [Int],
         notInMakeTest: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
         timeout: Int = 480, outcome: Outcome = .passes, output: [OutputCheck] = [], variants: [Variant] = [],
         address: SanitizerRun = .judged(timeout: 900), thread: SanitizerRun = .notRun, hasOwnTest: Bool = false,
         _ run: @escaping @Sendable (Communicator) throws -> Void) {
        self.init(name, summary, threadLevel: threadLevel, ranks: ranks, notInMakeTest: notInMakeTest,
                  arguments: arguments, environment: environment, timeout: timeout, outcome: outcome, output: output,
                  variants: variants, address: address, thread: thread, hasOwnTest: hasOwnTest, body: .inRun(run))
    }

    init(_ name: String, _ summary: String, threadLevel: ThreadLevel = .single, ranks: [Int],
         notInMakeTest: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
         timeout: Int = 480, outcome: Outcome = .passes, output: [OutputCheck] = [], variants: [Variant] = [],
         address: SanitizerRun = .judged(timeout: 900), thread: SanitizerRun = .notRun, hasOwnTest: Bool = false,
         body: Body) {
        self.name = name
        self.summary = summary
        self.threadLevel = threadLevel
        self.ranks = ranks
        self.notInMakeTest = notInMakeTest
        self.arguments = arguments
        self.environment = environment
        self.timeout = timeout
        self.outcome = outcome
        self.output = output
        self.variants = variants
        self.address = address
        self.thread = thread
        self.hasOwnTest = hasOwnTest
        self.body = body
    }

    /// The suite called `name`, if there is one.
    public static func named(_ name: String) -> TestSuite? {
        all.first { $0.name == name }
    }

    /// Runs the suite on this process (one rank of the job).
    public func start() throws {
        switch body {
        case .outsideRun(let run):
            try run()
        case .inRun(let run):
            try MPI.run(threadLevel: threadLevel) { world in
                try run(world)
                try world.barrier()
                if world.rank == 0 { print("passed: \(name) at \(world.size) ranks") }
            }
        case .inAsyncRun:
            preconditionFailure("an async suite starts with startAsync()")
        }
    }

    /// Whether the suite runs inside the async `MPI.run` (``startAsync()``).
    public var isAsync: Bool {
        if case .inAsyncRun = body { return true }
        return false
    }

    /// Runs an async suite on this process (one rank of the job).
    public func startAsync() async throws {
        guard case .inAsyncRun(let run) = body else { return try start() }
        let name = self.name
        try await MPI.run(threadLevel: threadLevel == .single ? .funneled : threadLevel) { world in
            try await run(world)
            try await world.barrier()
            if world.rank == 0 { print("passed: \(name) at \(world.size) ranks") }
        }
    }
}
