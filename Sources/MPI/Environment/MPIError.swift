import CMPI

/// The error every operation of this package throws.
///
/// It carries the MPI error class, the message, and the operation that failed.
/// Failures reported by the MPI library keep the library's own error string;
/// bad arguments caught before MPI sees them name the argument and its value.
///
/// Match a class with a pattern:
/// ```swift
/// do { try world.receive(into: &small, from: 0) }
/// catch MPIError.Class.truncate { ... }
/// ```
public struct MPIError: Error, Sendable, CustomStringConvertible {
    /// The MPI error class (MPI_Error_class of the returned code, or the class
    /// MPI would have reported for a bad argument).
    public let errorClass: Class
    /// The error code MPI returned, or the class's code for an argument error.
    public let code: Int
    /// What went wrong: MPI_Error_string of the code, or the argument check's reason.
    public let message: String
    /// The MPI function that failed or would have been called, e.g. `MPI_Send`.
    public let operation: String
    /// The argument that was rejected, when the error was found before calling
    /// MPI (MPI itself reports no argument names).
    public let argument: String?

    /// An error of `errorClass`, for code that reports MPI failures the same
    /// way (MPI_Error_class's classes; no MPI call).
    public init(errorClass: Class, code: Int? = nil, message: String, operation: String, argument: String? = nil) {
        self.errorClass = errorClass
        self.code = code ?? Int(errorClass.rawValue)
        self.message = message
        self.operation = operation
        self.argument = argument
    }

    /// The operation, the message and the class's MPI name (MPI_ERR_...).
    public var description: String {
        "\(operation) failed: \(message) [\(errorClass)]"
    }
}

extension MPIError {
    /// An MPI error class. The values come from the MPI library (they differ
    /// between implementations); compare against the static members.
    public struct Class: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The class's value in this MPI library (MPI_Error_class's result).
        public let rawValue: CInt
        /// The class with this value (MPI_Error_class's result).
        public init(rawValue: CInt) { self.rawValue = rawValue }

        /// MPI_ERR_BUFFER: invalid buffer pointer.
        public static var buffer: Class { Class(rawValue: cmpi_err_buffer()) }
        /// MPI_ERR_COUNT: invalid count argument.
        public static var count: Class { Class(rawValue: cmpi_err_count()) }
        /// MPI_ERR_TYPE: invalid datatype.
        public static var type: Class { Class(rawValue: cmpi_err_type()) }
        /// MPI_ERR_TAG: invalid tag.
        public static var tag: Class { Class(rawValue: cmpi_err_tag()) }
        /// MPI_ERR_COMM: invalid communicator.
        public static var communicator: Class { Class(rawValue: cmpi_err_comm()) }
        /// MPI_ERR_RANK: invalid rank.
        public static var rank: Class { Class(rawValue: cmpi_err_rank()) }
        /// MPI_ERR_REQUEST: invalid request.
        public static var request: Class { Class(rawValue: cmpi_err_request()) }
        /// MPI_ERR_ROOT: invalid root.
        public static var root: Class { Class(rawValue: cmpi_err_root()) }
        /// MPI_ERR_GROUP: invalid group.
        public static var group: Class { Class(rawValue: cmpi_err_group()) }
        /// MPI_ERR_OP: invalid operation.
        public static var operation: Class { Class(rawValue: cmpi_err_op()) }
        /// MPI_ERR_ARG: invalid argument of some other kind.
        public static var argument: Class { Class(rawValue: cmpi_err_arg()) }
        /// MPI_ERR_UNKNOWN: unknown error.
        public static var unknown: Class { Class(rawValue: cmpi_err_unknown()) }
        /// MPI_ERR_TRUNCATE: message truncated on receive.
        public static var truncate: Class { Class(rawValue: cmpi_err_truncate()) }
        /// MPI_ERR_OTHER: known error not in this list.
        public static var other: Class { Class(rawValue: cmpi_err_other()) }
        /// MPI_ERR_INTERN: internal MPI error.
        public static var `internal`: Class { Class(rawValue: cmpi_err_intern()) }
        /// MPI_ERR_IN_STATUS: error code is in the status.
        public static var inStatus: Class { Class(rawValue: cmpi_err_in_status()) }
        /// MPI_ERR_PENDING: pending request.
        public static var pending: Class { Class(rawValue: cmpi_err_pending()) }
        /// MPI_ERR_NO_MEM: out of memory.
        public static var noMemory: Class { Class(rawValue: cmpi_err_no_mem()) }
        /// MPI_ERR_WIN: invalid window.
        public static var window: Class { Class(rawValue: cmpi_err_win()) }
        /// MPI_ERR_RMA_SYNC: one-sided calls out of their synchronization (outside an epoch).
        public static var rmaSync: Class { Class(rawValue: cmpi_err_rma_sync()) }
        /// MPI_ERR_RMA_RANGE: a target's memory outside its window.
        public static var rmaRange: Class { Class(rawValue: cmpi_err_rma_range()) }
        /// MPI_ERR_RMA_ATTACH: memory that cannot be attached to a dynamic window.
        public static var rmaAttach: Class { Class(rawValue: cmpi_err_rma_attach()) }
        /// MPI_ERR_RMA_SHARED: memory that cannot be shared (a shared window over ranks on different nodes).
        public static var rmaShared: Class { Class(rawValue: cmpi_err_rma_shared()) }

        /// The class's MPI name, e.g. MPI_ERR_TRUNCATE.
        public var description: String {
            let names: [(Class, String)] = [
                (.buffer, "MPI_ERR_BUFFER"), (.count, "MPI_ERR_COUNT"), (.type, "MPI_ERR_TYPE"),
                (.tag, "MPI_ERR_TAG"), (.communicator, "MPI_ERR_COMM"), (.rank, "MPI_ERR_RANK"),
                (.request, "MPI_ERR_REQUEST"), (.root, "MPI_ERR_ROOT"), (.group, "MPI_ERR_GROUP"),
                (.operation, "MPI_ERR_OP"), (.argument, "MPI_ERR_ARG"), (.unknown, "MPI_ERR_UNKNOWN"),
                (.truncate, "MPI_ERR_TRUNCATE"), (.other, "MPI_ERR_OTHER"), (.internal, "MPI_ERR_INTERN"),
                (.inStatus, "MPI_ERR_IN_STATUS"), (.pending, "MPI_ERR_PENDING"), (.noMemory, "MPI_ERR_NO_MEM"),
                (.window, "MPI_ERR_WIN"), (.rmaSync, "MPI_ERR_RMA_SYNC"), (.rmaRange, "MPI_ERR_RMA_RANGE"),
                (.rmaAttach, "MPI_ERR_RMA_ATTACH"), (.rmaShared, "MPI_ERR_RMA_SHARED"),
            ]
            return names.first { $0.0 == self }?.1 ?? "MPI error class \(rawValue)"
        }

        /// Lets `catch MPIError.Class.truncate` match an `MPIError` of that class.
        public static func ~= (pattern: Class, error: any Error) -> Bool {
            (error as? MPIError)?.errorClass == pattern
        }
    }
}
