import CMPI

// Nonblocking point-to-point communication (MPI 3.1 section 3.7).

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
    @inlinable
    public func isend<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) throws -> Request<Status> {
        let origin = RequestOrigin("MPI_Isend", peer: destination, tag: tag)
        let destination = try checkedDestination(destination, operation: "MPI_Isend")
        let tag = try checkedSendTag(tag, operation: "MPI_Isend")
        let datatype = try Buffer.Element.checkedDatatype("MPI_Isend")
        // The pointer stays valid after the closure: the request retains the
        // same storage and nothing mutates it while the request is pending.
        let (base, count) = buffer.withUnsafeElements { ($0.baseAddress, $0.count) }
        var request = cmpi_request_null()
        try withLargeCount(count, of: datatype, operation: "MPI_Isend") { count, type in
            try mpiCall("MPI_Isend", MPI_Isend(base, count, type, destination, tag, handle, &request))
        }
        return Request(handle: request, elementSize: MemoryLayout<Buffer.Element>.stride, buffer: buffer, origin: origin,
                       kind: .send)
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
        let elements = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
            initialized = count
        }
        return try ireceive(into: elements, from: source, tag: tag, trimsToMessage: true)
    }

    /// Starts receiving a message from `source` into `buffer`, which the
    /// request owns until `wait` hands it back.
    ///
    /// The corresponding C function is `MPI_Irecv`.
    @inlinable
    public func ireceive<T: MPIElement>(
        into buffer: consuming [T], from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<([T], Status)> {
        try ireceive(into: buffer, from: source, tag: tag, trimsToMessage: false)
    }

    @inlinable
    internal func ireceive<T: MPIElement>(
        into buffer: consuming [T], from source: Int, tag: Int, trimsToMessage: Bool
    ) throws -> Request<([T], Status)> {
        let origin = RequestOrigin("MPI_Irecv", peer: source, tag: tag)
        let source = try checkedSource(source, operation: "MPI_Irecv")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Irecv")
        _ = try T.checkedReceiveDatatype("MPI_Irecv")   // posted as bytes: the layout must hold
        var elements = buffer
        // Makes the storage unique (copying it if the caller still shares it),
        // so that MPI's writes are never seen through another array.
        let (base, count) = elements.withUnsafeMutableBufferPointer { ($0.baseAddress, $0.count) }
        let (request, swapped) = try SwappedReceive.post(
            into: UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<T>.stride,
            source: source, tag: tag, communicator: handle)
        return Request(handle: request, elementSize: MemoryLayout<T>.stride, buffer: elements,
                       origin: origin, kind: .receive, trimsToMessage: trimsToMessage, swapped: swapped)
    }

    /// Starts receiving a message from `source` into memory the caller owns.
    ///
    /// The corresponding C function is `MPI_Irecv`.
    /// - Parameter buffer: must stay valid, and must not be read or written,
    ///   until the request completes.
    @inlinable
    public func ireceive<T: MPIElement>(
        into buffer: UnsafeMutableBufferPointer<T>, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<Status> {
        let origin = RequestOrigin("MPI_Irecv", peer: source, tag: tag)
        let source = try checkedSource(source, operation: "MPI_Irecv")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Irecv")
        _ = try T.checkedReceiveDatatype("MPI_Irecv")   // posted as bytes: the layout must hold
        let (request, swapped) = try SwappedReceive.post(
            into: UnsafeMutableRawPointer(buffer.baseAddress), bytes: buffer.count * MemoryLayout<T>.stride,
            source: source, tag: tag, communicator: handle)
        return Request(handle: request, elementSize: MemoryLayout<T>.stride, buffer: nil, origin: origin,
                       kind: .receive, swapped: swapped)
    }
}
