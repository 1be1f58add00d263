import CMPI

// One collective, described as the MPI call it makes, and the executor that
// runs it: blocking (`run`) or started as a request (`start`). Every public
// collective builds one of these through its description (the checks and
// counts, in CollectiveDescriptions.swift and ReductionDescriptions.swift),
// so a collective's blocking, nonblocking and in-place forms share all of it.
//
// A send address of nil means MPI_IN_PLACE. The executor's switch is over a
// value its inlined caller built, so an optimized build keeps only the case
// taken.

/// Whether a collective blocks or starts a request (the MPI function differs,
/// and so does the name ranks must agree on).
@usableFromInline
internal enum CollectiveMode {
    case blocking, nonblocking

    @inlinable
    func name(_ blocking: StaticString, _ nonblocking: StaticString) -> StaticString {
        self == .blocking ? blocking : nonblocking
    }
}

/// A reduction's MPI operation and the datatype it applies to (a custom
/// operation's own; its object is kept alive by whoever holds the
/// ReductionOperation: the caller for blocking forms, the request otherwise).
@usableFromInline
internal struct Reduction {
    @usableFromInline let datatype: DatatypeHandle
    @usableFromInline let handle: OperationHandle

    @inlinable
    init<T>(_ operation: ReductionOperation<T>) {
        datatype = operation.datatype
        handle = operation.handle
    }
}

/// The MPI call of one collective with the same count on every rank, with its
/// C arguments. Every payload is trivial, so building and passing one costs
/// no reference counting.
@usableFromInline
internal enum CollectiveCall<Element: MPIElement> {
    case broadcast(UnsafeMutableRawPointer, count: Int, root: CInt)
    case scatter(UnsafeRawPointer?, UnsafeMutableRawPointer?, count: CInt, root: CInt)
    case gather(UnsafeRawPointer?, UnsafeMutableRawPointer?, count: CInt, root: CInt)
    case allGather(UnsafeRawPointer?, UnsafeMutableRawPointer, count: CInt)
    case allToAll(UnsafeRawPointer?, UnsafeMutableRawPointer, count: CInt)
    case reduce(UnsafeRawPointer?, UnsafeMutableRawPointer?, count: Int, Reduction, root: CInt)
    case allReduce(UnsafeRawPointer?, UnsafeMutableRawPointer, count: Int, Reduction)
    case reduceScatterBlock(UnsafeRawPointer?, UnsafeMutableRawPointer, count: CInt, Reduction)
    case scan(UnsafeRawPointer?, UnsafeMutableRawPointer, count: CInt, Reduction, exclusive: Bool)
}

/// The MPI call of a v-collective: per-rank counts and displacements, which
/// MPI reads until a started one completes.
@usableFromInline
internal enum VectorCollectiveCall<Element: MPIElement> {
    case scatterv(UnsafeRawPointer, counts: [CInt], displacements: [CInt], UnsafeMutableRawPointer, count: CInt, root: CInt)
    case gatherv(UnsafeRawPointer, count: CInt, UnsafeMutableRawPointer, counts: [CInt], displacements: [CInt], root: CInt)
    case allGatherv(UnsafeRawPointer, count: CInt, UnsafeMutableRawPointer, counts: [CInt], displacements: [CInt])
    case allToAllv(UnsafeRawPointer, counts: [CInt], displacements: [CInt],
                   UnsafeMutableRawPointer, receiveCounts: [CInt], receiveDisplacements: [CInt])
    case reduceScatter(UnsafeRawPointer, UnsafeMutableRawPointer, counts: [CInt], Reduction)
}

/// MPI_IN_PLACE for a nil send address.
@inlinable @inline(__always)
internal func sendAddress(_ address: UnsafeRawPointer?) -> UnsafeRawPointer {
    address ?? UnsafeRawPointer(cmpi_in_place())
}

extension Communicator {
    /// Runs `call` and returns once it has completed on this rank. Reductions
    /// and broadcasts of more than Int32.max elements run in chunks or as one
    /// derived-type element (see LargeCounts.swift).
    @inlinable @inline(__always)
    internal func run<Element>(_ call: CollectiveCall<Element>) throws {
        var type: DatatypeHandle { Element.mpiDatatype.handle }
        switch call {
        case let .broadcast(buffer, count, root):
            try withLargeCount(count, of: type, operation: "MPI_Bcast") { count, type in
                try MPIC.bcast(buffer, count, type, root, handle)
            }
        case let .scatter(send, receive, count, root):
            try MPIC.scatter(send, count, type, receive ?? cmpi_in_place(), count, type, root, handle)
        case let .gather(send, receive, count, root):
            try MPIC.gather(sendAddress(send), count, type, receive, count, type, root, handle)
        case let .allGather(send, receive, count):
            try MPIC.allgather(sendAddress(send), count, type, receive, count, type, handle)
        case let .allToAll(send, receive, count):
            try MPIC.alltoall(sendAddress(send), count, type, receive, count, type, handle)
        case let .reduce(send, receive, count, operation, root):
            try forEachChunk(of: count) { offset, count in
                let target = receive.map { advanced($0, by: offset, of: Element.self) }
                guard let send else {
                    // In place at the root (see InPlaceReduce.swift).
                    let bytes = Int(count) * MemoryLayout<Element>.stride
                    try withInPlaceReduceSource(target!, bytes: bytes) { source in
                        try MPIC.reduce(source, target, count, operation.datatype,
                                                             operation.handle, root, handle)
                    }
                    return
                }
                try MPIC.reduce(advanced(send, by: offset, of: Element.self), target, count,
                                                     operation.datatype, operation.handle, root, handle)
            }
        case let .allReduce(send, receive, count, operation):
            try forEachChunk(of: count) { offset, count in
                let source = send.map { advanced($0, by: offset, of: Element.self) }
                try MPIC.allreduce(
                    sendAddress(source), advanced(receive, by: offset, of: Element.self), count,
                    operation.datatype, operation.handle, handle)
            }
        case let .reduceScatterBlock(send, receive, count, operation):
            try MPIC.reduceScatterBlock(
                sendAddress(send), receive, count, operation.datatype, operation.handle, handle)
        case let .scan(send, receive, count, operation, exclusive):
            if exclusive {
                try MPIC.exscan(sendAddress(send), receive, count, operation.datatype,
                                                     operation.handle, handle)
            } else {
                try MPIC.scan(sendAddress(send), receive, count, operation.datatype,
                                                 operation.handle, handle)
            }
        }
    }

    /// Runs a v-collective and returns once it has completed on this rank.
    @usableFromInline
    internal func run<Element>(_ call: VectorCollectiveCall<Element>) throws {
        let type = Element.mpiDatatype.handle
        switch call {
        case let .scatterv(send, counts, displacements, receive, count, root):
            try MPIC.scatterv(send, counts, displacements, type, receive, count, type, root, handle)
        case let .gatherv(send, count, receive, counts, displacements, root):
            try MPIC.gatherv(send, count, type, receive, counts, displacements, type, root, handle)
        case let .allGatherv(send, count, receive, counts, displacements):
            try MPIC.allgatherv(send, count, type, receive, counts, displacements, type, handle)
        case let .allToAllv(send, counts, displacements, receive, receiveCounts, receiveDisplacements):
            try MPIC.alltoallv(send, counts, displacements, type, receive, receiveCounts,
                                                       receiveDisplacements, type, handle)
        case let .reduceScatter(send, receive, counts, operation):
            try MPIC.reduceScatter(
                send, receive, counts, operation.datatype, operation.handle, handle)
        }
    }

    /// Starts `call` and returns its request, which keeps the owned buffers
    /// and the custom operation, and hands `result` back at completion.
    @inlinable
    internal func start<Element, Value>(
        _ call: CollectiveCall<Element>, keeping first: (any SendBuffer)? = nil, _ second: (any SendBuffer)? = nil,
        operation custom: CustomOperation? = nil, result: Value? = nil, storage: CollectiveStorage? = nil,
        scalarResult: UnsafeMutableRawPointer? = nil
    ) throws -> Request<Value> {
        var type: DatatypeHandle { Element.mpiDatatype.handle }
        var request = cmpi_request_null()
        let name: StaticString
        switch call {
        case let .broadcast(buffer, count, root):
            name = "MPI_Ibcast"
            try withLargeCount(count, of: type, operation: name) { count, type in
                try MPIC.ibcast(buffer, count, type, root, handle, &request)
            }
        case let .scatter(send, receive, count, root):
            name = "MPI_Iscatter"
            try MPIC.iscatter(send, count, type, receive ?? cmpi_in_place(), count, type, root, handle,
                                           &request)
        case let .gather(send, receive, count, root):
            name = "MPI_Igather"
            try MPIC.igather(sendAddress(send), count, type, receive, count, type, root, handle, &request)
        case let .allGather(send, receive, count):
            name = "MPI_Iallgather"
            try MPIC.iallgather(sendAddress(send), count, type, receive, count, type, handle, &request)
        case let .allToAll(send, receive, count):
            name = "MPI_Ialltoall"
            try MPIC.ialltoall(sendAddress(send), count, type, receive, count, type, handle, &request)
        case let .reduce(send, receive, count, operation, root):
            name = "MPI_Ireduce"
            try MPIC.ireduce(sendAddress(send), receive, CInt(count), operation.datatype, operation.handle,
                                          root, handle, &request)
        case let .allReduce(send, receive, count, operation):
            name = "MPI_Iallreduce"
            try MPIC.iallreduce(sendAddress(send), receive, CInt(count), operation.datatype,
                                             operation.handle, handle, &request)
        case let .reduceScatterBlock(send, receive, count, operation):
            name = "MPI_Ireduce_scatter_block"
            try MPIC.ireduceScatterBlock(sendAddress(send), receive, count, operation.datatype,
                                                        operation.handle, handle, &request)
        case let .scan(send, receive, count, operation, exclusive):
            name = exclusive ? "MPI_Iexscan" : "MPI_Iscan"
            if exclusive {
                try MPIC.iexscan(sendAddress(send), receive, count, operation.datatype, operation.handle, handle, &request)
            } else {
                try MPIC.iscan(sendAddress(send), receive, count, operation.datatype, operation.handle, handle, &request)
            }
        }
        return Request(
            handle: request,
            PendingOperation(.collective, elementSize: MemoryLayout<Element>.stride, origin: RequestOrigin(name),
                             work: scalarResult.map { .scalarResult($0) } ?? .none,
                             owner: owner(first, second, custom, storage: storage)),
            result: result)
    }

    /// Starts a v-collective; its count arrays go into the request's storage.
    @usableFromInline
    internal func start<Element, Value>(
        _ call: VectorCollectiveCall<Element>, keeping first: any SendBuffer, _ second: any SendBuffer,
        operation custom: CustomOperation? = nil, result: Value?
    ) throws -> Request<Value> {
        let storage = CollectiveStorage()
        storage.keep(first)
        storage.keep(second)
        storage.operation = custom
        let type = Element.mpiDatatype.handle
        var request = cmpi_request_null()
        let name: StaticString
        switch call {
        case let .scatterv(send, counts, displacements, receive, count, root):
            name = "MPI_Iscatterv"
            try MPIC.iscatterv(send, storage.keep(counts), storage.keep(displacements), type, receive,
                                            count, type, root, handle, &request)
        case let .gatherv(send, count, receive, counts, displacements, root):
            name = "MPI_Igatherv"
            try MPIC.igatherv(send, count, type, receive, storage.keep(counts), storage.keep(displacements),
                                           type, root, handle, &request)
        case let .allGatherv(send, count, receive, counts, displacements):
            name = "MPI_Iallgatherv"
            try MPIC.iallgatherv(send, count, type, receive, storage.keep(counts),
                                              storage.keep(displacements), type, handle, &request)
        case let .allToAllv(send, counts, displacements, receive, receiveCounts, receiveDisplacements):
            name = "MPI_Ialltoallv"
            try MPIC.ialltoallv(send, storage.keep(counts), storage.keep(displacements), type, receive,
                                             storage.keep(receiveCounts), storage.keep(receiveDisplacements), type,
                                             handle, &request)
        case let .reduceScatter(send, receive, counts, operation):
            name = "MPI_Ireduce_scatter"
            try MPIC.ireduceScatter(send, receive, storage.keep(counts), operation.datatype,
                                                  operation.handle, handle, &request)
        }
        return Request(
            handle: request,
            PendingOperation(.collective, elementSize: MemoryLayout<Element>.stride, origin: RequestOrigin(name),
                             owner: storage),
            result: result)
    }

    /// What a started collective must keep: nothing for caller buffers and a
    /// predefined operation, one owned buffer's owner, or else a storage.
    @inlinable
    internal func owner(
        _ first: (any SendBuffer)?, _ second: (any SendBuffer)?, _ operation: CustomOperation?,
        storage: CollectiveStorage?
    ) -> AnyObject? {
        if storage == nil && operation == nil && second == nil {
            return first.flatMap { requestOwner(ofAny: $0) }
        }
        let storage = storage ?? CollectiveStorage()
        if let first { storage.keep(first) }
        if let second { storage.keep(second) }
        storage.operation = operation
        return storage
    }
}
