#if canImport(Glibc)
import Glibc
#endif

/// Where suspended operations wait for MPI to complete them.
///
/// An operation awaited in async code tests its request (MPI_Test, or
/// MPI_Improbe for a message of unknown size) and, while it is pending,
/// suspends in ``nextPoll()``. The MPI thread's loop (MPIExecutor) resumes
/// every waiting task once each time it has no other job, so each test runs again;
/// the loop's back-off decides how often that is. Everything here is touched
/// only on the MPI thread.
internal enum ProgressEngine {
    nonisolated(unsafe) private static var waiters: [UnsafeContinuation<Void, Never>] = []
    nonisolated(unsafe) private static var resuming: [UnsafeContinuation<Void, Never>] = []
    /// When an operation last completed or began waiting (CLOCK_MONOTONIC ns).
    nonisolated(unsafe) private static var lastProgress: UInt64 = 0

    /// Whether any operation is waiting for a poll.
    static var hasWaiters: Bool { !waiters.isEmpty }

    /// Suspends until the MPI thread's next poll. (A task of the async
    /// `MPI.run` prefers the MPI thread as its executor, so its resumption
    /// is enqueued here, not on the global pool: no thread switch.)
    @MPIActor
    static func nextPoll() async {
        await withUnsafeContinuation { waiters.append($0) }
    }

    /// Resumes every waiting task (each then tests its request again).
    static func poll() {
        swap(&waiters, &resuming)
        // Over the buffer: an array's iterator allocates in unoptimized builds.
        resuming.withUnsafeBufferPointer { continuations in
            for continuation in continuations { continuation.resume() }
        }
        resuming.removeAll(keepingCapacity: true)
    }

    /// Notes that an operation completed or began waiting, so that the loop
    /// spins before it backs off.
    static func progressed() {
        lastProgress = now()
        progressCount &+= 1
    }

    /// How many times ``progressed()`` was called (the loop resets its back-off when it changes).
    nonisolated(unsafe) private(set) static var progressCount = 0

    static func nanosecondsSinceProgress() -> UInt64 {
        let current = now()
        return current > lastProgress ? current - lastProgress : 0
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Throws unless async operations may call MPI from the MPI thread: MPI was
    /// initialized by `MPI.run`'s async form, or provides MPI_THREAD_MULTIPLE.
    @MPIActor @inline(__always)
    static func checkAsyncUse(_ operation: StaticString) throws {
        if _slowPath(MPIEnvironmentState.phase == .active && MPIEnvironmentState.providedThreadLevel < .multiple) {
            throw MPIError.asyncWithoutMPIThread(operation)
        }
    }

    /// Suspends, polling, until `isComplete` returns true.
    @MPIActor
    static func poll(until isComplete: () throws -> Bool) async throws {
        _ = try await poll(until: isComplete, cancellable: false, onCancel: {})
    }

    /// Suspends, polling, until `isComplete` returns true. If `cancellable`,
    /// on task cancellation calls `cancel` once (which may make `isComplete`
    /// true) and returns whether it did.
    @MPIActor
    static func poll(until isComplete: () throws -> Bool, cancellable: Bool,
                     onCancel cancel: () throws -> Void) async throws -> Bool {
        progressed()
        var cancelled = false
        repeat {
            await nextPoll()
            if cancellable, !cancelled, Task.isCancelled {
                cancelled = true
                try cancel()
            }
        } while try !isComplete()
        progressed()
        return cancelled
    }
}
