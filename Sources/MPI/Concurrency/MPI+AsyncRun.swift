#if canImport(Glibc)
import Glibc
#endif

extension MPI {
    /// Initializes MPI on the MPI thread, runs the async `body` there with the
    /// world communicator, and finalizes MPI: the form for Swift concurrency.
    ///
    /// `body` is isolated to ``MPIActor``, whose executor is the MPI thread,
    /// so every MPI call it makes (and every awaited operation of this
    /// package, from any task) runs on the thread that initialized MPI, as
    /// MPI_THREAD_FUNNELED requires; awaiting an operation suspends the task
    /// instead of blocking a thread. The rules by thread level:
    /// - `.funneled` (the default) or `.serialized`: only the MPI thread may
    ///   call MPI. The tasks of `body`, child tasks included, prefer the MPI
    ///   thread as their executor, so their code runs there; a synchronous
    ///   call from another thread (in a `Task.detached`, say) throws an
    ///   ``MPIError`` that says so: await an async operation instead, or make
    ///   the call in `@MPIActor` code.
    /// - `.multiple`: any thread may also make synchronous calls.
    /// A synchronous blocking call in `@MPIActor` code (from a synchronous
    /// helper) is allowed but blocks the MPI thread, so no other suspended
    /// operation progresses until it returns.
    ///
    /// Errors end the job as with the synchronous ``run(threadLevel:_:)``.
    ///
    /// The corresponding C functions are `MPI_Init_thread`, `MPI_Abort` and `MPI_Finalize`.
    /// - Parameters:
    ///   - threadLevel: the thread support to ask for; `.funneled` by default.
    ///   - body: the SPMD program, run on every rank on the MPI thread.
    public static func run(
        threadLevel: ThreadLevel = .funneled,
        _ body: @MPIActor (Communicator) async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(MPIExecutor.shared) {
            try await runOnMPIThread(threadLevel: threadLevel, body)
        }
    }

    @MPIActor
    private static func runOnMPIThread(
        threadLevel: ThreadLevel, _ body: @MPIActor (Communicator) async throws -> Void
    ) async throws {
        let world: Communicator
        do {
            world = try initialize(threadLevel: threadLevel)
        } catch let error as MPIError where error.operation == "MPI_Init_thread" && !MPIEnvironmentState.isActive {
            printToStandardError("swift-mpi: \(error)")
            exit(1)
        }
        MPIEnvironmentState.isAsyncRun = true
        if MPIEnvironmentState.providedThreadLevel < .multiple {
            MPIEnvironmentState.phase = .activeOnMPIThread
        }
        do {
            try await body(world)
        } catch {
            abortJob(reportingError: error, from: world)
        }
        try finalize()
    }
}

