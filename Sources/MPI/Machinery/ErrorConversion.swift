import CMPI

// How MPI's return codes and this package's own checks become MPIError.

extension MPIError {
    /// The error for a code MPI returned from `operation`.
    @usableFromInline
    internal init(code: CInt, operation: StaticString) {
        var errorClass: CInt = 0
        if !MPIC.succeeded(MPIC.errorClassReturningCode(code, &errorClass)) { errorClass = cmpi_err_unknown() }
        self.init(
            errorClass: Class(rawValue: errorClass), code: Int(code),
            message: MPIError.libraryMessage(for: code), operation: "\(operation)")
    }

    /// The error for a receive that completed with `code`; a truncation says
    /// how large the message was and that nothing was written past the buffer.
    @usableFromInline
    internal init(receiveCode code: CInt, status: inout MPI_Status, bufferBytes: Int?, operation: StaticString,
                  overrunPossible: Bool = false) {
        var errorClass: CInt = 0
        if !MPIC.succeeded(MPIC.errorClassReturningCode(code, &errorClass)) { errorClass = cmpi_err_unknown() }
        guard errorClass == cmpi_err_truncate(), let bufferBytes else {
            self.init(code: code, operation: operation)
            return
        }
        let bytes = (try? messageBytes(&status)) ?? 0
        let size = bytes <= 0 ? "a message" : "a message of \(bytes) bytes"
        self.init(
            errorClass: .truncate, code: Int(code),
            message: "message truncated: \(size) from rank \(cmpi_status_source(&status)) with tag "
                + "\(cmpi_status_tag(&status)) does not fit the receive buffer of \(bufferBytes) bytes; "
                + (overrunPossible
                    ? "the receive was unchecked (unsafeReceive), and MPI may have written past the buffer"
                    : "nothing was written past the buffer"),
            operation: "\(operation)", argument: "buffer")
    }

    /// MPI_Error_string of `code` (callable before MPI_Init and after MPI_Finalize).
    internal static func libraryMessage(for code: CInt) -> String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: CInt = 0
        guard MPIC.succeeded(MPIC.errorStringReturningCode(code, &buffer, &length)) else { return "MPI error code \(code)" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A bad argument found before calling MPI.
    @usableFromInline
    internal static func invalidArgument(
        _ name: String, _ value: Any, _ reason: String, errorClass: Class, operation: StaticString
    ) -> MPIError {
        MPIError(
            errorClass: errorClass,
            message: "invalid \(name) \(value): \(reason)",
            operation: "\(operation)", argument: name)
    }

    /// A call made before MPI_Init or after MPI_Finalize.
    @usableFromInline
    internal static func inactiveEnvironment(_ operation: StaticString) -> MPIError {
        let when = MPIEnvironmentState.phase == .finalized ? "after MPI has been finalized" : "before MPI has been initialized"
        return MPIError(
            errorClass: .other,
            message: "called \(when); use MPI.run { world in ... } or MPI.initialize() first",
            operation: "\(operation)")
    }

    /// A synchronous MPI call from a thread other than the MPI thread while
    /// async code owns MPI below MPI_THREAD_MULTIPLE.
    @usableFromInline
    internal static func calledOffMPIThread(_ operation: StaticString) -> MPIError {
        MPIError(
            errorClass: .other,
            message: "called from a thread other than the MPI thread: MPI.run's async form initialized MPI at "
                + "\(MPIEnvironmentState.providedThreadLevel), where only the MPI thread may call MPI; "
                + "call it from @MPIActor code (the body of MPI.run, or an await of this package's async "
                + "operations), or pass threadLevel: .multiple to MPI.run",
            operation: "\(operation)")
    }

    /// An async operation awaited while MPI was initialized synchronously below MPI_THREAD_MULTIPLE.
    internal static func asyncWithoutMPIThread(_ operation: StaticString) -> MPIError {
        MPIError(
            errorClass: .other,
            message: "awaited, but MPI was initialized by a synchronous MPI.run or MPI.initialize at "
                + "\(MPIEnvironmentState.providedThreadLevel), so MPI calls belong to the thread that initialized it; "
                + "async operations run on the MPI thread and need `try await MPI.run { world in ... }` "
                + "(which initializes MPI there), or MPI_THREAD_MULTIPLE",
            operation: "\(operation)")
    }
}
