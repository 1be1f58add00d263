import CMPI
#if canImport(Glibc)
import Glibc
#endif

// Ending the whole job when one rank fails in a way the library can see.
//
// Open MPI 4.1.4's mpirun sometimes hangs after a rank dies abnormally, so a
// rank that traps (precondition failure, index out of range, force-unwrapped
// nil: SIGILL or SIGTRAP on Linux), crashes, or exits while MPI is still
// initialized ends the job itself, through MPI_Abort, after saying which rank
// failed and why. (MPI_Abort is not async-signal-safe; it is the library's
// only way to end the other ranks, and the process is dying anyway.)

internal enum FaultHandling {
    /// This rank in MPI_COMM_WORLD, for messages written from signal handlers.
    @exclusivity(unchecked) nonisolated(unsafe) static var worldRank: CInt = -1
    @exclusivity(unchecked) nonisolated(unsafe) static var worldSize: CInt = 0

    static let fatalSignals: [CInt] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    /// Waits briefly before MPI_Abort so that the launcher forwards the reason
    /// just written: MPICH's Hydra kills the job on MPI_Abort before passing on
    /// what the ranks last wrote (seen here in about 1 of 10 aborts). Open
    /// MPI's mpirun forwards it first. (usleep is async-signal-safe.)
    static func letLauncherForwardOutput() {
        #if MPICH
        usleep(200_000)
        #endif
    }

    /// Installs the handlers; called once MPI is initialized.
    static func install(rank: Int, size: Int) {
        worldRank = CInt(truncatingIfNeeded: rank)
        worldSize = CInt(truncatingIfNeeded: size)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = fatalSignalHandler
        action.sa_flags = CInt(truncatingIfNeeded: SA_RESETHAND)
        sigemptyset(&action.sa_mask)
        for signal in fatalSignals { _ = sigaction(signal, &action, nil) }
        atexit(exitHandler)
    }
}

/// Writes `text` to standard error with write(2), which is async-signal-safe.
private func writeSafely(_ text: UnsafePointer<CChar>) {
    _ = write(2, text, strlen(text))
}

/// Writes a small non-negative number with write(2), from stack memory (a
/// signal handler must not call malloc).
private func writeNumber(_ value: CInt) {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 12) { digits in
        var number = max(0, value)
        var index = 10
        repeat {
            digits[index] = CChar(48 + number % 10)
            number /= 10
            index -= 1
        } while number > 0 && index >= 0
        _ = write(2, digits.baseAddress! + index + 1, 10 - index)
    }
}

private let fatalSignalHandler: @convention(c) (CInt) -> Void = { signal in
    writeSafely("swift-mpi: rank ")
    writeNumber(FaultHandling.worldRank)
    writeSafely(" of ")
    writeNumber(FaultHandling.worldSize)
    writeSafely(" stopped by signal ")
    writeNumber(signal)
    writeSafely(signal == SIGILL || signal == SIGTRAP
                ? " (a Swift runtime trap: see the fatal error above); aborting the job\n"
                : "; aborting the job\n")
    if MPIEnvironmentState.isActive {
        FaultHandling.letLauncherForwardOutput()
        _ = MPI_Abort(cmpi_comm_world(), 128 + signal)
    }
    // SA_RESETHAND restored the default action: die of the same signal.
    raise(signal)
}

private let exitHandler: @convention(c) () -> Void = {
    guard MPIEnvironmentState.isActive else { return }
    writeSafely("swift-mpi: rank ")
    writeNumber(FaultHandling.worldRank)
    writeSafely(" of ")
    writeNumber(FaultHandling.worldSize)
    writeSafely(" exited while MPI was initialized (exit before MPI.finalize); aborting the job\n")
    FaultHandling.letLauncherForwardOutput()
    _ = MPI_Abort(cmpi_comm_world(), 1)
}
