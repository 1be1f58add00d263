import CMPI

/// Every MPI C function the package calls, wrapped once (`MPIC+*.swift`, one
/// file per chapter of the standard).
///
/// Nothing above this folder names an `MPI_` function or tests `#if MPICH`
/// (`make test` checks it: Tests/check-floor.sh). A wrapper refuses to run
/// outside an initialized environment (Open MPI aborts the process on such
/// calls, whatever the error handler says) and turns a failing return code
/// into ``MPIError``. Calls MPI allows at any time skip the check. Calls whose
/// failure the caller interprets itself (completions, whose statuses carry
/// the errors, and error-code queries that must never throw) have a
/// `ReturningCode` form that returns MPI's code instead. Only the forms the
/// package uses exist. Each wrapper inlines to the C call and one comparison.
@usableFromInline
internal enum MPIC {
    /// Throws unless MPI is initialized and not finalized.
    @inlinable @inline(__always)
    internal static func requireActive(_ operation: StaticString) throws {
        try MPIEnvironmentState.requireCallable(operation)
    }

    /// Runs one MPI call after the environment check and checks its return code.
    /// `call` is an autoclosure so that nothing reaches MPI before the check.
    @inlinable @inline(__always)
    internal static func check(_ operation: StaticString, _ call: @autoclosure () -> CInt) throws {
        try MPIEnvironmentState.requireCallable(operation)
        let code = call()
        if _slowPath(code != cmpi_success()) { throw MPIError(code: code, operation: operation) }
    }

    /// Checks the return code of a call that MPI allows whatever the state of
    /// the environment (MPI_Initialized, MPI_Get_version, ...).
    @inlinable @inline(__always)
    internal static func checkAnytime(_ operation: StaticString, _ code: CInt) throws {
        if _slowPath(code != cmpi_success()) { throw MPIError(code: code, operation: operation) }
    }

    /// Runs MPI calls that release a resource from a context that cannot throw
    /// (deinitializers). After finalization there is nothing to release; any
    /// other failure can only mean a bug in this package, so it is reported.
    @inlinable
    internal static func releasing(_ release: () throws -> Void) {
        guard MPIEnvironmentState.isActive else { return }
        do {
            try release()
        } catch {
            printToStandardError("swift-mpi: \(error) (while releasing a resource)")
        }
    }

    /// Whether a return code is MPI_SUCCESS.
    @inlinable @inline(__always)
    internal static func succeeded(_ code: CInt) -> Bool { code == cmpi_success() }
}
