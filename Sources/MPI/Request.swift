import CMPI

/// A nonblocking operation in flight (MPI_Request), completed exactly once.
///
/// A request is non-copyable: ``wait()`` consumes it, so it cannot be waited
/// for twice or used after completion. It owns the buffers MPI reads or writes
/// until then: an array sent by `isend` stays alive and unchanged (the caller's
/// own copy is copied on write), and an array being received into is out of
/// the caller's reach until `wait` hands it back.
///
/// Dropping a request that has not completed cancels it (MPI_Cancel) and
/// waits for it (MPI_Wait), so MPI never writes into memory that was freed.
/// A send that has started cannot be cancelled: dropping one waits, right
/// there, for the matching receive, and hangs if that receive is posted only
/// later. Do not discard a request (`_ = try world.isend(...)`); wait for it.
/// In debug builds a dropped request that cannot complete at once prints
/// what it waits for (operation, peer and tag) to standard error first.
public struct Request<Value>: ~Copyable {
    @usableFromInline internal var handle: RequestHandle
    @usableFromInline internal var completedStatus: MPI_Status
    @usableFromInline internal var isComplete: Bool
    /// The size of one element of the buffer, for the status's count.
    @usableFromInline internal let elementSize: Int
    /// The buffer MPI reads from or writes to, kept alive until completion.
    /// An array is stored inline in the existential, so this does not allocate.
    @usableFromInline internal var buffer: Any?
    /// Whether `wait` shortens the received array to the message's length.
    @usableFromInline internal let trimsToMessage: Bool
    /// For a receive: how it was posted safely, undone at completion.
    @usableFromInline internal let swapped: SwappedReceive?
    /// Whether `cancel()` was called (only then is MPI_Test_cancelled asked).
    @usableFromInline internal var cancelRequested = false
    /// A send, a receive or a collective: whether the status counts received
    /// data (receives) and whether MPI_Cancel applies (not to collectives).
    @usableFromInline internal let kind: RequestKind
    #if DEBUG
    /// What it waits for, reported if it is dropped while pending.
    @usableFromInline internal let origin: RequestOrigin
    #endif

    @inlinable
    internal init(handle: RequestHandle, elementSize: Int, buffer: Any?, origin: RequestOrigin,
                  kind: RequestKind, trimsToMessage: Bool = false, swapped: SwappedReceive? = nil) {
        #if DEBUG
        self.origin = origin
        #endif
        self.kind = kind
        self.trimsToMessage = trimsToMessage
        self.swapped = swapped
        self.handle = handle
        self.completedStatus = MPI_Status()
        self.isComplete = false
        self.elementSize = elementSize
        self.buffer = buffer
    }

    /// Whether the operation has completed, without waiting. Once it returns
    /// `true`, ``wait()`` returns at once.
    ///
    /// The corresponding C function is `MPI_Test`.
    @inlinable
    public mutating func test() throws -> Bool {
        if isComplete { return true }
        guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Test") }
        var flag: CInt = 0
        let code = MPI_Test(&handle, &flag, &completedStatus)
        guard flag != 0 || code != cmpi_success() else { return false }
        isComplete = true
        try finishCompleted(code: code, operation: "MPI_Test")
        return true
    }

    /// Asks MPI to cancel the operation; ``wait()`` then completes it and its
    /// status says whether the cancellation succeeded.
    ///
    /// The corresponding C function is `MPI_Cancel`.
    @inlinable
    public mutating func cancel() throws {
        guard !isComplete else { return }
        cancelRequested = true
        try mpiCall("MPI_Cancel", MPI_Cancel(&handle))
    }

    /// Waits for completion and returns the status (MPI_Wait).
    @inlinable
    internal mutating func complete() throws -> Status {
        if !isComplete {
            guard MPIEnvironmentState.isActive else { throw MPIError.inactiveEnvironment("MPI_Wait") }
            isComplete = true
            let code = MPI_Wait(&handle, &completedStatus)
            try finishCompleted(code: code, operation: "MPI_Wait")
        }
        return try Status(&completedStatus, elementSize: elementSize, countsData: kind == .receive,
                          checkCancelled: cancelRequested)
    }

    /// Undoes the safe posting of a receive and throws MPI's error, if any.
    @inlinable
    internal mutating func finishCompleted(code: CInt, operation: StaticString) throws {
        var code = code
        if let swapped { code = swapped.finish(code: code, status: &completedStatus, checkCancelled: cancelRequested) }
        if _slowPath(code != cmpi_success()) {
            throw MPIError(receiveCode: code, status: &completedStatus, bufferBytes: swapped?.bufferBytes,
                           operation: operation)
        }
    }

    /// What it waits for, where that is kept (debug builds).
    @inlinable
    internal var knownOrigin: RequestOrigin? {
        #if DEBUG
        return origin
        #else
        return nil
        #endif
    }

    deinit {
        guard !isComplete, handle != cmpi_request_null() else { return }
        var handle = self.handle
        var status = MPI_Status()
        completeDroppedRequest(&handle, &status, kind: kind, origin: knownOrigin)
        _ = swapped?.finish(code: cmpi_success(), status: &status, checkCancelled: true)
    }
}

/// What a request does, as far as completing it is concerned.
@usableFromInline
internal enum RequestKind: UInt8 {
    /// A send: its status counts nothing (MPI leaves the count undefined).
    case send
    /// A receive: its status counts the data received.
    case receive
    /// A nonblocking collective, which MPI_Cancel must not be given.
    case collective
}

extension Request where Value == Status {
    /// Waits for the operation to complete and returns its status.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable @discardableResult
    public consuming func wait() throws -> Status {
        try complete()
    }
}

extension Request {
    /// Waits for a receive to complete and returns the received array (now the
    /// caller's) with the status. An array made by `ireceive(_:count:from:tag:)`
    /// is as long as the message; one passed in keeps its length.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable
    public consuming func wait<T: MPIElement>() throws -> ([T], Status) where Value == ([T], Status) {
        let status = try complete()
        var elements = buffer as! [T]
        buffer = nil
        if trimsToMessage, let count = status.count, count < elements.count {
            elements.removeLast(elements.count - count)
        }
        return (elements, status)
    }
}

extension Request {
    /// Waits for a nonblocking collective and returns its result array.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable
    public consuming func wait<T: MPIElement>() throws -> [T] where Value == [T] {
        _ = try complete()
        let storage = buffer as! CollectiveStorage<T>
        buffer = nil
        return storage.resultIsEmpty ? [] : storage.receive
    }

    /// Waits for a nonblocking collective and returns its one result value.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable
    public consuming func wait() throws -> Value where Value: MPIElement {
        _ = try complete()
        let storage = buffer as! CollectiveStorage<Value>
        buffer = nil
        return storage.receive[0]
    }
}

extension Request where Value == Void {
    /// Waits for the operation (a nonblocking barrier) to complete.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @inlinable
    public consuming func wait() throws {
        _ = try complete()
    }
}
