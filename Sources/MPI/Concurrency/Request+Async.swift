// The async forms of waiting for requests. Each tests its request and, while
// it is pending, suspends the task (ProgressEngine) instead of blocking a
// thread in MPI_Wait; once MPI_Test has completed it, the synchronous wait
// returns at once. Cancelling the awaiting task cancels a receive
// (MPI_Cancel): the wait then throws CancellationError, unless the message
// had arrived, which is returned. A send or a collective cannot be cancelled
// safely, so it is still waited for.

extension Request {
    /// Suspends until MPI_Test completes the request; returns whether task
    /// cancellation cancelled it (a receive).
    @MPIActor @usableFromInline
    internal mutating func awaitCompletion(_ operation: StaticString) async throws -> Bool {
        try ProgressEngine.checkAsyncUse(operation)
        if try test() { return false }
        let cancellable = pending.operation.kind == .receive
        return try await ProgressEngine.poll(until: { try test() }, cancellable: cancellable, onCancel: { try cancel() })
    }

    /// Throws CancellationError when the task cancelled a receive and MPI cancelled it.
    @usableFromInline
    internal static func checkCancellation(_ cancelled: Bool, _ status: Status) throws {
        if cancelled && status.isCancelled { throw CancellationError() }
    }
}

/// A result handed from the MPI thread to the awaiting task, which is its
/// only owner from then on (nothing on the MPI thread keeps it).
@usableFromInline
internal struct UncheckedSendable<Value: ~Copyable>: ~Copyable, @unchecked Sendable {
    @usableFromInline var value: Value
    @usableFromInline init(_ value: consuming Value) { self.value = value }
}

extension UncheckedSendable: Copyable where Value: Copyable {}

// The synchronous waits, called once the request has completed (from a
// synchronous context, so that the synchronous overloads are the ones chosen).
private func finish(_ request: consuming Request<Status>) throws -> Status { try request.wait() }
private func finish<Buffer: ReceiveBuffer>(_ request: consuming Request<(Buffer, Status)>) throws -> (Buffer, Status) {
    try request.wait()
}
private func finish<T: MPIElement>(_ request: consuming Request<([T], Status)>) throws -> ([T], Status) { try request.wait() }
private func finish<T: MPIElement>(_ request: consuming Request<[T]>) throws -> [T] { try request.wait() }
private func finish<T: MPIElement>(_ request: consuming Request<T>) throws -> T { try request.wait() }
private func finish(_ request: consuming Request<Void>) throws { try request.wait() }

extension Request where Value == Status {
    /// Suspends the task until the operation completes and returns its status
    /// (see the synchronous ``wait()``). Cancelling the task cancels a receive.
    ///
    /// The corresponding C functions are `MPI_Test` (polled) and `MPI_Cancel`.
    @MPIActor @discardableResult
    public consuming func wait() async throws -> Status {
        let cancelled = try await awaitCompletion("MPI_Wait")
        let status = try finish(self)
        try Self.checkCancellation(cancelled, status)
        return status
    }
}

extension Request {
    /// Suspends the task until a receive into an owned buffer completes and
    /// returns the buffer with the status. Cancelling the task cancels it.
    ///
    /// The corresponding C functions are `MPI_Test` (polled) and `MPI_Cancel`.
    @MPIActor
    public consuming func wait<Buffer: ReceiveBuffer>() async throws -> sending (Buffer, Status) where Value == (Buffer, Status) {
        let cancelled = try await awaitCompletion("MPI_Wait")
        // The buffer is the caller's again: nothing on the MPI thread keeps it.
        let received = UncheckedSendable(try finish(self))
        try Self.checkCancellation(cancelled, received.value.1)
        return received.value
    }

    /// Suspends the task until a receive completes and returns the array with
    /// the status. Cancelling the task cancels it.
    ///
    /// The corresponding C functions are `MPI_Test` (polled) and `MPI_Cancel`.
    @MPIActor
    public consuming func wait<T: MPIElement>() async throws -> sending ([T], Status) where Value == ([T], Status) {
        let cancelled = try await awaitCompletion("MPI_Wait")
        let received = UncheckedSendable(try finish(self))
        try Self.checkCancellation(cancelled, received.value.1)
        return received.value
    }

    /// Suspends the task until a nonblocking collective completes and returns
    /// its result array (a collective is not cancelled with the task).
    ///
    /// The corresponding C function is `MPI_Test` (polled).
    @MPIActor
    public consuming func wait<T: MPIElement>() async throws -> sending [T] where Value == [T] {
        _ = try await awaitCompletion("MPI_Wait")
        return UncheckedSendable(try finish(self)).value
    }

    /// Suspends the task until a nonblocking collective completes and returns
    /// its one result value.
    ///
    /// The corresponding C function is `MPI_Test` (polled).
    @MPIActor
    public consuming func wait() async throws -> sending Value where Value: MPIElement {
        _ = try await awaitCompletion("MPI_Wait")
        return UncheckedSendable(try finish(self)).value
    }
}

extension Request where Value == Void {
    /// Suspends the task until the operation (a barrier, or a collective into
    /// caller buffers) completes.
    ///
    /// The corresponding C function is `MPI_Test` (polled).
    @MPIActor
    public consuming func wait() async throws {
        _ = try await awaitCompletion("MPI_Wait")
        try finish(self)
    }
}

// MARK: - Sets

extension RequestSet {
    /// Suspends the task until every request has completed (see the
    /// synchronous ``waitForAll()``). Not cancelled with the task.
    ///
    /// The corresponding C function is `MPI_Testall` (polled).
    @MPIActor
    public mutating func waitForAll() async throws {
        try ProgressEngine.checkAsyncUse("MPI_Waitall")
        if try testAll() { return }
        try await ProgressEngine.poll(until: { try testAll() })
    }

    /// Suspends the task until one pending request completes and returns its
    /// index, or `nil` when none is pending (see ``waitForAny()``).
    ///
    /// The corresponding C function is `MPI_Testany` (polled).
    @MPIActor
    public mutating func waitForAny() async throws -> Int? {
        try ProgressEngine.checkAsyncUse("MPI_Waitany")
        let pending = pendingIndices()
        guard !pending.isEmpty else { return nil }
        var completed = try waitForAny(of: pending, testing: true)
        if completed == nil {
            try await ProgressEngine.poll(until: {
                completed = try waitForAny(of: pending, testing: true)
                return completed != nil
            })
        }
        return completed
    }

    /// Suspends the task until at least one pending request completes and
    /// returns the indices of all that have; empty when none is pending.
    ///
    /// The corresponding C function is `MPI_Testsome` (polled).
    @MPIActor
    public mutating func waitForSome() async throws -> [Int] {
        try ProgressEngine.checkAsyncUse("MPI_Waitsome")
        let pending = pendingIndices()
        guard !pending.isEmpty else { return [] }
        var completed = try waitForSome(of: pending, testing: true)
        if completed.isEmpty {
            try await ProgressEngine.poll(until: {
                completed = try waitForSome(of: pending, testing: true)
                return !completed.isEmpty
            })
        }
        return completed
    }
}

extension RequestSet where Value == Status {
    /// Suspends the task until every request completes and returns their
    /// statuses, in order.
    ///
    /// The corresponding C function is `MPI_Testall` (polled).
    @MPIActor @discardableResult
    public consuming func waitAll() async throws -> [Status] {
        try await waitForAll()
        return try finishAll(self)
    }
}

extension RequestSet {
    /// Suspends the task until every receive completes and returns the arrays
    /// with their statuses, in order.
    ///
    /// The corresponding C function is `MPI_Testall` (polled).
    @MPIActor
    public consuming func waitAll<T: MPIElement>() async throws -> sending [([T], Status)] where Value == ([T], Status) {
        try await waitForAll()
        return UncheckedSendable(try finishAll(self)).value
    }
}

private func finishAll(_ set: consuming RequestSet<Status>) throws -> [Status] { try set.waitAll() }
private func finishAll<T: MPIElement>(_ set: consuming RequestSet<([T], Status)>) throws -> [([T], Status)] {
    try set.waitAll()
}
