import CMPI

/// A lock's kind (MPI_LOCK_SHARED, MPI_LOCK_EXCLUSIVE).
public enum WindowLock: Sendable, BitwiseCopyable {
    /// Other ranks may hold the same target's lock at once (`MPI_LOCK_SHARED`).
    case shared
    /// No other rank holds the target's lock meanwhile (`MPI_LOCK_EXCLUSIVE`).
    case exclusive

    var mpiValue: CInt { self == .shared ? cmpi_lock_shared() : cmpi_lock_exclusive() }
}

/// The access epochs a window is in, what its operations keep alive until
/// they complete (put origins), and the results they fill (gets).
@usableFromInline
internal struct WindowEpochs {
    @usableFromInline var fenced = false
    @usableFromInline var lockedAll = false
    /// The lock this rank holds on each rank's window (nil: none), by rank;
    /// sized when the window is made.
    @usableFromInline var locked: [WindowLock?] = []
    /// How many ranks `locked` holds a lock of.
    @usableFromInline var lockCount = 0
    /// In a general-active-target access epoch (accessing(_:_:)): which
    /// ranks it reaches, by rank (empty outside one).
    @usableFromInline var accessTargets: [Bool] = []
    /// In a general-active-target exposure epoch (exposing(to:_:) or expose(to:)).
    @usableFromInline var exposed = false
    /// What completes at the end of a target's epoch or at its flush: the
    /// origins MPI reads (held) and the results it fills. Kept across epochs
    /// so that its capacity is reused and an operation allocates nothing.
    @usableFromInline var pending: [PendingAccess] = []

    @usableFromInline init() {}

    var inEpoch: Bool { fenced || lockedAll || lockCount > 0 || !accessTargets.isEmpty || exposed }

    @inlinable @inline(__always)
    func canAccess(_ rank: Int) -> Bool {
        fenced || lockedAll || locked[rank] != nil || (!accessTargets.isEmpty && accessTargets[rank])
    }

    func requireNoEpoch(_ what: String, operation: StaticString) throws {
        guard inEpoch else { return }
        throw MPIError(errorClass: .rmaSync,
                       message: "\(what) inside an access epoch (fenced, withLock or withLockAll); "
                           + "call it after the epoch's closure returns (or the exposure's wait)",
                       operation: "\(operation)")
    }

    /// Marks what targeted `rank` (nil: every rank) complete and drops it.
    /// (An index loop: removeAll(where:) allocates per call when not specialized.)
    @inlinable
    mutating func complete(target rank: Int?) {
        guard !pending.isEmpty else { return }
        var kept = 0
        for index in 0..<pending.count {
            if rank == nil || pending[index].target == rank {
                pending[index].result?.markComplete()
            } else {
                if kept != index { pending.swapAt(kept, index) }
                kept += 1
            }
        }
        pending.removeLast(pending.count - kept)   // keeps the capacity
    }
}

/// One operation not yet completed: its target, what keeps its origin's
/// memory where it is (an array's storage; nil for borrowed memory), and the
/// values it fills, if the package made them.
@usableFromInline
internal struct PendingAccess {
    @usableFromInline let target: Int
    @usableFromInline let origin: AnyObject?
    @usableFromInline let result: WindowCompletion?

    @inlinable
    init(target: Int, origin: AnyObject?, result: WindowCompletion?) {
        self.target = target
        self.origin = origin
        self.result = result
    }
}

/// Something an RMA operation fills or holds until the operation completes.
@usableFromInline
internal protocol WindowCompletion: AnyObject {
    func markComplete()
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

    @usableFromInline internal func markComplete() {
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
                throw MPIError(errorClass: .rmaSync,
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
            throw MPIError(errorClass: .rmaSync,
                           message: "withLock(\(rank)) inside an epoch that already reaches rank \(rank)",
                           operation: "MPI_Win_lock", argument: "rank")
        }
        try MPIC.winLock(lock.mpiValue, target, 0, handle)
        state.locked[rank] = lock
        state.lockCount += 1
        defer {
            state.locked[rank] = nil
            state.lockCount -= 1
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
    @inlinable
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
            guard state.lockedAll || state.lockCount > 0 else {
                throw MPIError(errorClass: .rmaSync, message: "flush() outside a passive-target epoch",
                               operation: "MPI_Win_flush_all")
            }
            try MPIC.winFlushAll(handle)
            state.complete(target: nil)
        }
    }

    /// Completes at this rank the operations on `rank` made so far in the
    /// current passive-target epoch (nil: on every rank): their origins may
    /// be reused and their values read; at the target they may still be
    /// under way.
    ///
    /// The corresponding C functions are `MPI_Win_flush_local` and `MPI_Win_flush_local_all`.
    @inlinable
    public func flushLocal(rank: Int? = nil) throws {
        if let rank {
            let target = try checkedTarget(rank, operation: "MPI_Win_flush_local")
            guard state.lockedAll || state.locked[rank] != nil else {
                throw MPIError.invalidArgument("rank", rank, "must be locked (withLock or withLockAll) to flush",
                                               errorClass: .rmaSync, operation: "MPI_Win_flush_local")
            }
            try MPIC.winFlushLocal(target, handle)
            state.complete(target: rank)
        } else {
            guard state.lockedAll || state.lockCount > 0 else {
                throw MPIError(errorClass: .rmaSync, message: "flushLocal() outside a passive-target epoch",
                               operation: "MPI_Win_flush_local_all")
            }
            try MPIC.winFlushLocalAll(handle)
            state.complete(target: nil)
        }
    }

    /// Makes this rank's window memory and what other ranks' operations put
    /// there agree (the public and private copies of MPI 3.1 section 11.4),
    /// for local loads and stores inside a passive-target epoch; with a
    /// barrier or message between ranks, the order that shared-memory
    /// codes need.
    ///
    /// The corresponding C function is `MPI_Win_sync`.
    public func sync() throws {
        try MPIC.winSync(handle)
    }

    /// Runs `body` in an access epoch to `ranks` (general active target
    /// synchronization): each of them must expose its window to this rank
    /// meanwhile (``exposing(to:_:)`` or ``expose(to:)``). Operations on
    /// `ranks` made in `body` have completed at this rank when it returns,
    /// and at the targets when their exposure ends.
    ///
    /// The corresponding C functions are `MPI_Win_start` and `MPI_Win_complete`.
    public func accessing<R>(_ ranks: [Int], _ body: () throws -> R) throws -> R {
        guard state.accessTargets.isEmpty && !state.fenced && !state.lockedAll && state.lockCount == 0 else {
            throw MPIError(errorClass: .rmaSync, message: "accessing(_:) of ranks \(ranks) inside another access epoch",
                           operation: "MPI_Win_start", argument: "ranks")
        }
        let group = try peerGroup(ranks, operation: "MPI_Win_start")
        try MPIC.winStart(group.handle, 0, handle)
        var targets = [Bool](repeating: false, count: counts.count)
        for rank in ranks { targets[rank] = true }
        state.accessTargets = targets
        defer {
            state.accessTargets = []
            MPIC.releasing { try MPIC.winComplete(handle) }
            for rank in ranks { state.complete(target: rank) }
        }
        return try body()
    }

    /// Runs `body` with this rank's window exposed to `ranks`, which each
    /// access it in an ``accessing(_:_:)`` epoch meanwhile, and returns when
    /// all of them have completed theirs (their operations are then in this
    /// rank's memory).
    ///
    /// The corresponding C functions are `MPI_Win_post` and `MPI_Win_wait`.
    public func exposing<R>(to ranks: [Int], _ body: () throws -> R) throws -> R {
        let exposure = try expose(to: ranks)
        let result: R
        do {
            result = try body()
        } catch {
            try? exposure.wait()
            throw error
        }
        try exposure.wait()
        return result
    }

    /// Exposes this rank's window to `ranks` until the returned epoch's
    /// ``WindowExposure/wait()`` (or its ``WindowExposure/test()`` returning
    /// true); dropping it waits.
    ///
    /// The corresponding C function is `MPI_Win_post`.
    public func expose(to ranks: [Int]) throws -> WindowExposure<Element> {
        guard !state.exposed else {
            throw MPIError(errorClass: .rmaSync, message: "expose(to:) of ranks \(ranks) while the window is already exposed",
                           operation: "MPI_Win_post", argument: "ranks")
        }
        let group = try peerGroup(ranks, operation: "MPI_Win_post")
        try MPIC.winPost(group.handle, 0, handle)
        state.exposed = true
        return WindowExposure(window: self)
    }

    /// The group of `ranks` of the window's communicator, checked (in range, none twice).
    private func peerGroup(_ ranks: [Int], operation: StaticString) throws -> Group {
        var seen = [Bool](repeating: false, count: counts.count)
        for rank in ranks {
            guard rank >= 0 && rank < counts.count else {
                throw MPIError.invalidArgument("ranks", rank, "must be ranks in 0..<\(counts.count)",
                                               errorClass: .rank, operation: operation)
            }
            guard !seen[rank] else {
                throw MPIError.invalidArgument("ranks", rank, "holds rank \(rank) twice", errorClass: .rank,
                                               operation: operation)
            }
            seen[rank] = true
        }
        return try communicator.group.including(ranks)
    }

    /// A target rank, checked: a rank of the window's communicator.
    @inlinable @inline(__always)
    func checkedTarget(_ rank: Int, operation: StaticString) throws -> CInt {
        guard rank >= 0 && rank < counts.count else {
            throw MPIError.invalidArgument("rank", rank, "must be a rank in 0..<\(counts.count)", errorClass: .rank,
                                           operation: operation)
        }
        return CInt(rank)
    }
}

/// A window's exposure epoch (MPI_Win_post), ended by ``wait()``, or by
/// ``test()`` once it returns true; dropped, it waits.
public struct WindowExposure<Element: MPIElement>: ~Copyable {
    private let window: Window<Element>
    private var ended = false

    init(window: Window<Element>) { self.window = window }

    /// Waits until every rank exposed to has completed its access epoch.
    ///
    /// The corresponding C function is `MPI_Win_wait`.
    public consuming func wait() throws {
        guard !ended else { return }
        ended = true
        window.state.exposed = false
        try MPIC.winWait(window.handle)
    }

    /// Whether every rank exposed to has completed its access epoch; once
    /// it returns true the exposure has ended.
    ///
    /// The corresponding C function is `MPI_Win_test`.
    public mutating func test() throws -> Bool {
        guard !ended else { return true }
        var flag: CInt = 0
        try MPIC.winTest(window.handle, &flag)
        if flag != 0 {
            ended = true
            window.state.exposed = false
        }
        return flag != 0
    }

    deinit {
        guard !ended else { return }
        window.state.exposed = false
        MPIC.releasing { try MPIC.winWait(window.handle) }
    }
}
