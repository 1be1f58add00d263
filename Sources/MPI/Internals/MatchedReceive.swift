import CMPI

// Truncation safety.
//
// Open MPI 4.1 reports MPI_ERR_TRUNCATE for a message longer than the receive
// buffer but still copies all of it, past the buffer's end, for messages of
// 4 KiB and up over shared memory and 64 KiB and up over TCP. So a receive
// into a caller's buffer never lets MPI choose the length: it first matches the
// message with MPI_Mprobe, which tells its size without receiving it, and only
// then receives it with MPI_Mrecv into a buffer known to be large enough.
// Matched probes take the message off the queue, so a receive by another
// thread cannot steal it in between (unlike MPI_Probe + MPI_Recv).

extension Communicator {
    /// Receives the message `message` (already matched) into `buffer`, or throws
    /// a truncation error without writing past the buffer.
    @inlinable
    internal func receiveMatched(
        _ message: inout MessageHandle, probed status: inout MPI_Status,
        into buffer: UnsafeMutableRawPointer?, capacity: Int, datatype: DatatypeHandle, elementSize: Int,
        operation: StaticString
    ) throws -> Status {
        var bytes: CInt = 0
        try mpiCall("MPI_Get_count", MPI_Get_count(&status, cmpi_byte(), &bytes))
        if _slowPath(Int(bytes) > capacity * elementSize) {
            try discardTruncated(&message, bytes: Int(bytes), into: buffer, capacity: capacity, elementSize: elementSize,
                                 status: &status, operation: operation)
        }
        // The probe told the size: MPI_Mrecv receives exactly that message.
        try mpiCall(operation, MPI_Mrecv(buffer, CInt(truncatingIfNeeded: capacity), datatype, &message, cmpi_status_ignore()))
        return Status(&status, byteCount: Int(bytes), elementSize: elementSize)
    }

    /// Receives a matched message that does not fit, into scratch memory; copies
    /// the part that fits into `buffer` (as MPI would) and throws MPI_ERR_TRUNCATE.
    @usableFromInline
    internal func discardTruncated(
        _ message: inout MessageHandle, bytes: Int, into buffer: UnsafeMutableRawPointer?,
        capacity: Int, elementSize: Int, status: inout MPI_Status, operation: StaticString
    ) throws -> Never {
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 16)
        defer { scratch.deallocate() }
        try mpiCall(operation, MPI_Mrecv(scratch, CInt(truncatingIfNeeded: bytes), cmpi_byte(), &message, cmpi_status_ignore()))
        if let buffer, capacity > 0 {
            buffer.copyMemory(from: scratch, byteCount: capacity * elementSize)
        }
        throw MPIError(
            errorClass: .truncate,
            message: "message truncated: \(bytes) bytes from rank \(cmpi_status_source(&status)) "
                + "with tag \(cmpi_status_tag(&status)) do not fit the receive buffer of \(capacity) elements "
                + "(\(capacity * elementSize) bytes); nothing was written past the buffer",
            operation: "\(operation)", argument: "buffer")
    }

    /// Receives the matched `message` into `elements` (see above).
    @inlinable
    internal func receiveMatched<Element: MPIElement>(
        _ message: inout MessageHandle, probed status: inout MPI_Status, into elements: UnsafeMutableBufferPointer<Element>
    ) throws -> Status {
        try receiveMatched(
            &message, probed: &status, into: UnsafeMutableRawPointer(elements.baseAddress),
            capacity: elements.count, datatype: Element.mpiDatatype.handle,
            elementSize: MemoryLayout<Element>.stride, operation: "MPI_Mrecv")
    }

    /// Matches the next message from `source` with `tag` and receives it into
    /// `elements`: the blocking receive into a caller's buffer.
    @inlinable
    internal func matchAndReceive<Element: MPIElement>(
        from source: CInt, tag: CInt, into elements: UnsafeMutableBufferPointer<Element>
    ) throws -> Status {
        var probed = MPI_Status()
        var message = try matchMessage(source: source, tag: tag, status: &probed)
        return try receiveMatched(&message, probed: &probed, into: elements)
    }

    /// Matches the next message from `source` with `tag` (blocking).
    @inlinable
    internal func matchMessage(source: CInt, tag: CInt, status: inout MPI_Status) throws -> MessageHandle {
        var message = cmpi_message_null()
        try mpiCall("MPI_Mprobe", MPI_Mprobe(source, tag, handle, &message, &status))
        return message
    }

    /// Receives a matched message into a new array sized by the message.
    @inlinable
    internal func receiveMatchedArray<T: MPIElement>(
        _ message: inout MessageHandle, probed status: inout MPI_Status, as type: T.Type, operation: StaticString
    ) throws -> ([T], Status) {
        var bytes: CInt = 0
        try mpiCall("MPI_Get_count", MPI_Get_count(&status, cmpi_byte(), &bytes))
        let stride = MemoryLayout<T>.stride
        let count = Int(bytes) / stride
        if _slowPath(Int(bytes) % stride != 0) {
            try discardTruncated(&message, bytes: Int(bytes), into: nil, capacity: 0, elementSize: stride,
                                 status: &status, operation: operation)
        }
        let elements = try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try mpiCall(operation, MPI_Mrecv(buffer.baseAddress, CInt(truncatingIfNeeded: count), T.mpiDatatype.handle,
                                             &message, cmpi_status_ignore()))
            initialized = count
        }
        return (elements, Status(&status, byteCount: Int(bytes), elementSize: stride))
    }
}
