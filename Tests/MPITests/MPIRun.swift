import Foundation

/// Launches SPMD programs the way a user would, under mpirun, each run under
/// an outer `timeout` so that a deadlock fails the test instead of hanging it.
struct MPIRun {
    struct Outcome {
        let exitCode: Int32
        /// Set when the `timeout` process itself was killed by a signal.
        let signal: Int32?
        let output: String
        let seconds: Double
        /// `timeout` exits 124 when it stopped the command; when mpirun ignores
        /// SIGTERM, `-k` kills it and `timeout` ends by SIGKILL (or exits 137).
        var timedOut: Bool { exitCode == 124 || exitCode == 137 || signal == 9 }
    }

    /// What mpirun needs on these machines: root, more ranks than cores,
    /// ranks that yield when idle. The user exports nothing.
    static let environment: [String: String] = [
        "OMPI_ALLOW_RUN_AS_ROOT": "1",
        "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
        "OMPI_MCA_rmaps_base_oversubscribe": "1",
        "OMPI_MCA_btl_base_warn_component_unused": "0",
        "OMPI_MCA_mpi_yield_when_idle": "1",
    ]

    /// The folder holding the built products (next to the test bundle).
    static let productsDirectory: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test binary is `<products>/<Package>PackageTests.xctest`.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("mpi-test-programs").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    /// Runs `program arguments` on `ranks` processes and returns how it ended.
    static func run(
        _ program: String, _ arguments: [String] = [], ranks: Int,
        timeout: Int = 120, mpirunOptions: [String] = [], extraEnvironment: [String: String] = [:]
    ) throws -> Outcome {
        let executable = productsDirectory.appendingPathComponent(program).path
        return try runCommand(
            [Launcher.command, "-np", "\(ranks)"] + mpirunOptions + Launcher.exporting(extraEnvironment.keys.sorted())
                + [executable] + arguments,
            timeout: timeout, extraEnvironment: extraEnvironment, program: executable)
    }

    /// Runs `command` (a launcher and its arguments, or a program alone) under
    /// `timeout`, with the environment mpirun needs plus `extraEnvironment`.
    static func runCommand(
        _ command: [String], timeout: Int, extraEnvironment: [String: String] = [:], program: String
    ) throws -> Outcome {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-mpi-test-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-k", "5", "\(timeout)"] + command
        process.environment = ProcessInfo.processInfo.environment
            .merging(environment) { _, new in new }
            .merging(extraEnvironment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let killed = process.terminationReason == .uncaughtSignal
        let outcome = Outcome(exitCode: killed ? -1 : process.terminationStatus,
                              signal: killed ? process.terminationStatus : nil,
                              output: output, seconds: Date().timeIntervalSince(start))
        if outcome.timedOut { killLeftoverRanks(of: program) }
        return outcome
    }

    /// The launcher of the MPI the package was built against, and how it
    /// spells what the tests ask of it.
    enum Launcher {
        #if MPICH
        static let command = "mpiexec.mpich"
        /// Hydra passes the whole environment to the ranks.
        static func exporting(_ names: [String]) -> [String] { [] }
        /// TCP only, also between ranks on one host: ch4:ucx's netmod for
        /// local ranks too, and UCX's TCP transport.
        static let tcpOnly = (options: [String](), environment: ["MPIR_CVAR_NOLOCAL": "1", "UCX_TLS": "tcp,self"])
        /// The launcher ends the job after `seconds`.
        static func timeLimit(_ seconds: Int) -> (options: [String], environment: [String: String]) {
            ([], ["MPIEXEC_TIMEOUT": "\(seconds)"])
        }
        /// The other implementation's launcher, and what it says it started.
        static let otherLauncher = (path: "/usr/bin/mpirun.openmpi", name: "Open MPI's mpirun")
        /// The variable this launcher tells its processes the job's size in.
        static let sizeVariable = "PMI_SIZE"
        #else
        static let command = "mpirun"
        static func exporting(_ names: [String]) -> [String] { names.flatMap { ["-x", $0] } }
        static let tcpOnly = (options: ["--mca", "btl", "tcp,self"], environment: [String: String]())
        static func timeLimit(_ seconds: Int) -> (options: [String], environment: [String: String]) {
            (["--timeout", "\(seconds)"], [:])
        }
        static let otherLauncher = (path: "/usr/bin/mpiexec.mpich", name: "MPICH's mpiexec")
        static let sizeVariable = "OMPI_COMM_WORLD_SIZE"
        #endif
    }

    /// Ranks of a job whose mpirun was killed may live on; they must not keep
    /// the machine's two cores busy for the tests that follow.
    static func killLeftoverRanks(of executable: String) {
        let pkill = Process()
        pkill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        pkill.arguments = ["-KILL", "-f", executable]
        try? pkill.run()
        pkill.waitUntilExit()
    }
}
