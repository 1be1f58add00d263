import CMPI

// Receives posted straight to MPI: where no guard is needed
// (MPI.truncationGuard is .unneeded), and the unsafe receives whose caller
// promises the buffer is large enough. The buffer is posted as its bytes
// (MPI_BYTE), not as elements: MPICH 4.0 aborts a process that unpacks a
// partial element, which a sender of another type can cause.

/// A nonblocking receive posted straight to MPI_Irecv, as its request
/// carries it until completion.
@usableFromInline
internal struct DirectReceive {
    /// The size of the buffer in bytes, for a truncation's error.
    @usableFromInline let bufferBytes: Int
    /// Whether the receive is from MPI_PROC_NULL (see MPIC.markFromNullProcess).
    @usableFromInline let fromNullProcess: Bool
    /// Whether the caller promised the size instead of being guarded: a
    /// truncation may then have been written past the buffer.
    @usableFromInline let isUnchecked: Bool

    @inlinable @inline(__always)
    init(bufferBytes: Int, fromNullProcess: Bool, isUnchecked: Bool) {
        self.bufferBytes = bufferBytes
        self.fromNullProcess = fromNullProcess
        self.isUnchecked = isUnchecked
    }
}

extension Communicator {
    /// MPI_Recv of `buffer`'s bytes, with a status that counts elements of `elementSize` bytes.
    @inlinable @inline(__always)
    internal func receiveDirectly(
        from source: CInt, tag: CInt, into buffer: UnsafeMutableRawBufferPointer, elementSize: Int, isUnchecked: Bool
    ) throws -> Status {
        var status = MPI_Status()
        let code = try withLargeCount(buffer.count, of: cmpi_byte(), operation: "MPI_Recv") { count, type in
            try MPIC.recvReturningCode(buffer.baseAddress, count, type, source, tag, handle, &status)
        }
        guard _fastPath(code == cmpi_success()) else {
            throw MPIError(receiveCode: code, status: &status, bufferBytes: buffer.count, operation: "MPI_Recv",
                           overrunPossible: isUnchecked)
        }
        if _slowPath(source == cmpi_proc_null()) { MPIC.markFromNullProcess(&status) }
        return Status(&status, byteCount: try messageBytes(&status), elementSize: elementSize)
    }

    /// The same, not inlined.
    @usableFromInline @inline(never)
    internal func postDirectReceiveOutOfLine(
        into memory: UnsafeMutableRawBufferPointer, source: CInt, tag: CInt, request: inout RequestHandle,
        isUnchecked: Bool
    ) throws -> DirectReceive {
        try postDirectReceive(into: memory, source: source, tag: tag, request: &request, isUnchecked: isUnchecked)
    }

    /// MPI_Irecv of `memory`'s bytes; `memory` must stay valid until the request completes.
    @inlinable @inline(__always)
    internal func postDirectReceive(
        into memory: UnsafeMutableRawBufferPointer, source: CInt, tag: CInt, request: inout RequestHandle,
        isUnchecked: Bool
    ) throws -> DirectReceive {
        try withLargeCount(memory.count, of: cmpi_byte(), operation: "MPI_Irecv") { count, type in
            try MPIC.irecv(memory.baseAddress, count, type, source, tag, handle, &request)
        }
        return DirectReceive(bufferBytes: memory.count, fromNullProcess: source == cmpi_proc_null(),
                             isUnchecked: isUnchecked)
    }
}
