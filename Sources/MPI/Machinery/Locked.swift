#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a pthread mutex.
///
/// Used instead of Synchronization's `Mutex` so that ThreadSanitizer sees the
/// locking: on Linux, `Mutex` takes a contended lock inside the toolchain's
/// uninstrumented libswiftSynchronization, so ThreadSanitizer reports races
/// on data that is only ever touched under the lock (seen with the threads
/// test suite, and with a 15-line program of four threads and one `Mutex`).
/// ThreadSanitizer intercepts pthread mutexes. The package's locks are off
/// the single-threaded hot paths, where the cost of either lock would not show.
internal final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
