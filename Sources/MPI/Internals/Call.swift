import CMPI

// The one layer every MPI call goes through. It refuses calls outside an
// initialized environment (Open MPI aborts the process on those, whatever the
// error handler says) and turns every non-success return code into `MPIError`.

/// Runs one MPI call and checks its return code.
///
/// `call` is an autoclosure so that nothing reaches MPI before the
/// environment check has passed.
@inlinable @inline(__always)
internal func mpiCall(_ operation: StaticString, _ call: @autoclosure () -> CInt) throws {
    guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment(operation) }
    let code = call()
    if _slowPath(code != cmpi_success()) { throw MPIError(code: code, operation: operation) }
}

/// Runs one MPI call that is allowed whatever the state of the environment
/// (MPI_Initialized, MPI_Finalized, MPI_Get_version, ...).
@inlinable @inline(__always)
internal func mpiCallAnytime(_ operation: StaticString, _ call: @autoclosure () -> CInt) throws {
    let code = call()
    if _slowPath(code != cmpi_success()) { throw MPIError(code: code, operation: operation) }
}

/// Runs one MPI call from a context that cannot throw (deinitializers). A failure
/// there can only mean a bug in this package, so it is reported, not hidden.
@usableFromInline
internal func mpiCallInDeinit(_ operation: StaticString, _ call: () -> CInt) {
    guard MPIEnvironmentState.isActive else { return }
    let code = call()
    if code != cmpi_success() {
        let error = MPIError(code: code, operation: operation)
        printToStandardError("swift-mpi: \(error) (while releasing a resource)")
    }
}
