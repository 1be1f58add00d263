import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// The MPI environment: initialization, finalization, queries and wildcards.
///
/// Most programs need only ``run(threadLevel:_:)``:
/// ```swift
/// import MPI
///
/// try MPI.run { world in
///     print("rank \(world.rank) of \(world.size)")
/// }
/// ```
public enum MPI {
    /// Matches a message from any sender in a receive or probe (MPI_ANY_SOURCE).
    ///
    /// Its value is not MPI's (a small negative number that `rank - 1` could
    /// produce) but one next to `Int.min`, which no arithmetic on ranks reaches
    /// by accident; it is translated to MPI_ANY_SOURCE when MPI is called.
    /// Any other negative rank is an error.
    @inlinable public static var anySource: Int { Wildcards.anySource }
    /// Matches a message with any tag in a receive or probe (MPI_ANY_TAG).
    ///
    /// Like ``anySource``, a value no arithmetic on tags reaches by accident,
    /// translated to MPI_ANY_TAG; any other negative tag is an error.
    @inlinable public static var anyTag: Int { Wildcards.anyTag }
    /// The null process (MPI_PROC_NULL): sends to it and receives from it
    /// complete at once and move no data.
    ///
    /// Like ``anySource``, a value no arithmetic on ranks reaches by accident,
    /// translated to MPI_PROC_NULL; statuses report it for the null process.
    @inlinable public static var processNull: Int { Wildcards.processNull }
}

// MARK: - Life cycle

extension MPI {
    /// Initializes MPI, runs `body` with the world communicator, and finalizes MPI.
    ///
    /// An error thrown out of `body` on any rank is printed with that rank and
    /// ends the whole job through MPI_Abort with exit code 1, so that the other
    /// ranks never wait forever for a rank that has given up. When MPI cannot
    /// be initialized, or the program was started by the wrong launcher (see
    /// ``initialize(threadLevel:)``), the reason is printed and the process
    /// exits with code 1.
    ///
    /// The corresponding C functions are `MPI_Init_thread`, `MPI_Abort` and `MPI_Finalize`.
    /// - Parameters:
    ///   - threadLevel: the thread support to ask for; `.single` by default.
    ///   - body: the SPMD program, run on every rank.
    public static func run(
        threadLevel: ThreadLevel = .single,
        _ body: (Communicator) throws -> Void
    ) throws {
        let world: Communicator
        do {
            world = try initialize(threadLevel: threadLevel)
        } catch let error as MPIError where error.operation == "MPI_Init_thread" && !MPIEnvironmentState.isActive {
            // A launch mistake (or MPI_Init's failure): no job to abort, just say why.
            printToStandardError("swift-mpi: \(error)")
            exit(1)
        }
        do {
            try body(world)
        } catch {
            abortJob(reportingError: error, from: world)
        }
        try finalize()
    }

    /// Initializes MPI and returns the world communicator.
    ///
    /// Installs MPI_ERRORS_RETURN on MPI_COMM_WORLD and MPI_COMM_SELF so that
    /// failures become thrown ``MPIError``s instead of aborting the job.
    /// Call ``finalize()`` before the program ends.
    ///
    /// Throws, having finalized MPI, when the launcher's environment
    /// (`OMPI_COMM_WORLD_SIZE` from Open MPI's mpirun, `PMI_SIZE` from
    /// MPICH's Hydra) says it started a different number of processes than
    /// MPI_Init's world holds: the program was started by the other MPI's
    /// launcher, so every process would run alone as rank 0 of 1. The error
    /// says which launcher to use instead.
    ///
    /// The corresponding C function is `MPI_Init_thread`.
    /// - Parameter threadLevel: the thread support to ask for; see
    ///   ``providedThreadLevel`` for what MPI gave.
    @discardableResult
    public static func initialize(threadLevel: ThreadLevel = .single) throws -> Communicator {
        switch MPIEnvironmentState.phase {
        case .active, .activeOnMPIThread:
            throw MPIError(errorClass: .other, message: "MPI is already initialized", operation: "MPI_Init_thread")
        case .finalized:
            throw MPIError(errorClass: .other, message: "MPI has been finalized and cannot be initialized again",
                           operation: "MPI_Init_thread")
        case .notInitialized:
            break
        }
        var provided: CInt = 0
        OpenMPIOneSided.excludeBrokenComponent()
        try MPIC.initThread(nil, nil, threadLevel.rawValue, &provided)
        MPIEnvironmentState.phase = .active
        readCollectiveVerificationSetting()
        MPIEnvironmentState.providedThreadLevel = ThreadLevel(rawValue: provided) ?? .single

        // Errors come back as return codes from here on (MPI_Init itself may still abort).
        try MPIC.commSetErrhandler(cmpi_comm_world(), cmpi_errors_return())
        try MPIC.commSetErrhandler(cmpi_comm_self(), cmpi_errors_return())
        MPIEnvironmentState.tagUpperBound = try readTagUpperBound()
        MPIEnvironmentState.receivesAreGuarded = BuiltImplementation.receivesNeedGuard()
        MPIEnvironmentState.statusBytesAreReadable = try statusBytesAreReadable()
        try Communicator.makePredefined()
        let world = try Communicator.world
        do {
            try checkLaunch(worldSize: world.size)
        } catch {
            // Every process is alone in its world here: finalize quietly and say why.
            _ = MPIC.finalizeReturningCode()
            MPIEnvironmentState.phase = .finalized
            throw error
        }
        try MPIC.createReplacementOperations()
        FaultHandling.install(rank: world.rank, size: world.size)
        return world
    }

    /// Finalizes MPI. No MPI call may follow; calls that do throw.
    ///
    /// The corresponding C function is `MPI_Finalize`.
    public static func finalize() throws {
        try MPIC.freeReplacementOperations()
        SwappedByteTypes.freeAll()
        DerivedDatatypes.freeAll()
        ObjectReceiveBuffer.release()
        FaultHandling.finalizing()
        try MPIC.finalize()
        MPIEnvironmentState.phase = .finalized
    }

    /// Ends every process of the job (MPI_Abort on MPI_COMM_WORLD).
    ///
    /// Should MPI_Abort not end this process within a second, it exits with
    /// `exitCode` (the launcher then ends the job), so that aborting never hangs.
    ///
    /// The corresponding C function is `MPI_Abort`.
    /// - Parameter exitCode: the exit code mpirun reports.
    public static func abort(exitCode: Int = 1) -> Never {
        let code = CInt(truncatingIfNeeded: exitCode)
        if MPIEnvironmentState.isActive {
            FaultHandling.abortJob(exitCode: code)
        }
        exit(code)
    }
}

// MARK: - Queries

extension MPI {
    /// Whether MPI has been initialized (MPI_Initialized). Callable at any time.
    public static var isInitialized: Bool {
        var flag: CInt = 0
        _ = MPIC.initializedReturningCode(&flag)
        return flag != 0
    }

    /// Whether MPI has been finalized (MPI_Finalized). Callable at any time.
    public static var isFinalized: Bool {
        var flag: CInt = 0
        _ = MPIC.finalizedReturningCode(&flag)
        return flag != 0
    }

    /// The largest tag this job accepts (the MPI_TAG_UB attribute of
    /// MPI_COMM_WORLD; at least 32767). Read once at initialization.
    public static var tagUpperBound: Int { MPIEnvironmentState.tagUpperBound }

    /// The thread level MPI provided at initialization (MPI_Query_thread).
    public static func providedThreadLevel() throws -> ThreadLevel {
        var provided: CInt = 0
        try MPIC.queryThread(&provided)
        return ThreadLevel(rawValue: provided) ?? MPIEnvironmentState.providedThreadLevel
    }

    /// The version of the MPI standard the library implements (MPI_Get_version).
    /// Callable at any time.
    public static var standardVersion: (major: Int, minor: Int) {
        var major: CInt = 0, minor: CInt = 0
        try? MPIC.getVersion(&major, &minor)
        return (Int(major), Int(minor))
    }

    /// The MPI library's own version string (MPI_Get_library_version).
    /// Callable at any time.
    public static var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_library_version_string()) + 1)
        var length: CInt = 0
        guard (try? MPIC.getLibraryVersion(&buffer, &length)) != nil else { return "" }
        return string(from: buffer, length: length)
    }

    /// The name of the processor (host) this rank runs on (MPI_Get_processor_name).
    public static func processorName() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_processor_name()) + 1)
        var length: CInt = 0
        try MPIC.getProcessorName(&buffer, &length)
        return string(from: buffer, length: length)
    }

    /// Wall-clock time in seconds since an arbitrary moment in the past (MPI_Wtime).
    public static func wallTime() throws -> Double {
        try MPIC.wtime()
    }

    /// The resolution of ``wallTime()`` in seconds (MPI_Wtick).
    public static func wallTimeResolution() throws -> Double {
        try MPIC.wtick()
    }
}
