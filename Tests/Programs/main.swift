// SPMD test programs, launched under mpirun by Tests/MPITests at several rank
// counts: `mpi-test-programs SUITE [ARGUMENTS]`. Each check that fails
// throws, and MPI.run then aborts the whole job with the failing rank's
// message. The suites and how they are run are in Tests/MPITestSuites
// (`TestSuite.all`); `--list` prints what the sanitizer script runs.
import MPITestSuites

let name = CommandLine.arguments.dropFirst().first ?? ""
if name == "--list" {
    print(TestSuite.sanitizerList)
    exit(0)
}
guard let suite = TestSuite.named(name) else {
    print("usage: mpi-test-programs --list|\(TestSuite.all.map(\.name).joined(separator: "|"))")
    exit(2)
}
if suite.isAsync {
    try await suite.startAsync()
} else {
    try suite.start()
}
