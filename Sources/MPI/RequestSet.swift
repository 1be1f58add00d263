import CMPI

/// Requests completed together: wait for all, any, or some of them
/// (MPI_Waitall, MPI_Waitany, MPI_Waitsome, MPI_Testall).
///
/// Appending a ``Request`` moves it into the set, which then owns its buffers.
/// Completed slots keep their results until the set is consumed by
/// `waitAll()`, or a request is taken back out with `take(at:)`. Dropping a
/// set with pending requests cancels and waits for them, like dropping a
/// request.
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
    /// The MPI handles, contiguous, as MPI_Waitall and friends take them.
    @usableFromInline internal var handles: [RequestHandle] = []
    /// Their statuses, contiguous, as MPI fills them.
    @usableFromInline internal var statuses: [MPI_Status] = []
    /// Everything else each request owns.
    @usableFromInline internal var slots: [RequestSlot] = []

    /// An empty set (no MPI call).
    public init() {}

    /// Makes room for `count` requests (no MPI call), so that appending them
    /// allocates nothing. A set grown by appending allocates a number of
    /// times that depends on the heap: each array grows into whatever spare
    /// room malloc's block has, and that depends on what was freed before.
    public mutating func reserveCapacity(_ count: Int) {
        handles.reserveCapacity(count)
        statuses.reserveCapacity(count)
        slots.reserveCapacity(count)
    }

    /// The number of requests in the set, completed or not (no MPI call; MPI's
    /// wait functions take it as their `count`).
    public var count: Int { handles.count }

    /// Moves `request` into the set; its index is the set's count before. No
    /// MPI call: the set passes the handles to MPI_Waitall and friends.
    @inlinable
    public mutating func append(_ request: consuming Request<Value>) {
        appendParts(of: request)
    }

    /// Moves the request at `index` out of the set, completed or not (its
    /// `wait`, MPI_Wait, then returns at once if the set has completed it).
    /// The slot stays, empty; taking it again throws.
    public mutating func take(at index: Int) throws -> Request<Value> {
        try takeParts(at: index)
    }

    @inlinable
    internal mutating func appendParts<Result>(of request: consuming Request<Result>) {
        handles.append(request.handle)
        statuses.append(request.completedStatus)
        slots.append(RequestSlot(
            completed: request.isComplete, elementSize: request.elementSize, buffer: request.buffer,
            trimsToMessage: request.trimsToMessage, swapped: request.swapped,
            kind: request.kind, cancelRequested: request.cancelRequested, origin: request.knownOrigin))
        // The set owns the operation now: the request's deinit must not cancel it.
        request.isComplete = true
    }

    internal mutating func takeParts<Result>(at index: Int) throws -> Request<Result> {
        guard handles.indices.contains(index) else {
            throw MPIError.invalidArgument("index", index, "must be in 0..<\(count)", errorClass: .argument,
                                           operation: "MPI_Wait")
        }
        guard !slots[index].taken else {
            throw MPIError.invalidArgument("index", index, "was taken out of the set already", errorClass: .request,
                                           operation: "MPI_Wait")
        }
        let slot = slots[index]
        var request = Request<Result>(handle: handles[index], elementSize: slot.elementSize, buffer: slot.buffer,
                                      origin: slot.origin ?? RequestOrigin("MPI_Wait"), kind: slot.kind,
                                      trimsToMessage: slot.trimsToMessage,
                                      swapped: slot.swapped)
        request.isComplete = slot.completed
        request.cancelRequested = slot.cancelRequested
        request.completedStatus = statuses[index]
        slots[index].taken = true
        slots[index].completed = true
        slots[index].buffer = nil
        slots[index].swapped = nil
        return request
    }

    /// Whether every request has completed, without waiting; errors are
    /// reported as by ``waitForAll()``.
    ///
    /// The corresponding C function is `MPI_Testall`.
    public mutating func testAll() throws -> Bool {
        var flag: CInt = 0
        let pending = pendingIndices()
        if pending.isEmpty { return true }
        var pendingHandles = pending.map { handles[$0] }
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Testall") }
        let code = MPI_Testall(CInt(pending.count), &pendingHandles, &flag, &pendingStatuses)
        try record(pending, pendingHandles, pendingStatuses, code: code, operation: "MPI_Testall",
                   allCompleted: flag != 0)
        return flag != 0
    }

    /// Waits until every request has completed.
    ///
    /// If any fails, throws an error that names the index of the first failing
    /// request (MPI_ERR_IN_STATUS tells which); the others still complete.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    public mutating func waitForAll() throws {
        if !hasCompletedSlot {
            // Nothing completed yet (the usual case): wait on the handles in
            // place, with no temporary arrays.
            guard !handles.isEmpty else { return }
            guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Waitall") }
            let code = MPI_Waitall(CInt(handles.count), &handles, &statuses)
            try recordInPlace(code: code, operation: "MPI_Waitall")
            return
        }
        let pending = pendingIndices()
        guard !pending.isEmpty else { return }
        var pendingHandles = pending.map { handles[$0] }
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Waitall") }
        let code = MPI_Waitall(CInt(pending.count), &pendingHandles, &pendingStatuses)
        try record(pending, pendingHandles, pendingStatuses, code: code, operation: "MPI_Waitall", allCompleted: true)
    }

    /// Empties the set (MPI_Cancel and MPI_Wait for anything pending), keeping its storage for reuse (so that a loop that
    /// fills and waits for a set allocates nothing after its first round).
    /// Pending requests are cancelled and waited for, as when a set is dropped.
    public mutating func removeAll() {
        cancelPending()
        handles.removeAll(keepingCapacity: true)
        statuses.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }

    /// Waits until one pending request completes and returns its index, or
    /// `nil` when none is pending.
    ///
    /// The corresponding C function is `MPI_Waitany`.
    public mutating func waitForAny() throws -> Int? {
        let pending = pendingIndices()
        guard !pending.isEmpty else { return nil }
        var pendingHandles = pending.map { handles[$0] }
        var index: CInt = 0
        var status = MPI_Status()
        guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Waitany") }
        let code = MPI_Waitany(CInt(pending.count), &pendingHandles, &index, &status)
        guard index != cmpi_undefined() else {
            if code != cmpi_success() { throw MPIError(code: code, operation: "MPI_Waitany") }
            return nil
        }
        let slot = pending[Int(index)]
        handles[slot] = pendingHandles[Int(index)]
        statuses[slot] = status
        try completeSlot(slot, code: code, operation: "MPI_Waitany")
        return slot
    }

    /// Waits until at least one pending request completes and returns the
    /// indices of all that have; empty when none is pending.
    ///
    /// The corresponding C function is `MPI_Waitsome`.
    public mutating func waitForSome() throws -> [Int] {
        let pending = pendingIndices()
        guard !pending.isEmpty else { return [] }
        var pendingHandles = pending.map { handles[$0] }
        var outCount: CInt = 0
        var indices = [CInt](repeating: 0, count: pending.count)
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Waitsome") }
        let code = MPI_Waitsome(CInt(pending.count), &pendingHandles, &outCount, &indices, &pendingStatuses)
        guard outCount != cmpi_undefined() else {
            if code != cmpi_success() { throw MPIError(code: code, operation: "MPI_Waitsome") }
            return []
        }
        var done: [Int] = []
        var firstFailure: MPIError?
        for position in 0..<Int(outCount) {
            let local = Int(indices[position])
            let slot = pending[local]
            handles[slot] = pendingHandles[local]
            statuses[slot] = pendingStatuses[position]
            done.append(slot)
            let slotCode = code == cmpi_err_in_status() ? cmpi_status_error(&pendingStatuses[position]) : cmpi_success()
            do {
                try completeSlot(slot, code: slotCode, operation: "MPI_Waitsome")
            } catch let error as MPIError {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
        if code != cmpi_success() && code != cmpi_err_in_status() { throw MPIError(code: code, operation: "MPI_Waitsome") }
        return done
    }

    /// The status of the completed request at `index` (as MPI_Waitall filled
    /// it; MPI_Get_count for the count).
    public func status(at index: Int) throws -> Status {
        guard handles.indices.contains(index) else {
            throw MPIError.invalidArgument("index", index, "must be in 0..<\(count)", errorClass: .argument,
                                           operation: "MPI_Wait")
        }
        guard !slots[index].taken else {
            throw MPIError.invalidArgument("index", index, "was taken out of the set", errorClass: .request,
                                           operation: "MPI_Wait")
        }
        guard slots[index].completed else {
            throw MPIError(errorClass: .pending, message: "request \(index) has not completed", operation: "MPI_Wait",
                           argument: "index")
        }
        var status = statuses[index]
        return try Status(&status, elementSize: slots[index].elementSize, countsData: slots[index].kind == .receive,
                          checkCancelled: slots[index].cancelRequested)
    }

    deinit {
        Self.cancel(handles: handles, slots: slots)
    }

    /// Cancels and waits for every pending request (MPI must never write into
    /// memory this set no longer keeps alive).
    internal mutating func cancelPending() {
        guard hasPendingSlot else { return }
        Self.cancel(handles: handles, slots: slots)
        for index in slots.indices {
            slots[index].completed = true
            slots[index].swapped = nil
        }
    }

    private static func cancel(handles: [RequestHandle], slots: [RequestSlot]) {
        for index in handles.indices where !slots[index].completed && handles[index] != cmpi_request_null() {
            var handle = handles[index]
            var status = MPI_Status()
            completeDroppedRequest(&handle, &status, kind: slots[index].kind, origin: slots[index].origin)
            _ = slots[index].swapped?.finish(code: cmpi_success(), status: &status, checkCancelled: true)
        }
    }

    // MARK: Internals

    /// Whether any slot has completed (an index loop: generic `contains`
    /// allocates in unoptimized builds, and this runs once per wait-all).
    internal var hasCompletedSlot: Bool {
        var index = 0
        while index < slots.count {
            if slots[index].completed { return true }
            index += 1
        }
        return false
    }

    internal var hasPendingSlot: Bool {
        var index = 0
        while index < slots.count {
            if !slots[index].completed { return true }
            index += 1
        }
        return false
    }

    internal func pendingIndices() -> [Int] {
        slots.indices.filter { !slots[$0].completed }
    }

    /// Records an MPI_Waitall over every slot, in place.
    internal mutating func recordInPlace(code: CInt, operation: StaticString) throws {
        try completeSlots(nil, code: code, operation: operation, allCompleted: code == cmpi_success())
    }

    /// Records a wait or test over the `pending` slots, whose handles and
    /// statuses MPI updated in the given arrays.
    internal mutating func record(
        _ pending: [Int], _ pendingHandles: [RequestHandle], _ pendingStatuses: [MPI_Status],
        code: CInt, operation: StaticString, allCompleted: Bool
    ) throws {
        for (position, slot) in pending.enumerated() {
            handles[slot] = pendingHandles[position]
            statuses[slot] = pendingStatuses[position]
        }
        try completeSlots(pending, code: code, operation: operation, allCompleted: allCompleted)
    }

    /// Completes the slots `pending` (every slot when nil) after MPI returned
    /// `code` for them: with MPI_ERR_IN_STATUS each status says whether its
    /// request failed, completed, or is still pending (MPI_ERR_PENDING);
    /// otherwise they completed if `allCompleted`. Throws the first failure.
    private mutating func completeSlots(
        _ pending: [Int]?, code: CInt, operation: StaticString, allCompleted: Bool
    ) throws {
        var firstFailure: MPIError?
        for position in 0..<(pending?.count ?? handles.count) {
            let slot = pending?[position] ?? position
            var slotCode = cmpi_success()
            if code == cmpi_err_in_status() {
                slotCode = cmpi_status_error(&statuses[slot])
                if slotCode == cmpi_err_pending() { continue }
            } else if !allCompleted {
                continue
            }
            do {
                try completeSlot(slot, code: slotCode, operation: operation)
            } catch let error as MPIError {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
        if code != cmpi_success() && code != cmpi_err_in_status() { throw MPIError(code: code, operation: operation) }
    }

    /// Marks the slot completed with MPI's `code` for it, undoes the safe
    /// posting of a receive, and throws the slot's error naming its index.
    internal mutating func completeSlot(_ slot: Int, code: CInt, operation: StaticString) throws {
        slots[slot].completed = true
        var code = code
        let bufferBytes = slots[slot].swapped?.bufferBytes
        if let swapped = slots[slot].swapped {
            code = swapped.finish(code: code, status: &statuses[slot], checkCancelled: slots[slot].cancelRequested)
            slots[slot].swapped = nil
        }
        guard code != cmpi_success() else { return }
        let underlying = MPIError(receiveCode: code, status: &statuses[slot],
                                  bufferBytes: bufferBytes, operation: operation)
        throw MPIError(errorClass: underlying.errorClass, code: underlying.code,
                       message: "request \(slot) failed: \(underlying.message)",
                       operation: underlying.operation, argument: "requests[\(slot)]")
    }
}

/// What a request in a set owns besides its handle and status.
@usableFromInline
internal struct RequestSlot {
    @usableFromInline var completed: Bool
    @usableFromInline var taken = false
    @usableFromInline let elementSize: Int
    @usableFromInline var buffer: Any?
    @usableFromInline let trimsToMessage: Bool
    @usableFromInline var swapped: SwappedReceive?
    @usableFromInline let kind: RequestKind
    @usableFromInline let cancelRequested: Bool
    #if DEBUG
    /// What the request waits for, reported if it is dropped while pending.
    @usableFromInline let debugOrigin: RequestOrigin?
    #endif

    /// What the request waits for, where that is kept (debug builds).
    @usableFromInline var origin: RequestOrigin? {
        #if DEBUG
        return debugOrigin
        #else
        return nil
        #endif
    }

    @inlinable
    init(completed: Bool, elementSize: Int, buffer: Any?, trimsToMessage: Bool, swapped: SwappedReceive?,
         kind: RequestKind, cancelRequested: Bool, origin: RequestOrigin?) {
        #if DEBUG
        self.debugOrigin = origin
        #endif
        self.completed = completed
        self.elementSize = elementSize
        self.buffer = buffer
        self.trimsToMessage = trimsToMessage
        self.swapped = swapped
        self.kind = kind
        self.cancelRequested = cancelRequested
    }
}

extension RequestSet where Value == Status {
    /// Waits for every request and returns their statuses, in order.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    @discardableResult
    public consuming func waitAll() throws -> [Status] {
        try waitForAll()
        return try handles.indices.map { try status(at: $0) }
    }
}

extension RequestSet {
    /// Waits for every receive and returns the arrays with their statuses, in order.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    public consuming func waitAll<T: MPIElement>() throws -> [([T], Status)] where Value == ([T], Status) {
        try waitForAll()
        return try handles.indices.map { index in
            let status = try status(at: index)
            var elements = slots[index].buffer as! [T]
            if slots[index].trimsToMessage, let count = status.count, count < elements.count {
                elements.removeLast(elements.count - count)
            }
            return (elements, status)
        }
    }
}

extension RequestSet where Value == Any {
    /// Where a request of result type `Result` sits in a mixed set (its
    /// position in the array of handles given to MPI_Waitall).
    public struct Slot<Result>: Hashable, Sendable {
        /// The request's index in the set.
        public let index: Int
    }

    /// Moves a request of any kind into the set and returns its slot (no MPI call).
    @discardableResult
    public mutating func append<Result>(_ request: consuming Request<Result>) -> Slot<Result> {
        let index = count
        appendParts(of: request)
        return Slot(index: index)
    }

    /// Moves the request in `slot` out of the set, typed again, completed or
    /// not, for its `wait` (MPI_Wait); taking it twice throws.
    public mutating func take<Result>(_ slot: Slot<Result>) throws -> Request<Result> {
        try takeParts(at: slot.index)
    }
}
