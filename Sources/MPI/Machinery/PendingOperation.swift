import CMPI

// The one representation of an operation in flight, shared by Request and
// RequestSet. MPI wants the handles and statuses of a set contiguous, so a
// request is three parts: its handle, its MPI_Status, and this value, which
// holds everything else. A set keeps an array of each, and moving a request
// in or out moves the three parts whole.

/// What a request does, as far as completing it is concerned.
@usableFromInline
internal enum RequestKind: UInt8 {
    /// A send: its status counts nothing (MPI leaves the count undefined), and
    /// a dropped one is waited for, never cancelled.
    case send
    /// A receive: its status counts the data received; a dropped one is
    /// cancelled, then waited for.
    case receive
    /// A nonblocking collective, which MPI_Cancel must not be given.
    case collective
}

/// The memory MPI reads or writes until completion, kept alive and never
/// read back: the typed result, if any, travels beside it.
@usableFromInline
internal enum KeptAlive {
    /// The caller's memory, or none.
    case nothing
    /// An owned buffer (an array is stored inline: this does not allocate).
    case buffer(any SendBuffer)
    /// A collective's buffers, count vectors and custom operation.
    case storage(CollectiveStorage)
}

/// Everything a pending request holds besides its handle and status.
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
    @usableFromInline let elementSize: Int
    /// For a receive: how it was posted safely, undone at completion.
    @usableFromInline var swapped: SwappedReceive?
    /// For a completed receive: the message's size, as its completion found it.
    @usableFromInline var receivedBytes = -1
    @usableFromInline var kept: KeptAlive
    #if DEBUG
    /// What it waits for, reported if it is dropped while pending.
    @usableFromInline let debugOrigin: RequestOrigin
    #endif

    @inlinable
    init(_ kind: RequestKind, elementSize: Int, kept: KeptAlive, origin: RequestOrigin,
         trimsToMessage: Bool = false, swapped: SwappedReceive? = nil) {
        self.kind = kind
        self.elementSize = elementSize
        self.kept = kept
        self.trimsToMessage = trimsToMessage
        self.swapped = swapped
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

    /// Records that MPI completed the request with `code` and `status`: undoes
    /// the safe posting of a receive and throws MPI's error, if any.
    @inlinable
    mutating func complete(code: CInt, status: inout MPI_Status, operation: StaticString) throws {
        isComplete = true
        var code = code
        var bufferBytes: Int?
        if let swapped {
            bufferBytes = swapped.bufferBytes
            code = swapped.finish(code: code, status: &status, checkCancelled: cancelRequested,
                                  receivedBytes: &receivedBytes)
            self.swapped = nil
        }
        if _slowPath(code != cmpi_success()) {
            throw MPIError(receiveCode: code, status: &status, bufferBytes: bufferBytes, operation: operation)
        }
    }

    /// The status of the completed request.
    @inlinable
    func status(_ status: inout MPI_Status) throws -> Status {
        if _fastPath(receivedBytes >= 0 && !cancelRequested) {
            return Status(&status, byteCount: receivedBytes, elementSize: elementSize)
        }
        if kind == .receive || cancelRequested {
            return try Status(&status, elementSize: elementSize, countsData: kind == .receive,
                              checkCancelled: cancelRequested)
        }
        // A send's or collective's status: only source and tag mean anything.
        return Status(&status, byteCount: 0, elementSize: elementSize)
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
        _ = swapped?.finish(code: cmpi_success(), status: &status, checkCancelled: true)
    }
}
