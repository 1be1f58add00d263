import CMPI

// The root's send buffer in an in-place MPI_Reduce.
//
// MPICH 4.0 crashes in MPI_Reduce with MPI_IN_PLACE at a root other than rank
// 0 once its large-message algorithm (reduce-scatter, then gather) is chosen:
// it copies from the MPI_IN_PLACE sentinel as if it were memory. So under
// MPICH the root passes a copy of its buffer as the send buffer instead (the
// same reduction: MPI_IN_PLACE means "my contribution is in the receive
// buffer"). Under Open MPI nothing changes.

/// Runs `body` with the send buffer for the root's in-place reduction of
/// `bytes` bytes at `buffer`: MPI_IN_PLACE, or under MPICH a copy.
@inlinable
internal func withInPlaceReduceSource<R>(
    _ buffer: UnsafeMutableRawPointer, bytes: Int, _ body: (UnsafeRawPointer?) throws -> R
) rethrows -> R {
    #if MPICH
    let copy = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 16)
    defer { copy.deallocate() }
    copy.copyMemory(from: buffer, byteCount: bytes)
    return try body(copy)
    #else
    return try body(cmpi_in_place())
    #endif
}
