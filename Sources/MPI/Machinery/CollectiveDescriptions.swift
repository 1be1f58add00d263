import CMPI

// Each data-movement collective described once: the checks its buffers,
// counts and root must pass (CollectiveArguments.swift, agreed on by every
// rank when verifying), and the MPI call they make. Blocking, nonblocking and
// in-place forms all come here; `mode` picks the MPI name ranks agree on.

extension Communicator {
    @inlinable @inline(__always)
    internal func broadcastCall<E: MPIElement>(
        _ buffer: UnsafeMutableBufferPointer<E>, root: Int, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let (root32, _) = try collectiveArguments(E.self, root: root, count: buffer.count, largeCount: true,
                                                  operation: mode.name("MPI_Bcast", "MPI_Ibcast"))
        return .broadcast(buffer.mpiAddress, count: buffer.count, root: root32)
    }

    /// Scatter from the root's `send` into `receive`.
    @inlinable @inline(__always)
    internal func scatterCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, _ receive: UnsafeMutableBufferPointer<E>, root: Int, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let (root32, count) = try collectiveArguments(E.self,
            root: root, count: receive.count,
            rank == root ? BufferRequirement("send count", send.count, mustBe: receive.count * size,
                                             "count * size", atRootOnly: true) : nil,
            operation: mode.name("MPI_Scatter", "MPI_Iscatter"))
        return .scatter(send.mpiAddress, receive.mpiAddress, count: count, root: root32)
    }

    /// Scatter in place: at the root `buffer` holds every block and keeps its
    /// own; elsewhere it receives one block.
    @inlinable @inline(__always)
    internal func scatterCall<E: MPIElement>(
        inPlace buffer: UnsafeMutableBufferPointer<E>, root: Int, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let (root32, count) = try rootedInPlaceArguments(E.self, root: root, bufferCount: buffer.count,
                                                         operation: mode.name("MPI_Scatter", "MPI_Iscatter"))
        return rank == root ? .scatter(UnsafeRawPointer(buffer.mpiAddress), nil, count: count, root: root32)
                            : .scatter(nil, buffer.mpiAddress, count: count, root: root32)
    }

    @usableFromInline
    internal func scattervCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, counts: [Int], displacements: [Int]?, into receive: UnsafeMutableBufferPointer<E>,
        root: Int, _ mode: CollectiveMode
    ) throws -> VectorCollectiveCall<E> {
        let (root32, counts32, displacements32) = try vectorArguments(E.self,
            root: root, counts: counts, displacements: displacements, bufferCount: send.count, bufferName: "send",
            ownCount: nil, displacementsHere: rank == root, operation: mode.name("MPI_Scatterv", "MPI_Iscatterv"))
        return .scatterv(send.mpiAddress, counts: counts32, displacements: displacements32, receive.mpiAddress,
                         count: counts32[rank], root: root32)
    }

    /// Gather of `send` into the root's `receive` (not used elsewhere).
    @inlinable @inline(__always)
    internal func gatherCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, _ receive: UnsafeMutableBufferPointer<E>, root: Int, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let (root32, count) = try collectiveArguments(E.self,
            root: root, count: send.count,
            rank == root ? BufferRequirement("receive count", receive.count, mustBe: send.count * size,
                                             "count * size", atRootOnly: true) : nil,
            operation: mode.name("MPI_Gather", "MPI_Igather"))
        return .gather(send.mpiAddress, receive.mpiAddress, count: count, root: root32)
    }

    /// Gather in place: at the root `buffer` holds every block, its own
    /// already there; elsewhere it is the block sent.
    @inlinable @inline(__always)
    internal func gatherCall<E: MPIElement>(
        inPlace buffer: UnsafeMutableBufferPointer<E>, root: Int, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let (root32, count) = try rootedInPlaceArguments(E.self, root: root, bufferCount: buffer.count,
                                                         operation: mode.name("MPI_Gather", "MPI_Igather"))
        return rank == root ? .gather(nil, buffer.mpiAddress, count: count, root: root32)
                            : .gather(UnsafeRawPointer(buffer.mpiAddress), nil, count: count, root: root32)
    }

    @usableFromInline
    internal func gathervCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, counts: [Int], displacements: [Int]?, into receive: UnsafeMutableBufferPointer<E>,
        root: Int, _ mode: CollectiveMode
    ) throws -> VectorCollectiveCall<E> {
        let (root32, counts32, displacements32) = try vectorArguments(E.self,
            root: root, counts: counts, displacements: displacements, bufferCount: receive.count,
            bufferName: "the result", ownCount: send.count, displacementsHere: rank == root,
            operation: mode.name("MPI_Gatherv", "MPI_Igatherv"))
        return .gatherv(send.mpiAddress, count: counts32[rank], receive.mpiAddress, counts: counts32,
                        displacements: displacements32, root: root32)
    }

    /// All-gather of `send` into `receive`; in place when `send` is nil.
    @inlinable @inline(__always)
    internal func allGatherCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>?, _ receive: UnsafeMutableBufferPointer<E>, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let name = mode.name("MPI_Allgather", "MPI_Iallgather")
        guard let send else {
            let (_, count) = try collectiveArguments(E.self,
                root: nil, count: receive.count / size,
                BufferRequirement("buffer count", receive.count, dividingAmong: size), operation: name)
            return .allGather(nil, receive.mpiAddress, count: count)
        }
        let (_, count) = try collectiveArguments(E.self,
            root: nil, count: send.count,
            BufferRequirement("receive count", receive.count, mustBe: send.count * size, "count * size"),
            operation: name)
        return .allGather(send.mpiAddress, receive.mpiAddress, count: count)
    }

    @usableFromInline
    internal func allGathervCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, counts: [Int], displacements: [Int]?, into receive: UnsafeMutableBufferPointer<E>,
        _ mode: CollectiveMode
    ) throws -> VectorCollectiveCall<E> {
        let (_, counts32, displacements32) = try vectorArguments(E.self,
            root: nil, counts: counts, displacements: displacements, bufferCount: receive.count,
            bufferName: "the result", ownCount: send.count, displacementsHere: true, sharedDisplacements: true,
            operation: mode.name("MPI_Allgatherv", "MPI_Iallgatherv"))
        return .allGatherv(send.mpiAddress, count: counts32[rank], receive.mpiAddress, counts: counts32,
                           displacements: displacements32)
    }

    /// All-to-all of `send` into `receive`; in place when `send` is nil.
    @inlinable @inline(__always)
    internal func allToAllCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>?, _ receive: UnsafeMutableBufferPointer<E>, _ mode: CollectiveMode
    ) throws -> CollectiveCall<E> {
        let name = mode.name("MPI_Alltoall", "MPI_Ialltoall")
        guard let send else {
            let (_, count) = try collectiveArguments(E.self,
                root: nil, count: receive.count / size,
                BufferRequirement("buffer count", receive.count, dividingAmong: size), operation: name)
            return .allToAll(nil, receive.mpiAddress, count: count)
        }
        let (_, count) = try collectiveArguments(E.self,
            root: nil, count: send.count / size,
            BufferRequirement("send count", send.count, dividingAmong: size),
            BufferRequirement("receive count", receive.count, mustBe: send.count, "the send count"),
            operation: name)
        return .allToAll(send.mpiAddress, receive.mpiAddress, count: count)
    }

    @usableFromInline
    internal func allToAllvCall<E: MPIElement>(
        _ send: UnsafeBufferPointer<E>, sendCounts: [Int], sendDisplacements: [Int]?,
        into receive: UnsafeMutableBufferPointer<E>, receiveCounts: [Int], receiveDisplacements: [Int]?,
        _ mode: CollectiveMode
    ) throws -> VectorCollectiveCall<E> {
        let arguments = try allToAllvArguments(E.self,
            sendCounts: sendCounts, sendDisplacements: sendDisplacements, sendBufferCount: send.count,
            receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements, receiveBufferCount: receive.count,
            operation: mode.name("MPI_Alltoallv", "MPI_Ialltoallv"))
        return .allToAllv(send.mpiAddress, counts: arguments.sendCounts, displacements: arguments.sendDisplacements,
                          receive.mpiAddress, receiveCounts: arguments.receiveCounts,
                          receiveDisplacements: arguments.receiveDisplacements)
    }
}
