#if canImport(Glibc)
import Glibc
#endif

/// The one thread that runs every MPI call made from async code, and drives
/// MPI's progress for every suspended operation (``MPIActor``'s executor).
///
/// Its loop runs the jobs enqueued on it (tasks resuming on ``MPIActor``);
/// when there are none it polls the suspended operations (ProgressEngine).
/// While operations are pending and none completes it spins for
/// ``spinDuration`` (yielding the core between polls when ranks outnumber cores),
/// then sleeps between polls for twice as long each time, from 1 µs up to
/// ``longestSleep`` (1 ms); a new job wakes it at once. With
/// nothing pending and no jobs it parks on a condition variable and uses no
/// CPU. (MPI 3.1 gives no way to be woken when a message arrives, so a
/// pending receive is polled at least every millisecond.)
///
/// It is also a task executor: the tasks of the async `MPI.run` prefer it
/// (`withTaskExecutorPreference`), so that their nonisolated code and their
/// resumptions run here too, instead of hopping through the global pool and
/// back for every MPI call and every poll.
internal final class MPIExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    static let shared = MPIExecutor()

    /// How long the loop polls without sleeping after an operation starts
    /// waiting or completes (SWIFT_MPI_SPIN_MICROSECONDS; default 1 ms, or
    /// 50 µs when this node runs more ranks than it has cores).
    let spinDuration: UInt64
    /// Whether the spinning loop yields the core between polls: when this
    /// node runs more ranks than it has cores (as Open MPI then does in its
    /// own waits), or SWIFT_MPI_YIELD_WHEN_IDLE=1. Not otherwise: on a busy
    /// machine a yield can cost a whole time slice.
    let yieldsWhileSpinning: Bool
    /// The longest sleep between polls while operations are pending.
    static let longestSleep: UInt64 = 1_000_000

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Guarded by `mutex`.
    private var queue: [UnownedJob] = []
    /// Guarded by `mutex`: whether the loop waits on `condition`.
    private var isSleeping = false
    /// Written once, before any job can run on the thread.
    nonisolated(unsafe) private var thread = pthread_t()
    nonisolated(unsafe) private static var threadStarted = false

    private init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        let localRanks = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"]
            .compactMap { (name: String) in getenv(name).flatMap { Int(String(cString: $0)) } }.first ?? 1
        let oversubscribed = localRanks > sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let yieldSetting = getenv("SWIFT_MPI_YIELD_WHEN_IDLE").map { String(cString: $0) }
        yieldsWhileSpinning = yieldSetting.map { $0 == "1" } ?? oversubscribed
        // Oversubscribed, a spinning rank takes the core from one that computes: spin briefly.
        let spin = getenv("SWIFT_MPI_SPIN_MICROSECONDS").flatMap { UInt64(String(cString: $0)) } ?? (oversubscribed ? 50 : 1000)
        spinDuration = spin * 1000
        let box = Unmanaged.passRetained(self)
        let created = pthread_create(&thread, nil, { context in
            let executor = Unmanaged<MPIExecutor>.fromOpaque(context!).takeRetainedValue()
            executor.runLoop()
            return nil
        }, box.toOpaque())
        precondition(created == 0, "swift-mpi: cannot start the MPI thread (pthread_create returned \(created))")
    }

    /// Whether the caller runs on the MPI thread.
    static var isCurrentThread: Bool {
        pthread_equal(pthread_self(), shared.thread) != 0
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        queue.append(job)
        let wake = isSleeping
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(condition) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    func checkIsolated() {
        precondition(Self.isCurrentThread, "swift-mpi: expected to run on the MPI thread (MPIActor)")
    }

    // MARK: - The loop

    private func runLoop() {
        var batch: [UnownedJob] = []
        var sleep: UInt64 = 0        // the next sleep between idle polls; 0 while spinning
        var seenProgress = ProgressEngine.progressCount
        while true {
            // An operation began waiting or completed since the last poll:
            // spin again rather than sleep the back-off computed before it.
            if ProgressEngine.progressCount != seenProgress {
                seenProgress = ProgressEngine.progressCount
                sleep = 0
            }
            pthread_mutex_lock(mutex)
            if queue.isEmpty {
                if !ProgressEngine.hasWaiters {
                    isSleeping = true
                    while queue.isEmpty { pthread_cond_wait(condition, mutex) }
                    isSleeping = false
                    sleep = 0
                } else if sleep > 0 {
                    isSleeping = true
                    var deadline = timespec()
                    clock_gettime(CLOCK_MONOTONIC, &deadline)
                    let nanoseconds = UInt64(deadline.tv_nsec) + sleep
                    deadline.tv_sec += Int(nanoseconds / 1_000_000_000)
                    deadline.tv_nsec = Int(nanoseconds % 1_000_000_000)
                    if queue.isEmpty { pthread_cond_timedwait(condition, mutex, &deadline) }
                    isSleeping = false
                }
            }
            swap(&batch, &queue)
            pthread_mutex_unlock(mutex)

            if batch.isEmpty {
                // Nothing to run: poll every suspended operation once (each
                // tests its request and yields again, or completes).
                ProgressEngine.poll()
                let idle = ProgressEngine.nanosecondsSinceProgress()
                if idle < spinDuration {
                    sleep = 0
                    if yieldsWhileSpinning { sched_yield() }
                } else {
                    sleep = min(max(sleep * 2, 1000), Self.longestSleep)
                }
            } else {
                // One enqueue serves both roles (MPIActor's jobs and the jobs of
                // tasks that prefer this executor); each runs on this thread as both.
                let serial = asUnownedSerialExecutor(), task = asUnownedTaskExecutor()
                batch.withUnsafeBufferPointer { jobs in
                    for job in jobs { job.runSynchronously(isolatedTo: serial, taskExecutor: task) }
                }
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
}

/// The global actor of MPI calls made from async code: its executor is the
/// MPI thread (one dedicated thread), so every MPI call in `@MPIActor` code
/// comes from that thread and MPI_THREAD_FUNNELED suffices.
///
/// The body of `MPI.run(threadLevel:_:) async` and every `async` operation of
/// this package are isolated to it; a task elsewhere that awaits one hops to
/// the MPI thread for the MPI calls and back when it resumes. Keep long
/// computations off it (in a child task or `Task.detached`): while one runs,
/// no suspended operation makes progress.
@globalActor
public actor MPIActor {
    /// The one instance.
    public static let shared = MPIActor()

    /// The MPI thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        MPIExecutor.shared.asUnownedSerialExecutor()
    }
}
