import CMPI

/// A lock's kind (MPI_LOCK_SHARED, MPI_LOCK_EXCLUSIVE).
public enum WindowLock: Sendable {
    /// Other ranks may hold the same target's lock at once (`MPI_LOCK_SHARED`).
    case shared
    /// No other rank holds the target's lock meanwhile (`MPI_LOCK_EXCLUSIVE`).
    case exclusive

    var mpiValue: CInt { self == .shared ? cmpi_lock_shared() : cmpi_lock_exclusive() }
}

/// The access epochs a window is in, what its operations keep alive until
/// they complete (put origins), and the results they fill (gets).
internal struct WindowEpochs {
    var fenced = false
    var lockedAll = false
    var locked: [Int: WindowLock] = [:]
    /// Per target rank (or every rank, for -1 entries never made): what
    /// completes at the end of that target's epoch or at its flush.
    var pending: [(target: Int, result: WindowCompletion)] = []

    var inEpoch: Bool { fenced || lockedAll || !locked.isEmpty }

    func canAccess(_ rank: Int) -> Bool { fenced || lockedAll || locked[rank] != nil }

    func requireNoEpoch(_ what: String, operation: StaticString) throws {
        guard inEpoch else { return }
        throw MPIError(errorClass: .other,
                       message: "\(what) inside an access epoch (fenced, withLock or withLockAll); "
                           + "call it after the epoch's closure returns",
                       operation: "\(operation)")
    }

    /// Marks what targeted `rank` (nil: every rank) complete and drops it.
    mutating func complete(target rank: Int?) {
        pending.removeAll { entry in
            guard rank == nil || entry.target == rank else { return false }
            entry.result.markComplete()
            return true
        }
    }
}

/// Something an RMA operation fills or holds until the operation completes.
internal protocol WindowCompletion: AnyObject {
    func markComplete()
}

/// Holds a put's or accumulate's origin array until the operation completes.
internal final class KeptOrigin: WindowCompletion {
    let storage: AnyObject?
    init(_ storage: AnyObject?) { self.storage = storage }
    func markComplete() {}
}

/// The values a get, a get-accumulate, a fetch-and-op or a compare-and-swap
/// brings back: readable once the operation has completed, that is, after
/// the epoch it was made in ends (or a flush of its target).
public final class WindowValues<Element: MPIElement>: WindowCompletion {
    internal let memory: UnsafeMutablePointer<Element>
    /// The number of elements.
    public let count: Int
    private var completed = false
    /// Kept alive until completion (a get-accumulate's origin).
    internal var origin: AnyObject?

    internal init(count: Int) {
        self.count = count
        memory = .allocate(capacity: Swift.max(count, 1))
        memory.withMemoryRebound(to: UInt8.self, capacity: Swift.max(count, 1) * MemoryLayout<Element>.stride) {
            $0.initialize(repeating: 0, count: Swift.max(count, 1) * MemoryLayout<Element>.stride)
        }
    }

    internal func markComplete() {
        completed = true
        origin = nil
    }

    /// Whether the operation has completed.
    public var isComplete: Bool { completed }

    /// The values; throws before the operation has completed (inside its epoch, before a flush).
    ///
    /// The corresponding C function is `MPI_Win_fence`, `MPI_Win_unlock` or `MPI_Win_flush` (what completes it).
    public var values: [Element] {
        get throws {
            guard completed else {
                throw MPIError(errorClass: .other,
                               message: "the values of a one-sided operation read before it completed: read them "
                                   + "after the epoch's closure returns, or after flush(rank:)",
                               operation: "MPI_Get", argument: "values")
            }
            return Array(UnsafeBufferPointer(start: memory, count: count))
        }
    }

    /// The first value (for fetch-and-op and compare-and-swap); throws as ``values``.
    public var value: Element {
        get throws { try values[0] }
    }

    deinit { memory.deallocate() }
}

extension Window {
    /// Runs `body` in an access and exposure epoch of every rank, opened and
    /// closed by a fence (collective: every rank calls it). Operations made in
    /// `body` have completed, on both sides, when it returns.
    ///
    /// The corresponding C function is `MPI_Win_fence`.
    public func fenced<R>(_ body: () throws -> R) throws -> R {
        try state.requireNoEpoch("fenced", operation: "MPI_Win_fence")
        try MPIC.winFence(0, handle)
        state.fenced = true
        let result: R
        do {
            result = try body()
        } catch {
            // Still close the epoch on every rank, or the others hang in their fence.
            state.fenced = false
            try? MPIC.winFence(0, handle)
            state.complete(target: nil)
            throw error
        }
        state.fenced = false
        try MPIC.winFence(0, handle)
        state.complete(target: nil)
        return result
    }

    /// Runs `body` holding `lock` on `rank`'s window memory: a passive-target
    /// epoch (`rank` does nothing). Operations on `rank` made in `body` have
    /// completed when it returns.
    ///
    /// The corresponding C functions are `MPI_Win_lock` and `MPI_Win_unlock`.
    public func withLock<R>(_ rank: Int, _ lock: WindowLock = .exclusive, _ body: () throws -> R) throws -> R {
        let target = try checkedTarget(rank, operation: "MPI_Win_lock")
        guard !state.fenced && !state.lockedAll && state.locked[rank] == nil else {
            throw MPIError(errorClass: .other,
                           message: "withLock(\(rank)) inside an epoch that already reaches rank \(rank)",
                           operation: "MPI_Win_lock", argument: "rank")
        }
        try MPIC.winLock(lock.mpiValue, target, 0, handle)
        state.locked[rank] = lock
        defer {
            state.locked[rank] = nil
            MPIC.releasing { try MPIC.winUnlock(target, handle) }
            state.complete(target: rank)
        }
        return try body()
    }

    /// Runs `body` holding a shared lock on every rank's window memory.
    ///
    /// The corresponding C functions are `MPI_Win_lock_all` and `MPI_Win_unlock_all`.
    public func withLockAll<R>(_ body: () throws -> R) throws -> R {
        try state.requireNoEpoch("withLockAll", operation: "MPI_Win_lock_all")
        try MPIC.winLockAll(0, handle)
        state.lockedAll = true
        defer {
            state.lockedAll = false
            MPIC.releasing { try MPIC.winUnlockAll(handle) }
            state.complete(target: nil)
        }
        return try body()
    }

    /// Completes, on both sides, the operations on `rank` made so far in the
    /// current passive-target epoch (nil: on every rank).
    ///
    /// The corresponding C functions are `MPI_Win_flush` and `MPI_Win_flush_all`.
    public func flush(rank: Int? = nil) throws {
        if let rank {
            let target = try checkedTarget(rank, operation: "MPI_Win_flush")
            guard state.lockedAll || state.locked[rank] != nil else {
                throw MPIError.invalidArgument("rank", rank, "must be locked (withLock or withLockAll) to flush",
                                               errorClass: .rank, operation: "MPI_Win_flush")
            }
            try MPIC.winFlush(target, handle)
            state.complete(target: rank)
        } else {
            guard state.lockedAll || !state.locked.isEmpty else {
                throw MPIError(errorClass: .other, message: "flush() outside a passive-target epoch",
                               operation: "MPI_Win_flush_all")
            }
            try MPIC.winFlushAll(handle)
            state.complete(target: nil)
        }
    }

    /// A target rank, checked: a rank of the window's communicator.
    func checkedTarget(_ rank: Int, operation: StaticString) throws -> CInt {
        guard rank >= 0 && rank < counts.count else {
            throw MPIError.invalidArgument("rank", rank, "must be a rank in 0..<\(counts.count)", errorClass: .rank,
                                           operation: operation)
        }
        return CInt(rank)
    }
}
