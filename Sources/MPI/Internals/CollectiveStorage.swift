/// What a nonblocking collective owns until it completes: the arrays MPI
/// reads and writes, the count and displacement arrays of v-collectives
/// (MPI reads them until completion too), and a Swift reduction's MPI_Op.
@usableFromInline
internal final class CollectiveStorage<T: MPIElement> {
    @usableFromInline let send: [T]
    @usableFromInline var receive: [T]
    @usableFromInline var vectors: [[CInt]] = []
    @usableFromInline var operation: CustomOperation?
    /// Whether `wait` returns an empty array (a non-root's gather, rank 0's
    /// exclusive scan) instead of `receive`.
    @usableFromInline var resultIsEmpty = false

    @usableFromInline
    init(send: [T], receive: [T]) {
        self.send = send
        self.receive = receive
    }

    /// The send array's address; stable while this storage holds the array.
    @usableFromInline
    var sendAddress: UnsafeRawPointer {
        send.withUnsafeBufferPointer { $0.mpiAddress }
    }

    /// The receive array's address, made unique first so MPI's writes are
    /// seen through no other array.
    @usableFromInline
    var receiveAddress: UnsafeMutableRawPointer {
        receive.withUnsafeMutableBufferPointer { $0.mpiAddress }
    }

    /// Keeps `values` alive until completion and returns their address.
    @usableFromInline
    func keep(_ values: [CInt]) -> UnsafePointer<CInt> {
        vectors.append(values)
        return vectors[vectors.count - 1].withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 8)! }
    }
}
