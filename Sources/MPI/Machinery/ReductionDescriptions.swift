import CMPI

// Each reduction described once: its checks and the MPI call they make, for
// the blocking, nonblocking and in-place forms. A nil `send` means in place.
// Blocking reduce and all-reduce take counts beyond Int32.max (the executor
// runs them in chunks); nonblocking ones cannot, so the count is checked.

extension Communicator {
    /// Reduce of `send` into the root's `receive` (not used elsewhere); in
    /// place when `send` is nil (the root's buffer is `receive`; elsewhere
    /// pass the buffer as `send` and nil `receive`).
    @inlinable @inline(__always)
    internal func reduceCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>?, _ receive: UnsafeMutableBufferPointer<E>?, _ operation: ReductionOperation<E>,
        root: Int, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let count = send?.count ?? receive!.count
        let requirement = rank == root && send != nil
            ? BufferRequirement("receive count", receive?.count ?? 0, mustBe: count, "the send count", atRootOnly: true)
            : nil
        let (root32, _) = try collectiveArguments(E.self, root: root, count: count, requirement,
                                                  largeCount: mode == .blocking,
                                                  operation: mode.name("MPI_Reduce", "MPI_Ireduce"))
        return .reduce(send.map { UnsafeRawPointer($0.mpiAddress) }, receive?.mpiAddress, count: count, Reduction(operation),
                       root: root32)
    }

    /// All-reduce of `send` into `receive` (as long); in place when `send` is nil.
    @inlinable @inline(__always)
    internal func allReduceCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>?, _ receive: UnsafeMutableBufferPointer<E>, _ operation: ReductionOperation<E>,
        _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let count = send?.count ?? receive.count
        _ = try collectiveArguments(E.self,
            root: nil, count: count,
            send.map { _ in BufferRequirement("receive count", receive.count, mustBe: count, "the send count") },
            largeCount: mode == .blocking, operation: mode.name("MPI_Allreduce", "MPI_Iallreduce"))
        return .allReduce(send.map { UnsafeRawPointer($0.mpiAddress) }, receive.mpiAddress, count: count, Reduction(operation))
    }

    /// Block reduce-scatter: `send` holds `size` blocks as long as `receive`;
    /// in place when `send` is nil (`receive` holds the blocks, then the result).
    @inlinable @inline(__always)
    internal func reduceScatterCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>?, _ receive: UnsafeMutableBufferPointer<E>, _ operation: ReductionOperation<E>,
        _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let name = mode.name("MPI_Reduce_scatter_block", "MPI_Ireduce_scatter_block")
        guard let send else {
            let (_, count) = try collectiveArguments(E.self,
                root: nil, count: receive.count / size,
                BufferRequirement("buffer count", receive.count, dividingAmong: size), operation: name)
            return .reduceScatterBlock(nil, receive.mpiAddress, count: count, Reduction(operation))
        }
        let (_, count) = try collectiveArguments(E.self,
            root: nil, count: receive.count,
            BufferRequirement("send count", send.count, dividingAmong: size),
            BufferRequirement("send count", send.count, mustBe: receive.count * size, "count * size"),
            operation: name)
        return .reduceScatterBlock(send.mpiAddress, receive.mpiAddress, count: count, Reduction(operation))
    }

    /// Vector reduce-scatter: `send` holds the sum of `counts`; `receive`
    /// gets `counts[rank]` elements.
    @usableFromInline
    internal func reduceScattervCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, counts: [Int], into receive: UnsafeMutableBufferPointer<E>,
        _ operation: ReductionOperation<E>, _ mode: CollectiveMode
    ) throws -> VectorCollectiveCall<E> {
        let total = counts.reduce(0, +)
        let name = mode.name("MPI_Reduce_scatter", "MPI_Ireduce_scatter")
        let (_, counts32, _) = try vectorArguments(E.self,
            root: nil, counts: counts, displacements: nil, bufferCount: total, bufferName: "send",
            ownCount: nil, displacementsHere: false,
            BufferRequirement("send count", send.count, mustBe: total, "the sum of counts"),
            operation: name)
        return .reduceScatter(send.mpiAddress, receive.mpiAddress, counts: counts32, Reduction(operation))
    }

    /// Inclusive or exclusive scan of `send` into `receive` (as long); in
    /// place when `send` is nil.
    @inlinable @inline(__always)
    internal func scanCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>?, _ receive: UnsafeMutableBufferPointer<E>, _ operation: ReductionOperation<E>,
        exclusive: Bool, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let name = exclusive ? mode.name("MPI_Exscan", "MPI_Iexscan") : mode.name("MPI_Scan", "MPI_Iscan")
        let count = send?.count ?? receive.count
        let (_, count32) = try collectiveArguments(E.self,
            root: nil, count: count,
            send.map { _ in BufferRequirement("receive count", receive.count, mustBe: count, "the send count") },
            operation: name)
        return .scan(send.map { UnsafeRawPointer($0.mpiAddress) }, receive.mpiAddress, count: count32, Reduction(operation),
                     exclusive: exclusive)
    }
}
