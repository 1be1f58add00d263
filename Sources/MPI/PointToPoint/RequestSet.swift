import CMPI

/// Requests completed together: wait for all, any, or some of them
/// (MPI_Waitall, MPI_Waitany, MPI_Waitsome, MPI_Testall).
///
/// Appending a ``Request`` moves it into the set, which then owns its buffers.
/// Completed slots keep their results until the set is consumed by
/// `waitAll()`, or a request is taken back out with `take(at:)`. Dropping a
/// set with pending requests completes them as dropping each request would.
///
/// A `RequestSet<Any>` mixes requests of every kind (point-to-point and
/// collective) in one wait-all: `append` returns a typed ``Slot`` that gives
/// the request back, to `wait` for its result:
/// ```swift
/// var set = RequestSet<Any>()
/// let sums = set.append(try world.iallReduce([1, 2, 3], .sum))
/// let sent = set.append(try world.isend([1.5], to: peer))
/// try set.waitForAll()
/// let total = try set.take(sums).wait()
/// ```
public struct RequestSet<Value>: ~Copyable {
    /// The MPI handles, contiguous, as MPI_Waitall and friends take them,
    /// room for their statuses, and everything else each request holds.
    @usableFromInline internal var slots = RequestStorage()
    /// Each request's result-to-be, or empty while no request has one (in a
    /// mixed set, `RequestSet<Any>`, a copy also travels in the slot).
    @usableFromInline internal var results: [Value?] = []
    /// False while no slot can have completed (so a wait-all may pass every
    /// handle to MPI as it is); set when one may have, cleared by `removeAll`.
    @usableFromInline internal var mayHaveCompletedSlot = false

    /// An empty set (no MPI call).
    public init() {}

    /// Makes room for `count` requests (no MPI call), so that appending them
    /// allocates nothing. A set grown by appending allocates a number of
    /// times that depends on the heap: each array grows into whatever spare
    /// room malloc's block has, and that depends on what was freed before.
    public mutating func reserveCapacity(_ count: Int) {
        slots.reserveCapacity(count)
        results.reserveCapacity(count)
    }

    /// The number of requests in the set, completed or not (no MPI call; MPI's
    /// wait functions take it as their `count`).
    public var count: Int { slots.count }

    /// Moves `request` into the set; its index is the set's count before. No
    /// MPI call: the set passes the handles to MPI_Waitall and friends.
    @inlinable @inline(__always)
    public mutating func append(_ request: consuming Request<Value>) {
        appendParts(of: request, result: request.result.take())
    }

    /// Moves the request at `index` out of the set, completed or not (its
    /// `wait`, MPI_Wait, then returns at once if the set has completed it).
    /// The slot stays, empty; taking it again throws.
    public mutating func take(at index: Int) throws -> Request<Value> {
        try checkSlot(index, taking: true)
        return takeOperation(at: index, result: index < results.count ? results[index].take() : nil)
    }

    /// Whether every request has completed, without waiting; errors are
    /// reported as by ``waitForAll()``.
    ///
    /// The corresponding C function is `MPI_Testall`.
    public mutating func testAll() throws -> Bool {
        let pending = pendingIndices()
        if pending.isEmpty { return true }
        return try completePending(pending, testing: true)
    }

    /// Waits until every request has completed.
    ///
    /// If any fails, throws an error that names the index of the first failing
    /// request (MPI_ERR_IN_STATUS tells which); the others still complete.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    public mutating func waitForAll() throws {
        guard !slots.isEmpty else { return }
        if !mayHaveCompletedSlot {
            // Nothing completed yet (the usual case): wait on the handles in
            // place, with no temporary arrays.
            let code = try MPIC.waitallReturningCode(CInt(slots.count), slots.handles, slots.statuses)
            if _fastPath(code == cmpi_success()) { return try completeAllSucceeded(operation: "MPI_Waitall") }
            try completeSlots(nil, code: code, operation: "MPI_Waitall", allCompleted: false)
            return
        }
        let pending = pendingIndices()
        guard !pending.isEmpty else { return }
        _ = try completePending(pending, testing: false)
    }

    /// Empties the set, keeping its storage for reuse (so that a loop that
    /// fills and waits for a set allocates nothing after its first round).
    /// Pending requests are completed as when a set is dropped.
    public mutating func removeAll() {
        Self.completeDroppedAndRelease(slots)
        slots.removeAll()
        results.removeAll(keepingCapacity: true)
        mayHaveCompletedSlot = false
    }

    /// Waits until one pending request completes and returns its index, or
    /// `nil` when none is pending.
    ///
    /// The corresponding C function is `MPI_Waitany`.
    public mutating func waitForAny() throws -> Int? {
        let pending = pendingIndices()
        guard !pending.isEmpty else { return nil }
        return try waitForAny(of: pending)
    }

    /// Waits until at least one pending request completes and returns the
    /// indices of all that have; empty when none is pending.
    ///
    /// The corresponding C function is `MPI_Waitsome`.
    public mutating func waitForSome() throws -> [Int] {
        let pending = pendingIndices()
        guard !pending.isEmpty else { return [] }
        return try waitForSome(of: pending)
    }

    /// The status of the completed request at `index` (as MPI_Waitall filled
    /// it; MPI_Get_count for the count).
    public func status(at index: Int) throws -> Status {
        try checkSlot(index, taking: false)
        guard slots[operation: index].isComplete else {
            throw MPIError(errorClass: .pending, message: "request \(index) has not completed", operation: "MPI_Wait",
                           argument: "index")
        }
        return slots[operation: index].status
    }

    // `results` is an array, so that this type is never trivial and this
    // deinitializer always runs (see PendingRequest).
    @inlinable
    deinit {
        Self.completeDroppedAndRelease(slots)
        slots.deallocate()
    }
}

extension RequestSet where Value == Status {
    /// Waits for every request and returns their statuses, in order.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    @discardableResult
    public consuming func waitAll() throws -> [Status] {
        try waitForAll()
        return try slots.indices.map { try status(at: $0) }
    }
}

extension RequestSet {
    /// Waits for every receive and returns the arrays with their statuses, in order.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    public consuming func waitAll<T: MPIElement>() throws -> [([T], Status)] where Value == ([T], Status) {
        try waitForAll()
        return try slots.indices.map { index in
            let status = try status(at: index)
            var elements = results[index].take()!.0   // every request of such a set has one
            if slots[operation: index].trimsToMessage, let count = status.count, count < elements.count {
                elements.removeLast(elements.count - count)
            }
            return (elements, status)
        }
    }
}

extension RequestSet where Value == Any {
    /// Where a request of result type `Result` sits in a mixed set (its
    /// position in the array of handles given to MPI_Waitall), with the
    /// result-to-be that `take` gives back to the request.
    public struct Slot<Result>: Hashable, @unchecked Sendable {
        /// The request's index in the set.
        public let index: Int
        /// The received array MPI fills (the set keeps its memory alive too);
        /// read only once the request has completed.
        @usableFromInline internal let result: Result?

        @usableFromInline
        internal init(index: Int, result: Result?) {
            self.index = index
            self.result = result
        }

        public static func == (lhs: Self, rhs: Self) -> Bool { lhs.index == rhs.index }
        public func hash(into hasher: inout Hasher) { hasher.combine(index) }
    }

    /// Moves a request of any kind into the set and returns its slot (no MPI call).
    @discardableResult @inlinable @inline(__always)
    public mutating func append<Result>(_ request: consuming Request<Result>) -> Slot<Result> {
        let result = request.result.take()
        appendParts(of: request, result: result.map { $0 as Any })
        return Slot(index: count - 1, result: result)
    }

    /// Moves the request in `slot` out of the set, typed again, completed or
    /// not, for its `wait` (MPI_Wait); taking it twice throws.
    public mutating func take<Result>(_ slot: Slot<Result>) throws -> Request<Result> {
        try checkSlot(slot.index, taking: true)
        return takeOperation(at: slot.index, result: slot.result)
    }
}
