import CMPI

// The one representation of an operation in flight, shared by Request and
// RequestSet. A request is three parts: its MPI handle; this value, plain
// data that moves and goes without the runtime's help (the object keeping
// MPI's memory alive is held unmanaged: retained when the request is made,
// released when it goes); and the typed result-to-be. MPI wants the handles
// of a set contiguous, so a set keeps an array of each part.

/// What a request does, as far as completing it is concerned.
@usableFromInline
internal enum RequestKind: UInt8 {
    /// A send: its status counts nothing (MPI leaves its fields undefined), and
    /// a dropped one is waited for, never cancelled.
    case send
    /// A receive: its status counts the data received; a dropped one is
    /// cancelled, then waited for.
    case receive
    /// A nonblocking collective or a one-sided request (MPI_Rput, ...), which
    /// MPI_Cancel must not be given.
    case collective
}

/// What completing a request must do, and then what it found (one value:
/// the request only ever needs one of them at a time).
@usableFromInline
internal enum CompletionWork {
    /// Nothing: a send or a collective.
    case none
    /// Undo the safe posting of a receive (see SwappedReceive).
    case swappedReceive(SwappedReceive)
    /// Count a receive posted straight to MPI (see DirectReceive).
    case directReceive(DirectReceive)
    /// A collective whose one-value result MPI writes here (memory the
    /// request's owner keeps), read by `wait`.
    case scalarResult(UnsafeMutableRawPointer)
    /// Completed with this status (a receive's, or a cancelled request's).
    case completed(Status)
}

/// Everything a pending request holds besides its handle and result.
@usableFromInline
internal struct PendingOperation {
    /// Whether MPI has completed it (or it was moved into a set, which then owns it).
    @usableFromInline var isComplete = false
    /// Whether `cancel()` was called (only then is MPI_Test_cancelled asked).
    @usableFromInline var cancelRequested = false
    /// In a set: whether the request was taken back out.
    @usableFromInline var isTaken = false
    /// Whether `wait` shortens the received array to the message's length.
    @usableFromInline let trimsToMessage: Bool
    @usableFromInline let kind: RequestKind
    /// The size of one element of the buffer, for the status's count.
    @usableFromInline let elementStride: Int32
    @usableFromInline var work: CompletionWork
    /// What keeps the memory MPI reads or writes alive when the result does
    /// not (a sent array's storage, a collective's storage), retained.
    @usableFromInline var owner: Unmanaged<AnyObject>?
    #if DEBUG
    /// What it waits for, reported if it is dropped while pending.
    @usableFromInline let debugOrigin: RequestOrigin
    #endif

    @inlinable @inline(__always)
    init(_ kind: RequestKind, elementSize: Int, origin: RequestOrigin, trimsToMessage: Bool = false,
         work: CompletionWork = .none, owner: AnyObject? = nil) {
        self.kind = kind
        self.owner = owner.map { Unmanaged.passRetained($0) }
        self.elementStride = Int32(truncatingIfNeeded: elementSize)
        self.trimsToMessage = trimsToMessage
        self.work = work
        #if DEBUG
        self.debugOrigin = origin
        #endif
    }

    /// What it waits for, where that is kept (debug builds).
    @inlinable
    var origin: RequestOrigin? {
        #if DEBUG
        return debugOrigin
        #else
        return nil
        #endif
    }

    /// The status of the completed request: MPI's empty status for a send or
    /// a collective that was not cancelled.
    @inlinable
    var status: Status {
        if case .completed(let status) = work { return status }
        return .empty
    }

    /// Whether MPI must fill a status for the completion: a send's and a
    /// collective's mean nothing unless asked whether they were cancelled.
    @inlinable @inline(__always)
    var needsStatus: Bool { kind == .receive || cancelRequested }

    /// Records that MPI completed the request with `code` and `status` (filled
    /// only if `needsStatus`): undoes the safe posting of a receive, keeps the
    /// status and returns it, or throws MPI's error.
    @inlinable @inline(__always) @discardableResult
    mutating func complete(code: CInt, status: inout MPI_Status, operation: StaticString) throws -> Status {
        isComplete = true
        if case .swappedReceive(let swapped) = work {
            work = .none
            return try completeReceive(swapped, code: code, status: &status, operation: operation)
        } else if case .directReceive(let direct) = work {
            work = .none
            return try completeReceive(direct, code: code, status: &status, operation: operation)
        } else if _slowPath(code != cmpi_success() || cancelRequested) {
            try completeUnusually(code: code, status: &status, operation: operation)
            return self.status
        }
        return .empty
    }

    @inlinable @inline(__always)
    mutating func completeReceive(_ swapped: SwappedReceive, code: CInt, status: inout MPI_Status,
                                  operation: StaticString) throws -> Status {
        var receivedBytes = 0
        let code = swapped.finish(code: code, status: &status, checkCancelled: cancelRequested,
                                  receivedBytes: &receivedBytes)
        if _slowPath(code != cmpi_success() || cancelRequested) {
            try completeUnusually(code: code, status: &status, operation: operation, bufferBytes: swapped.bufferBytes,
                                  receivedBytes: receivedBytes)
            return self.status
        }
        let completed = Status(&status, byteCount: receivedBytes, elementSize: Int(elementStride))
        work = .completed(completed)
        return completed
    }

    @inlinable @inline(__always)
    mutating func completeReceive(_ direct: DirectReceive, code: CInt, status: inout MPI_Status,
                                  operation: StaticString) throws -> Status {
        if _slowPath(direct.fromNullProcess) { MPIC.markFromNullProcess(&status) }
        if _slowPath(code != cmpi_success() || cancelRequested) {
            try completeUnusually(direct, code: code, status: &status, operation: operation)
            return self.status
        }
        let completed = Status(&status, byteCount: try messageBytes(&status), elementSize: Int(elementStride))
        work = .completed(completed)
        return completed
    }

    /// A direct receive's failed or cancelled completion.
    @usableFromInline
    mutating func completeUnusually(_ direct: DirectReceive, code: CInt, status: inout MPI_Status,
                                    operation: StaticString) throws {
        try completeUnusually(code: code, status: &status, operation: operation, bufferBytes: direct.bufferBytes,
                              receivedBytes: (try? messageBytes(&status)) ?? 0, overrunPossible: direct.isUnchecked)
    }

    /// A failed or cancelled completion.
    @usableFromInline
    mutating func completeUnusually(code: CInt, status: inout MPI_Status, operation: StaticString,
                                    bufferBytes: Int? = nil, receivedBytes: Int = 0,
                                    overrunPossible: Bool = false) throws {
        if code != cmpi_success() {
            throw MPIError(receiveCode: code, status: &status, bufferBytes: bufferBytes, operation: operation,
                           overrunPossible: overrunPossible)
        }
        guard kind != .collective else { return }   // MPI cancels no collective; a scalar's cell stays
        var cancelled: CInt = 0
        try MPIC.testCancelled(&status, &cancelled)
        work = .completed(Status(mpiSource: cmpi_status_source(&status), mpiTag: cmpi_status_tag(&status),
                                 byteCount: cancelled != 0 ? 0 : receivedBytes, elementSize: Int(elementStride),
                                 isCancelled: cancelled != 0))
    }

    /// Completes the request after its owner dropped it pending: MPI must
    /// never touch the memory that goes with it.
    /// (Not mutating, for deinitializers: the caller forgets the request after.)
    @inlinable @inline(__always)
    func completeDropped(_ handle: RequestHandle) {
        guard _slowPath(!isComplete) else { return }
        completePendingDropped(handle)
    }

    @usableFromInline
    func completePendingDropped(_ handle: RequestHandle) {
        guard handle != cmpi_request_null() else { return }
        var handle = handle
        var status = MPI_Status()
        completeDroppedRequest(&handle, &status, kind: kind, origin: origin)
        if case .swappedReceive(let swapped) = work {
            _ = swapped.finish(code: cmpi_success(), status: &status, checkCancelled: true)
        }
    }
}

/// A request's handle and operation, and what completes it when it is
/// dropped pending (the deinitializer of `Request` itself).
///
/// Not generic, and therefore a type apart from `Request<Value>`: Swift 6.3
/// does not run the deinitializer of a non-copyable generic struct that is
/// specialized (in another module, in debug builds) to one whose stored
/// properties are all trivial, as `Request<Status>`'s would be, and a dropped
/// request would then be neither completed nor released.
@usableFromInline @frozen
internal struct PendingRequest: ~Copyable {
    @usableFromInline var handle: RequestHandle
    @usableFromInline var operation: PendingOperation

    @inlinable @inline(__always)
    init(handle: RequestHandle, operation: PendingOperation) {
        self.handle = handle
        self.operation = operation
    }

    @inlinable
    deinit {
        operation.completeDropped(handle)
        operation.owner?.release()
    }

    /// Ends a request that has completed (or was moved into a set, which
    /// then owns its owner): releases the owner if `releasingOwner`, and skips
    /// the deinitializer, which would only find the request complete.
    @inlinable @inline(__always)
    consuming func end(releasingOwner: Bool = true) {
        if releasingOwner { operation.owner?.release() }
        discard self
    }
}

extension Status {
    /// The status of a completed send or collective: MPI's empty status
    /// (MPI_ANY_SOURCE, MPI_ANY_TAG, no data).
    @inlinable
    static var empty: Status {
        @inline(__always) get {
            Status(mpiSource: cmpi_any_source(), mpiTag: cmpi_any_tag(), byteCount: 0, elementSize: 1)
        }
    }
}
