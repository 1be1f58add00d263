import CMPI

// Receives without the truncation guard, for code that knows its message
// sizes: they cost what C's MPI_Recv and MPI_Irecv cost.

extension Communicator {
    /// Receives a message into `buffer`, which the caller promises is large
    /// enough for it: no truncation guard, whatever ``MPI/truncationGuard`` says.
    ///
    /// If the promise is broken, MPI reports the truncation and this throws
    /// ``MPIError`` with class `.truncate`; but an MPI library that copies whole
    /// messages (Open MPI 4.1's shared-memory and TCP transports, see
    /// ``TruncationGuard``) has by then written up to the message's length
    /// past the end of `buffer`, into memory that belongs to something else.
    /// That is undefined behavior, as with any unsafe pointer written out of
    /// bounds. Use ``receive(into:from:tag:)`` unless the sizes are known.
    ///
    /// The corresponding C function is `MPI_Recv` (of the buffer's bytes).
    @inlinable @inline(__always) @discardableResult
    public func unsafeReceive<Buffer: ReceiveBuffer>(
        into buffer: inout Buffer, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Status {
        let (source, tag) = try checkedReceiveArguments(source: source, tag: tag, element: Buffer.Element.self,
                                                        operation: "MPI_Recv")
        return try buffer.withUnsafeMutableElements { elements in
            // A type with padding is received by its datatype, through a matched receive.
            if _slowPath(try Buffer.Element.hasPadding("MPI_Recv")) {
                return try receiveSafely(from: source, tag: tag, into: elements)
            }
            return try receiveDirectly(from: source, tag: tag, into: UnsafeMutableRawBufferPointer(elements),
                                       elementSize: MemoryLayout<Buffer.Element>.stride, isUnchecked: true)
        }
    }

    /// Starts receiving a message into memory the caller owns and promises is
    /// large enough for it: no truncation guard. A broken promise is undefined
    /// behavior, as for ``unsafeReceive(into:from:tag:)``.
    ///
    /// The corresponding C function is `MPI_Irecv` (of the buffer's bytes).
    /// - Parameter buffer: must stay valid, and must not be read or written,
    ///   until the request completes.
    @inlinable @inline(__always)
    public func unsafeIreceive<T: MPIElement>(
        into buffer: UnsafeMutableBufferPointer<T>, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<Status> {
        try startReceive(into: UnsafeMutableRawBufferPointer(buffer), element: T.self, from: source, tag: tag,
                         isUnchecked: true)
    }

    /// Starts receiving a message into `buffer` (an array, a contiguous array
    /// or a slice), which the request owns until `wait` hands it back, and
    /// which the caller promises is large enough: no truncation guard. A
    /// broken promise is undefined behavior, as for ``unsafeReceive(into:from:tag:)``.
    ///
    /// The corresponding C function is `MPI_Irecv` (of the buffer's bytes).
    @inlinable @inline(__always)
    public func unsafeIreceive<Buffer: ReceiveBuffer>(
        into buffer: consuming Buffer, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<(Buffer, Status)> {
        try startReceive(into: buffer, from: source, tag: tag, trimsToMessage: false, isUnchecked: true)
    }
}
