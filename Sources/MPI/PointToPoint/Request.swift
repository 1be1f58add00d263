import CMPI

/// A nonblocking operation in flight (MPI_Request), completed exactly once.
///
/// A request is non-copyable: ``wait()`` consumes it, so it cannot be waited
/// for twice or used after completion. It owns the buffers MPI reads or writes
/// until then: an array sent by `isend` stays alive and unchanged (the caller's
/// own copy is copied on write), and an array being received into is out of
/// the caller's reach until `wait` hands it back. Unsafe buffer pointers are
/// borrowed: they must stay valid until the request completes.
///
/// Dropping a request that has not completed waits for it (MPI_Wait), after
/// cancelling it if it is a receive (MPI_Cancel), so MPI never writes into
/// memory that was freed. A send that has started is not cancelled: dropping
/// one waits, right there, for the matching receive, and hangs if that
/// receive is posted only later. Do not discard a request
/// (`_ = try world.isend(...)`); wait for it. In debug builds a dropped
/// request that cannot complete at once prints what it waits for (operation,
/// peer and tag) to standard error first.
public struct Request<Value>: ~Copyable {
    /// The handle and the operation, which complete the request if it is
    /// dropped pending.
    @usableFromInline internal var pending: PendingRequest
    /// The result-to-be that MPI fills in place (a received array), if the
    /// result is more than a status.
    @usableFromInline internal var result: Value?

    @inlinable @inline(__always)
    internal init(handle: RequestHandle, _ operation: PendingOperation, result: Value? = nil) {
        self.pending = PendingRequest(handle: handle, operation: operation)
        self.result = result
    }

    /// Whether the operation has completed, without waiting. Once it returns
    /// `true`, ``wait()`` returns at once.
    ///
    /// The corresponding C function is `MPI_Test`.
    @inlinable
    public mutating func test() throws -> Bool {
        if pending.operation.isComplete { return true }
        var flag: CInt = 0
        var status = MPI_Status()
        let code = try MPIC.testReturningCode(&pending.handle, &flag, &status)
        guard flag != 0 || code != cmpi_success() else { return false }
        try pending.operation.complete(code: code, status: &status, operation: "MPI_Test")
        return true
    }

    /// Asks MPI to cancel the operation; ``wait()`` then completes it and its
    /// status says whether the cancellation succeeded.
    ///
    /// The corresponding C function is `MPI_Cancel`.
    @inlinable
    public mutating func cancel() throws {
        guard !pending.operation.isComplete else { return }
        pending.operation.cancelRequested = true
        try MPIC.cancel(&pending.handle)
    }

    /// Waits for completion and returns the status (MPI_Wait).
    @inlinable @inline(__always)
    internal mutating func complete() throws -> Status {
        if !pending.operation.isComplete {
            var status = MPI_Status()
            let code = pending.operation.needsStatus
                ? try MPIC.waitReturningCode(&pending.handle, &status)
                : try MPIC.waitReturningCode(&pending.handle, cmpi_status_ignore())
            return try pending.operation.complete(code: code, status: &status, operation: "MPI_Wait")
        }
        return pending.operation.status
    }

}

extension Request where Value == Status {
    /// Waits for the operation to complete and returns its status: for a
    /// receive, who sent the message, its tag and size; for a send, MPI's
    /// empty status (`MPI.anySource`, `MPI.anyTag`, no data), since MPI
    /// defines nothing else of it, with ``Status/isCancelled`` if it was
    /// cancelled.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @inline(__always) @discardableResult
    public consuming func wait() throws -> Status {
        let status = try complete()
        pending.end()
        return status
    }
}

extension Request {
    /// Waits for a receive into an owned buffer and returns the buffer (now
    /// the caller's again) with the status.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @inline(__always)
    public consuming func wait<Buffer: ReceiveBuffer>() throws -> (Buffer, Status) where Value == (Buffer, Status) {
        let status = try complete()
        let buffer = result.take()!.0
        pending.end()
        return (buffer, status)
    }

    /// Waits for a receive and returns the received array (now the caller's)
    /// with the status. An array made by `ireceive(_:count:from:tag:)` is as
    /// long as the message; one passed in keeps its length.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @inline(__always)
    public consuming func wait<T: MPIElement>() throws -> ([T], Status) where Value == ([T], Status) {
        let status = try complete()
        var elements = result.take()!.0
        if pending.operation.trimsToMessage, let count = status.count, count < elements.count {
            elements.removeLast(elements.count - count)
        }
        pending.end()
        return (elements, status)
    }

    /// Waits for a nonblocking collective and returns its result array.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @inline(__always)
    public consuming func wait<T: MPIElement>() throws -> [T] where Value == [T] {
        _ = try complete()
        return result.take() ?? []
    }

    /// Waits for a nonblocking collective and returns its one result value.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @inline(__always)
    public consuming func wait() throws -> Value where Value: MPIElement {
        _ = try complete()
        guard case .scalarResult(let cell) = pending.operation.work else { preconditionFailure("a one-value collective has a cell") }
        return cell.load(as: Value.self)   // the owner keeps the cell until the request goes
    }
}

extension Request where Value == Void {
    /// Waits for the operation (a nonblocking barrier, or a collective into
    /// caller buffers) to complete.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @inline(__always)
    public consuming func wait() throws {
        _ = try complete()
    }
}
