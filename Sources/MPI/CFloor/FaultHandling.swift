import CFaultHandler

// Ending the whole job when one rank fails in a way the library can see: an
// error thrown out of MPI.run, a trap, a crash, an exit while initialized.
// The signal handlers are C (Sources/CFaultHandler), so that they do only
// what is async-signal-safe, and every abort has a deadline after which the
// rank exits by itself: MPI_Abort may wait forever on a lock a crash left held.

internal enum FaultHandling {
    /// Installs the handlers; called once MPI is initialized.
    static func install(rank: Int, size: Int) {
        swiftmpi_install_fault_handlers(CInt(truncatingIfNeeded: rank), CInt(truncatingIfNeeded: size))
    }

    /// MPI is about to be finalized: from now on faults and exits are the
    /// process's alone.
    static func finalizing() {
        swiftmpi_set_mpi_active(0)
    }

    /// Ends the job through MPI_Abort, or by exiting with `exitCode` if that
    /// has not ended this process within `abortDeadline` seconds.
    static func abortJob(exitCode: CInt) {
        swiftmpi_abort_job(exitCode)
    }

    /// How long MPI_Abort may take before the rank ends itself, in seconds.
    static var abortDeadline: Int { Int(swiftmpi_abort_deadline_seconds) }
}
