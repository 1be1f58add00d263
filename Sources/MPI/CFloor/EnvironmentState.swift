import CMPI

/// Where the process is in MPI's life cycle, as this package saw it.
///
/// It is written only by `MPI.initialize` and `MPI.finalize`, which MPI requires
/// to run on one thread before and after all other calls; so it is read without
/// Swift's dynamic exclusivity checks, which would cost more than the MPI call
/// it guards.
@usableFromInline
internal enum MPIEnvironmentState {
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var phase: Phase = .notInitialized

    /// MPI_TAG_UB of this job, read once at initialization.
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var tagUpperBound: Int = 32767

    /// MPI_SUM for 8- and 16-bit integers (see ReductionOperation.sum), made
    /// at initialization.
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var wrappingSum: OperationHandle = cmpi_op_null()

    /// MPI_MAX and MPI_MIN for unsigned integers under MPICH (see
    /// ReductionOperation.max); MPI_OP_NULL under Open MPI, whose own are right.
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var unsignedMaximum: OperationHandle = cmpi_op_null()
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var unsignedMinimum: OperationHandle = cmpi_op_null()

    /// Whether receives must keep MPI from writing past a short buffer
    /// (`MPI.truncationGuard`), decided at initialization.
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var receivesAreGuarded = true

    /// Whether a status's byte count can be read from the status itself
    /// (cmpi_status_recorded_bytes), checked at initialization.
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var statusBytesAreReadable = false

    /// Whether MPI was initialized by the async `MPI.run` (whatever the thread level).
    @usableFromInline @exclusivity(unchecked)
    nonisolated(unsafe) internal static var isAsyncRun = false

    /// The thread level MPI provided.
    @exclusivity(unchecked)
    nonisolated(unsafe) internal static var providedThreadLevel: ThreadLevel = .single

    @usableFromInline
    internal enum Phase: UInt8 {
        case notInitialized, active, finalized
        /// Initialized by `MPI.run` for async code below MPI_THREAD_MULTIPLE:
        /// only the MPI thread (MPIActor's executor) may call MPI.
        case activeOnMPIThread
    }

    /// Whether MPI is initialized and not finalized.
    @inlinable
    internal static var isActive: Bool {
        @inline(__always) get { phase == .active || phase == .activeOnMPIThread }
    }

    /// Whether this thread may call MPI now: MPI is active, and if async code
    /// owns it (`.activeOnMPIThread`), this is the MPI thread. Synchronous
    /// programs pass the first comparison; only async ones ask for the thread.
    @inlinable @inline(__always)
    internal static func requireCallable(_ operation: StaticString) throws {
        if _fastPath(phase == .active) { return }
        try requireCallableSlowPath(operation)
    }

    @usableFromInline
    internal static func requireCallableSlowPath(_ operation: StaticString) throws {
        guard phase == .activeOnMPIThread else { throw MPIError.inactiveEnvironment(operation) }
        if MPIExecutor.isCurrentThread { return }
        throw MPIError.calledOffMPIThread(operation)
    }
}
