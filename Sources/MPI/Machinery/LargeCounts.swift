import CMPI

// Counts beyond Int32.max.
//
// MPI 3.1 (Open MPI 4.1) takes counts as C int. Point-to-point messages and
// broadcasts of more elements are sent as one element of a derived type that
// covers the whole buffer, so a message stays one message: matching, ordering
// and truncation behave as for any other. Reductions cannot do that (the
// predefined operations apply only to predefined types), so they run as
// consecutive collectives over chunks of at most `largeCountChunk` elements,
// which every rank cuts alike because every rank passes the same count.
// Sizes of messages beyond Int32.max bytes are read with MPI_Get_elements_x,
// since MPI_Get_count then reports MPI_UNDEFINED.

/// The elements in one chunk of a large count: a power of two below Int32.max.
@usableFromInline internal let largeCountChunk = 1 << 30

/// Runs `body` with a count and datatype that describe `count` elements of
/// `datatype`: the count itself when it fits in a C int, else 1 and a derived
/// type, which is freed when `body` returns (MPI lets a pending nonblocking
/// operation go on using a freed type).
@inlinable @inline(__always)
internal func withLargeCount<R: ~Copyable>(
    _ count: Int, of datatype: DatatypeHandle, operation: StaticString,
    _ body: (CInt, DatatypeHandle) throws -> R
) throws -> R {
    if _fastPath(count <= Int(CInt.max)) { return try body(CInt(truncatingIfNeeded: count), datatype) }
    var derived = try largeCountDatatype(count, of: datatype, operation: operation)
    defer { MPIC.releasing { try MPIC.typeFree(&derived) } }
    return try body(1, derived)
}

/// A committed type of `count` consecutive elements of `datatype`, for counts
/// beyond Int32.max: `count / chunk` blocks of `chunk` elements, then the rest.
@usableFromInline
internal func largeCountDatatype(_ count: Int, of datatype: DatatypeHandle, operation: StaticString) throws -> DatatypeHandle {
    var lowerBound: MPI_Aint = 0
    var extent: MPI_Aint = 0
    try MPIC.typeGetExtent(datatype, &lowerBound, &extent)
    let chunks = count / largeCountChunk
    let remainder = count % largeCountChunk
    guard let chunkCount = CInt(exactly: chunks) else {
        throw MPIError.invalidArgument("count", count, "is too large for MPI even in chunks of \(largeCountChunk)",
                                       errorClass: .count, operation: operation)
    }
    var chunk = cmpi_datatype_null()
    try MPIC.typeContiguous(CInt(largeCountChunk), datatype, &chunk)
    defer { MPIC.releasing { try MPIC.typeFree(&chunk) } }
    var lengths: [CInt] = [chunkCount, CInt(remainder)]
    var displacements: [MPI_Aint] = [0, MPI_Aint(chunks * largeCountChunk) * extent]
    var types: [DatatypeHandle] = [chunk, datatype]
    var result = cmpi_datatype_null()
    try MPIC.typeCreateStruct(2, &lengths, &displacements, &types, &result)
    do {
        try MPIC.typeCommit(&result)
    } catch {
        try? MPIC.typeFree(&result)
        throw error
    }
    return result
}

/// Calls `body` once per chunk of at most `largeCountChunk` elements, with the
/// chunk's first element and count: once, with (0, count), in the usual case.
@inlinable @inline(__always)
internal func forEachChunk(of count: Int, _ body: (_ offset: Int, _ count: CInt) throws -> Void) throws {
    if _fastPath(count <= Int(CInt.max)) { return try body(0, CInt(truncatingIfNeeded: count)) }
    var offset = 0
    while offset < count {
        let length = min(largeCountChunk, count - offset)
        try body(offset, CInt(truncatingIfNeeded: length))
        offset += length
    }
}

/// `address` moved `elements` elements of `Element` on (a chunk's start).
@inlinable @inline(__always)
internal func advanced<Element>(_ address: UnsafeRawPointer, by elements: Int, of type: Element.Type) -> UnsafeRawPointer {
    address + elements * MemoryLayout<Element>.stride
}

/// `address` moved `elements` elements of `Element` on (a chunk's start).
@inlinable @inline(__always)
internal func advanced<Element>(
    _ address: UnsafeMutableRawPointer, by elements: Int, of type: Element.Type
) -> UnsafeMutableRawPointer {
    address + elements * MemoryLayout<Element>.stride
}

/// The size in bytes of the message `status` describes, also beyond Int32.max.
@inlinable @inline(__always)
internal func messageBytes(_ status: inout MPI_Status) throws -> Int {
    if _fastPath(MPIEnvironmentState.statusBytesAreReadable) { return Int(cmpi_status_recorded_bytes(&status)) }
    var bytes: CInt = 0
    try MPIC.getCount(&status, cmpi_byte(), &bytes)
    if _fastPath(bytes != cmpi_undefined()) { return Int(bytes) }
    return try largeMessageBytes(&status)
}

/// Whether cmpi_status_recorded_bytes reads what MPI records in a status, at
/// counts on both sides of Int32.max (checked once, at initialization).
internal func statusBytesAreReadable() throws -> Bool {
    var status = MPI_Status()
    for count in [0, 1, 12_345, Int(CInt.max) + 9, 3 << 40] {
        try MPIC.statusSetElementsX(&status, cmpi_byte(), MPI_Count(count))
        guard cmpi_status_recorded_bytes(&status) == count else { return false }
    }
    return true
}

/// The same beyond Int32.max bytes, which MPI_Get_count cannot count.
@usableFromInline
internal func largeMessageBytes(_ status: inout MPI_Status) throws -> Int {
    var large: MPI_Count = 0
    try MPIC.getElementsX(&status, cmpi_byte(), &large)
    return Int(large)
}
