// What a nonblocking collective over owned buffers keeps until it completes:
// the buffers MPI reads and writes, the count and displacement arrays of
// v-collectives (MPI reads them until completion too), a Swift reduction's
// MPI_Op, and the cell a one-value result is written into. A collective over
// caller buffers with a predefined operation needs none of it.

@usableFromInline
internal final class CollectiveStorage {
    @usableFromInline var buffers: (first: (any SendBuffer)?, second: (any SendBuffer)?) = (nil, nil)
    @usableFromInline var vectors: [[CInt]] = []
    @usableFromInline var operation: CustomOperation?
    /// Memory for a one-value result (16-byte aligned, the largest element's).
    @usableFromInline var cell: UnsafeMutableRawPointer?

    @inlinable
    init() {}

    deinit { cell?.deallocate() }

    /// Keeps an owned buffer alive until completion.
    @inlinable
    func keep(_ buffer: any SendBuffer) {
        if buffers.first == nil { buffers.first = buffer } else { buffers.second = buffer }
    }

    /// Keeps `values` alive until completion and returns their address.
    @usableFromInline
    func keep(_ values: [CInt]) -> UnsafePointer<CInt> {
        vectors.append(values)
        return vectors[vectors.count - 1].withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
    }

    /// Memory for one value of `T`, which MPI writes and the request's `wait` reads.
    @inlinable
    func scalarCell<T: MPIElement>(_ type: T.Type) -> UnsafeMutableRawPointer {
        let cell = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
        self.cell = cell
        return cell
    }
}
