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
    @inlinable @inline(__always)
    internal func receiveMatched(
        _ message: inout MessageHandle, probed status: inout MPI_Status,
        into buffer: UnsafeMutableRawPointer?, capacity: Int, datatype: DatatypeHandle, elementSize: Int,
        operation: StaticString
    ) throws -> Status {
        let bytes = try messageBytes(&status)
        // The buffer exists, so its size in bytes cannot overflow.
        if _slowPath(bytes > capacity &* elementSize) {
            try discardTruncated(&message, bytes: bytes, into: buffer, capacity: capacity, elementSize: elementSize,
                                 status: &status, operation: operation)
        }
        // The probe told the size: MPI_Mrecv receives exactly that message.
        if _fastPath(bytes % elementSize == 0) {
            try withLargeCount(capacity, of: datatype, operation: operation) { count, datatype in
                try MPIC.mrecv(buffer, count, datatype, &message, cmpi_status_ignore(), reportingAs: operation)
            }
        } else {
            // Not a whole number of elements (the sender used another type):
            // received as bytes, since MPICH 4.0 aborts the process unpacking
            // a partial element; the status's count is then nil.
            try withLargeCount(bytes, of: cmpi_byte(), operation: operation) { count, datatype in
                try MPIC.mrecv(buffer, count, datatype, &message, cmpi_status_ignore(), reportingAs: operation)
            }
        }
        return Status(&status, byteCount: bytes, elementSize: elementSize)
    }

    /// Receives a matched message that does not fit: the part that fits goes
    /// into `buffer` (as MPI would put it), the rest is discarded; then throws
    /// MPI_ERR_TRUNCATE.
    @usableFromInline
    internal func discardTruncated(
        _ message: inout MessageHandle, bytes: Int, into buffer: UnsafeMutableRawPointer?,
        capacity: Int, elementSize: Int, status: inout MPI_Status, operation: StaticString
    ) throws -> Never {
        try receiveDiscarding(&message, bytes: bytes, keeping: buffer.map { ($0, capacity * elementSize) },
                              operation: operation)
        throw MPIError(
            errorClass: .truncate,
            message: "message truncated: \(bytes) bytes from rank \(cmpi_status_source(&status)) "
                + "with tag \(cmpi_status_tag(&status)) do not fit the receive buffer of \(capacity) elements "
                + "(\(capacity * elementSize) bytes); nothing was written past the buffer",
            operation: "\(operation)", argument: "buffer")
    }

    /// Receives the matched `message` into `elements` (see above). A message
    /// counts `unit` bytes per element: the stride, or less for a type with padding.
    @inlinable @inline(__always)
    internal func receiveMatched<Element: MPIElement>(
        _ message: inout MessageHandle, probed status: inout MPI_Status, into elements: UnsafeMutableBufferPointer<Element>
    ) throws -> Status {
        try receiveMatched(
            &message, probed: &status, into: UnsafeMutableRawPointer(elements.baseAddress),
            capacity: elements.count, datatype: Element.mpiDatatype.handle,
            elementSize: Element.checkedArrayReceiveUnit("MPI_Mrecv"), operation: "MPI_Mrecv")
    }

    /// The blocking receive into a caller's buffer, guarded as
    /// `MPI.truncationGuard` says: straight to MPI where no guard is needed,
    /// else by matching the message first. (The byte-swapping type of the
    /// nonblocking receives costs more here: counted with callgrind on Open
    /// MPI 4.1 at 8 bytes, MPI_Recv through it + MPI_Get_count is 1,042
    /// instructions, the matched probe 1,022, and from about 1 KiB the
    /// swapped type's unpacking costs twice the probe's overhead.)
    @inlinable @inline(__always)
    internal func receiveSafely<Element: MPIElement>(
        from source: CInt, tag: CInt, into elements: UnsafeMutableBufferPointer<Element>
    ) throws -> Status {
        let stride = MemoryLayout<Element>.stride
        // A type with padding is received by its datatype, which only a matched receive posts here.
        let padded = try Element.hasPadding("MPI_Recv")
        guard MPIEnvironmentState.receivesAreGuarded || _slowPath(padded) else {
            return try receiveDirectly(from: source, tag: tag, into: UnsafeMutableRawBufferPointer(elements),
                                       elementSize: stride, isUnchecked: false)
        }
        var probed = MPI_Status()
        var message = try matchMessage(source: source, tag: tag, status: &probed)
        return try receiveMatched(&message, probed: &probed, into: elements)
    }

    /// Matches the next message from `source` with `tag` (blocking).
    @inlinable @inline(__always)
    internal func matchMessage(source: CInt, tag: CInt, status: inout MPI_Status) throws -> MessageHandle {
        var message = cmpi_message_null()
        try MPIC.mprobe(source, tag, handle, &message, &status)
        return message
    }

    /// Receives a matched message into a new array sized by the message, once
    /// the size is known to be a whole number of elements within
    /// `MPI.receiveSizeLimit`.
    @inlinable
    internal func receiveMatchedArray<T: MPIElement>(
        _ message: inout MessageHandle, probed status: inout MPI_Status, as type: T.Type, operation: StaticString
    ) throws -> ([T], Status) {
        let bytes = try messageBytes(&status)
        // MPI unpacks the message by the datatype: `unit` bytes of it per element (less than the stride
        // for a struct with padding).
        let unit = try T.checkedArrayReceiveUnit(operation)
        let count = bytes / unit
        if _slowPath(bytes % unit != 0) {
            try discardTruncated(&message, bytes: bytes, into: nil, capacity: 0, elementSize: unit,
                                 status: &status, operation: operation)
        }
        if _slowPath(bytes > MPI.receiveSizeLimit) {
            try refuseOversized(&message, bytes: bytes, status: &status, operation: operation)
        }
        let elements = try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try withLargeCount(count, of: T.mpiDatatype.handle, operation: operation) { count, datatype in
                try MPIC.mrecv(buffer.baseAddress, count, datatype, &message, cmpi_status_ignore(), reportingAs: operation)
            }
            initialized = count
        }
        return (elements, Status(&status, byteCount: bytes, elementSize: unit))
    }

    /// Receives and discards a matched message larger than `MPI.receiveSizeLimit`
    /// (so that its sender is not left waiting), and throws.
    @usableFromInline
    internal func refuseOversized(
        _ message: inout MessageHandle, bytes: Int, status: inout MPI_Status, operation: StaticString
    ) throws -> Never {
        try receiveDiscarding(&message, bytes: bytes, keeping: nil, operation: operation)
        throw MPIError(
            errorClass: .noMemory,
            message: "refused a message of \(bytes) bytes from rank \(cmpi_status_source(&status)) with tag "
                + "\(cmpi_status_tag(&status)): larger than MPI.receiveSizeLimit (\(MPI.receiveSizeLimit) bytes). "
                + "The message was received and discarded without allocating memory for it; raise "
                + "MPI.receiveSizeLimit, or receive into a buffer of your own",
            operation: "\(operation)", argument: "MPI.receiveSizeLimit")
    }
}

// Discarding a message without allocating its size.
//
// A message that is refused, truncated or dropped must still be received, or
// its sender may wait forever. It is received through a type whose blocks all
// start at one 64 KiB scratch block (a zero-extent chunk repeated, then single
// bytes), so MPI unpacks the whole message over the same memory; MPI calls a
// receive type with overlapping blocks erroneous only because the result in
// those bytes is undefined, and they are thrown away. The bytes to keep, if
// any, go to the caller's buffer through the type's first block.

/// Receives the matched `message` of `bytes` bytes, keeping its first bytes in
/// `keeping` (a buffer and how many bytes of it to fill) and discarding the rest.
@usableFromInline
internal func receiveDiscarding(
    _ message: inout MessageHandle, bytes: Int, keeping: (buffer: UnsafeMutableRawPointer, bytes: Int)?,
    operation: StaticString
) throws {
    let scratchBytes = 1 << 16
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchBytes, alignment: 16)
    defer { scratch.deallocate() }
    let kept = min(keeping?.bytes ?? 0, bytes)
    let discarded = bytes - kept
    var chunk = cmpi_datatype_null()
    var zeroExtentChunk = cmpi_datatype_null()
    var prefix = cmpi_datatype_null()
    var type = cmpi_datatype_null()
    defer {
        for var owned in [chunk, zeroExtentChunk, prefix, type] where owned != cmpi_datatype_null() {
            MPIC.releasing { try MPIC.typeFree(&owned) }
        }
    }
    try MPIC.typeContiguous(CInt(scratchBytes), cmpi_byte(), &chunk)
    try MPIC.typeCreateResized(chunk, 0, 0, &zeroExtentChunk)
    guard let chunks = CInt(exactly: discarded / scratchBytes) else {
        throw MPIError.invalidArgument("message size", bytes, "is too large to discard", errorClass: .count,
                                       operation: operation)
    }
    // The kept bytes: a count of bytes, or one large-count type beyond Int32.max.
    var prefixLength = CInt(truncatingIfNeeded: kept)
    var prefixType = cmpi_byte()
    if kept > Int(CInt.max) {
        prefix = try largeCountDatatype(kept, of: cmpi_byte(), operation: operation)
        (prefixLength, prefixType) = (1, prefix)
    }
    let keptAt = keeping.map { MPI_Aint(Int(bitPattern: $0.buffer) - Int(bitPattern: scratch)) } ?? 0
    var lengths: [CInt] = [prefixLength, chunks, CInt(discarded % scratchBytes)]
    var displacements: [MPI_Aint] = [keptAt, 0, 0]
    var types: [DatatypeHandle] = [prefixType, zeroExtentChunk, cmpi_byte()]
    try MPIC.typeCreateStruct(3, &lengths, &displacements, &types, &type)
    try MPIC.typeCommit(&type)
    try MPIC.mrecv(scratch, 1, type, &message, cmpi_status_ignore(), reportingAs: operation)
}
