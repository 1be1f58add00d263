import CMPI

// Blocking point-to-point communication (MPI 3.1 chapter 3).

extension Communicator {
    /// Sends the elements of `buffer` to `destination` (standard mode: may
    /// return once the data is buffered, or wait for the matching receive).
    ///
    /// The corresponding C function is `MPI_Send`.
    /// - Parameters:
    ///   - buffer: the elements to send, read in place.
    ///   - destination: a rank of this communicator, or `MPI.processNull`.
    ///   - tag: 0 through the job's MPI_TAG_UB.
    @inlinable
    public func send<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) throws {
        try send(buffer, to: destination, tag: tag, synchronously: false)
    }

    /// Sends one value to `destination` (standard mode).
    ///
    /// The corresponding C function is `MPI_Send`.
    @inlinable
    public func send<T: MPIElement>(_ value: T, to destination: Int, tag: Int = 0) throws {
        let destination = try checkedDestination(destination, operation: "MPI_Send")
        let tag = try checkedSendTag(tag, operation: "MPI_Send")
        let datatype = try T.checkedDatatype("MPI_Send")
        try withUnsafePointer(to: value) { pointer in
            try MPIC.send(pointer, 1, datatype, destination, tag, handle)
        }
    }

    /// Sends the elements of `buffer` to `destination` and returns only once
    /// the matching receive has started (synchronous mode).
    ///
    /// The corresponding C function is `MPI_Ssend`.
    @inlinable
    public func synchronousSend<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) throws {
        try send(buffer, to: destination, tag: tag, synchronously: true)
    }

    /// Receives a message into `buffer`, which must be large enough for it.
    ///
    /// A longer message throws ``MPIError`` with class `.truncate`, and
    /// nothing is written past the end of `buffer` (what `buffer` holds then
    /// is undefined, as in MPI).
    ///
    /// The corresponding C function is `MPI_Recv` where the MPI library clips
    /// messages to the buffer; where it does not (``MPI/truncationGuard``),
    /// `MPI_Mprobe` + `MPI_Mrecv` (a matched receive, so that the message's
    /// size is known before any of it is written; see the README on
    /// truncation safety).
    /// - Parameters:
    ///   - buffer: where the elements go, written in place.
    ///   - source: a rank, `MPI.anySource` or `MPI.processNull`.
    ///   - tag: a tag or `MPI.anyTag` (the default).
    /// - Returns: who sent the message, its tag and how many elements arrived.
    @inlinable @inline(__always) @discardableResult
    public func receive<Buffer: ReceiveBuffer>(
        into buffer: inout Buffer, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Status {
        let (source, tag) = try checkedReceiveArguments(source: source, tag: tag, element: Buffer.Element.self,
                                                        operation: "MPI_Recv")
        return try buffer.withUnsafeMutableElements { elements in
            try receiveSafely(from: source, tag: tag, into: elements)
        }
    }

    /// Receives a message into a new array exactly as long as the message.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    /// - Parameters:
    ///   - type: the element type; usually inferred from the result.
    ///   - source: a rank, `MPI.anySource` or `MPI.processNull` (which gives an empty array).
    ///   - tag: a tag or `MPI.anyTag` (the default).
    @inlinable
    public func receive<T: MPIElement>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) throws -> [T] {
        try receiveWithStatus(type, from: source, tag: tag).0
    }

    /// Receives a message into a new array exactly as long as the message, and
    /// returns it with the status.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    @inlinable
    public func receiveWithStatus<T: MPIElement>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) throws -> ([T], Status) {
        let source = try checkedSource(source, operation: "MPI_Recv")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Recv")
        _ = try T.checkedArrayReceiveUnit("MPI_Recv")   // before a message is matched, which must then be received
        var probed = MPI_Status()
        var message = try matchMessage(source: source, tag: tag, status: &probed)
        return try receiveMatchedArray(&message, probed: &probed, as: T.self, operation: "MPI_Mrecv")
    }

    /// Sends `buffer` to `destination` and receives a message from `source`
    /// into a new array sized by that message, without deadlock whatever order
    /// the peers call in.
    ///
    /// The corresponding C function is `MPI_Sendrecv`; it is done as
    /// `MPI_Isend`, a matched receive (`MPI_Mprobe`, `MPI_Mrecv`) and `MPI_Wait`
    /// so that the incoming size need not be known in advance.
    @inlinable
    public func sendReceive<Buffer: SendBuffer, T: MPIElement>(
        _ buffer: Buffer, to destination: Int, sendTag: Int = 0,
        from source: Int, receiveTag: Int = MPI.anyTag, as type: T.Type = T.self
    ) throws -> [T] {
        _ = try T.checkedArrayReceiveUnit("MPI_Sendrecv")
        return try sendReceiving(buffer, to: destination, sendTag: sendTag, from: source, receiveTag: receiveTag) { source, tag in
            var probed = MPI_Status()
            var message = try matchMessage(source: source, tag: tag, status: &probed)
            return try receiveMatchedArray(&message, probed: &probed, as: T.self, operation: "MPI_Mrecv").0
        }
    }

    /// Sends `buffer` to `destination` and receives a message from `source`
    /// into `receiveBuffer`, without deadlock whatever order the peers call in.
    ///
    /// A message longer than `receiveBuffer` throws a truncation error without
    /// writing past the buffer.
    ///
    /// The corresponding C function is `MPI_Sendrecv` (done as `MPI_Isend`, a
    /// matched receive and `MPI_Wait`, for truncation safety).
    @inlinable @discardableResult
    public func sendReceive<Buffer: SendBuffer, Received: ReceiveBuffer>(
        _ buffer: Buffer, to destination: Int, sendTag: Int = 0,
        into receiveBuffer: inout Received, from source: Int, receiveTag: Int = MPI.anyTag
    ) throws -> Status {
        _ = try Received.Element.checkedReceiveDatatype("MPI_Sendrecv")
        return try sendReceiving(buffer, to: destination, sendTag: sendTag, from: source, receiveTag: receiveTag) { source, tag in
            try receiveBuffer.withUnsafeMutableElements { target in
                try receiveSafely(from: source, tag: tag, into: target)
            }
        }
    }

    /// Sends the contents of `buffer` to `destination`, then replaces them with
    /// a message received from `source` (which must fit in `buffer`).
    ///
    /// The corresponding C function is `MPI_Sendrecv_replace`. Like MPI, it
    /// sends from a temporary copy of the buffer, so the send can still be in
    /// flight while the buffer is overwritten.
    @inlinable @discardableResult
    public func sendReceive<Buffer: ReceiveBuffer>(
        replacing buffer: inout Buffer, to destination: Int, sendTag: Int = 0,
        from source: Int, receiveTag: Int = MPI.anyTag
    ) throws -> Status {
        let outgoing: [Buffer.Element] = buffer.withUnsafeElements { Array($0) }
        return try sendReceive(outgoing, to: destination, sendTag: sendTag,
                               into: &buffer, from: source, receiveTag: receiveTag)
    }
}
