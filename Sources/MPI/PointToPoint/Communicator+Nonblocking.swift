import CMPI

// Nonblocking point-to-point communication (MPI 3.1 section 3.7). Buffers
// are those of the blocking forms: arrays (and their slices) are owned by
// the request until it completes; unsafe buffer pointers are borrowed.

extension Communicator {
    /// Starts sending the elements of `buffer` to `destination` and returns at
    /// once. The request keeps the buffer alive and unchanged until it completes.
    ///
    /// Keep the request and `wait()` for it (or add it to a ``RequestSet``). Do
    /// not discard it: `_ = try world.isend(data, to: 1)` drops the request at
    /// once, and a dropped send that has started cannot be cancelled, so the
    /// drop waits right there until the matching receive is posted; if the
    /// receiver posts it only after its own sends, both wait forever. Debug
    /// builds print what such a drop waits for to standard error.
    ///
    /// The corresponding C function is `MPI_Isend`.
    /// - Parameters:
    ///   - buffer: the elements to send. An array is kept by the request (the
    ///     caller's later changes copy on write); an unsafe buffer pointer must
    ///     stay valid and unchanged until the request completes.
    ///   - destination: a rank of this communicator, or `MPI.processNull`.
    ///   - tag: 0 through the job's MPI_TAG_UB.
    @inlinable @inline(__always)
    public func isend<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) throws -> Request<Status> {
        try startSend(buffer, to: destination, tag: tag)
    }

    /// Starts receiving up to `count` elements from `source` into a new array
    /// that `wait` returns, as long as the message.
    ///
    /// A longer message makes `wait` throw a truncation error, and nothing is
    /// written past the buffer: every nonblocking receive is posted with a
    /// datatype that makes MPI unpack within the buffer (see the README).
    ///
    /// The corresponding C function is `MPI_Irecv`.
    /// - Parameters:
    ///   - type: the element type.
    ///   - count: the most elements the message may have.
    ///   - source: a rank, `MPI.anySource` or `MPI.processNull`.
    ///   - tag: a tag or `MPI.anyTag` (the default).
    @inlinable
    public func ireceive<T: MPIElement>(
        _ type: T.Type, count: Int, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<([T], Status)> {
        _ = try checkedElementCount(count, operation: "MPI_Irecv")
        return try startReceive(into: zeroedArray(T.self, count: count), from: source, tag: tag, trimsToMessage: true)
    }

    /// Starts receiving a message from `source` into `buffer` (an array, a
    /// contiguous array or a slice), which the request owns until `wait`
    /// hands it back, as long as it was.
    ///
    /// The corresponding C function is `MPI_Irecv`.
    @inlinable @inline(__always)
    public func ireceive<Buffer: ReceiveBuffer>(
        into buffer: consuming Buffer, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<(Buffer, Status)> {
        try startReceive(into: buffer, from: source, tag: tag, trimsToMessage: false)
    }

    /// Starts receiving a message from `source` into memory the caller owns.
    ///
    /// The corresponding C function is `MPI_Irecv`.
    /// - Parameter buffer: must stay valid, and must not be read or written,
    ///   until the request completes.
    @inlinable @inline(__always)
    public func ireceive<T: MPIElement>(
        into buffer: UnsafeMutableBufferPointer<T>, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<Status> {
        try startReceive(into: UnsafeMutableRawBufferPointer(buffer), element: T.self, from: source, tag: tag)
    }
}
