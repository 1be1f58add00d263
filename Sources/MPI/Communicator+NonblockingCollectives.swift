import CMPI

// Nonblocking collectives (MPI 3.1 section 5.12). Each returns at once with a
// Request, the same type isend and ireceive return, that owns the arrays
// until `wait` hands the result back. Arguments are checked as for the
// blocking forms (with MPI.verifiesCollectiveArguments, by a small blocking
// reduction before the operation starts).

extension Communicator {
    /// Starts a barrier; `wait` returns once every rank has started it.
    ///
    /// The corresponding C function is `MPI_Ibarrier`.
    public func ibarrier() throws -> Request<Void> {
        var request = cmpi_request_null()
        try mpiCall("MPI_Ibarrier", MPI_Ibarrier(handle, &request))
        return Request(handle: request, elementSize: 1, buffer: nil, origin: RequestOrigin("MPI_Ibarrier"),
                       kind: .collective)
    }

    /// Starts broadcasting the root's `buffer`; `wait` returns the root's data
    /// on every rank. Every rank passes an array of the same count.
    ///
    /// The corresponding C function is `MPI_Ibcast`.
    public func ibroadcast<T: MPIElement>(_ buffer: consuming [T], root: Int) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: [], receive: buffer)
        let (root32, _) = try collectiveArguments(T.self, root: root, count: storage.receive.count, largeCount: true,
                                                  operation: "MPI_Ibcast")
        return try withLargeCount(storage.receive.count, of: T.mpiDatatype.handle, operation: "MPI_Ibcast") { count, type in
            try start(storage, "MPI_Ibcast") { request in
                MPI_Ibcast(storage.receiveAddress, count, type, root32, handle, request)
            }
        }
    }

    /// Starts scattering the root's `send` in blocks of `count`; `wait`
    /// returns this rank's block. `send` is read only at the root.
    ///
    /// The corresponding C function is `MPI_Iscatter`.
    public func iscatter<T: MPIElement>(_ send: [T], count: Int, root: Int) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: max(count, 0)))
        let (root32, count32) = try collectiveArguments(T.self, 
            root: root, count: count,
            rank == root ? BufferRequirement("send count", send.count, mustBe: count * size, "count * size", atRootOnly: true) : nil,
            operation: "MPI_Iscatter")
        let type = T.mpiDatatype.handle
        return try start(storage, "MPI_Iscatter") { request in
            MPI_Iscatter(storage.sendAddress, count32, type, storage.receiveAddress, count32, type, root32, handle, request)
        }
    }

    /// Starts a vector scatter (see ``scatter(_:counts:displacements:root:)``).
    ///
    /// The corresponding C function is `MPI_Iscatterv`.
    public func iscatter<T: MPIElement>(
        _ send: [T], counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> Request<[T]> {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: own))
        let (root32, counts32, displacements32) = try vectorArguments(T.self, 
            root: root, counts: counts, displacements: displacements, bufferCount: send.count, bufferName: "send",
            ownCount: nil, displacementsHere: rank == root, operation: "MPI_Iscatterv")
        let type = T.mpiDatatype.handle
        let countsAddress = storage.keep(counts32), displacementsAddress = storage.keep(displacements32)
        return try start(storage, "MPI_Iscatterv") { request in
            MPI_Iscatterv(storage.sendAddress, countsAddress, displacementsAddress, type,
                          storage.receiveAddress, counts32[rank], type, root32, handle, request)
        }
    }

    /// Starts gathering every rank's `send` (all of the same count) at the
    /// root; `wait` returns the gathered array at the root, empty elsewhere.
    ///
    /// The corresponding C function is `MPI_Igather`.
    public func igather<T: MPIElement>(_ send: [T], root: Int) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: rank == root ? send.count * size : 0))
        storage.resultIsEmpty = rank != root
        let (root32, count) = try collectiveArguments(T.self, root: root, count: send.count, operation: "MPI_Igather")
        let type = T.mpiDatatype.handle
        return try start(storage, "MPI_Igather") { request in
            MPI_Igather(storage.sendAddress, count, type, storage.receiveAddress, count, type, root32, handle, request)
        }
    }

    /// Starts a vector gather (see ``gather(_:counts:displacements:root:)``).
    ///
    /// The corresponding C function is `MPI_Igatherv`.
    public func igather<T: MPIElement>(
        _ send: [T], counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> Request<[T]> {
        let length = rank == root ? vectorLength(counts: counts, displacements: displacements) : 0
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: length))
        storage.resultIsEmpty = rank != root
        let (root32, counts32, displacements32) = try vectorArguments(T.self, 
            root: root, counts: counts, displacements: displacements, bufferCount: length, bufferName: "the result",
            ownCount: send.count, displacementsHere: rank == root, operation: "MPI_Igatherv")
        let type = T.mpiDatatype.handle
        let countsAddress = storage.keep(counts32), displacementsAddress = storage.keep(displacements32)
        return try start(storage, "MPI_Igatherv") { request in
            MPI_Igatherv(storage.sendAddress, counts32[rank], type, storage.receiveAddress,
                         countsAddress, displacementsAddress, type, root32, handle, request)
        }
    }

    /// Starts collecting every rank's `send` (all of the same count) on every
    /// rank; `wait` returns them in rank order.
    ///
    /// The corresponding C function is `MPI_Iallgather`.
    public func iallGather<T: MPIElement>(_ send: [T]) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: send.count * size))
        let (_, count) = try collectiveArguments(T.self, root: nil, count: send.count, operation: "MPI_Iallgather")
        let type = T.mpiDatatype.handle
        return try start(storage, "MPI_Iallgather") { request in
            MPI_Iallgather(storage.sendAddress, count, type, storage.receiveAddress, count, type, handle, request)
        }
    }

    /// Starts a vector all-gather (see ``allGather(_:counts:displacements:)``).
    ///
    /// The corresponding C function is `MPI_Iallgatherv`.
    public func iallGather<T: MPIElement>(_ send: [T], counts: [Int], displacements: [Int]? = nil) throws -> Request<[T]> {
        let length = vectorLength(counts: counts, displacements: displacements)
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: length))
        let (_, counts32, displacements32) = try vectorArguments(T.self, 
            root: nil, counts: counts, displacements: displacements, bufferCount: length, bufferName: "the result",
            ownCount: send.count, displacementsHere: true, sharedDisplacements: true, operation: "MPI_Iallgatherv")
        let type = T.mpiDatatype.handle
        let countsAddress = storage.keep(counts32), displacementsAddress = storage.keep(displacements32)
        return try start(storage, "MPI_Iallgatherv") { request in
            MPI_Iallgatherv(storage.sendAddress, counts32[rank], type, storage.receiveAddress,
                            countsAddress, displacementsAddress, type, handle, request)
        }
    }

    /// Starts an all-to-all exchange of equal blocks (see ``allToAll(_:)``).
    ///
    /// The corresponding C function is `MPI_Ialltoall`.
    public func iallToAll<T: MPIElement>(_ send: [T]) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: send.count))
        let (_, count) = try collectiveArguments(T.self, 
            root: nil, count: send.count / size, BufferRequirement("send count", send.count, dividingAmong: size),
            operation: "MPI_Ialltoall")
        let type = T.mpiDatatype.handle
        return try start(storage, "MPI_Ialltoall") { request in
            MPI_Ialltoall(storage.sendAddress, count, type, storage.receiveAddress, count, type, handle, request)
        }
    }

    /// Starts a vector all-to-all (see ``allToAll(_:sendCounts:sendDisplacements:receiveCounts:receiveDisplacements:)``).
    ///
    /// The corresponding C function is `MPI_Ialltoallv`.
    public func iallToAll<T: MPIElement>(
        _ send: [T], sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> Request<[T]> {
        let length = vectorLength(counts: receiveCounts, displacements: receiveDisplacements)
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: length))
        let (sendCounts32, sendDisplacements32, receiveCounts32, receiveDisplacements32) = try allToAllvArguments(T.self, 
            sendCounts: sendCounts, sendDisplacements: sendDisplacements, sendBufferCount: send.count,
            receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements, receiveBufferCount: length,
            operation: "MPI_Ialltoallv")
        let type = T.mpiDatatype.handle
        let sendCountsAddress = storage.keep(sendCounts32), sendDisplacementsAddress = storage.keep(sendDisplacements32)
        let receiveCountsAddress = storage.keep(receiveCounts32)
        let receiveDisplacementsAddress = storage.keep(receiveDisplacements32)
        return try start(storage, "MPI_Ialltoallv") { request in
            MPI_Ialltoallv(storage.sendAddress, sendCountsAddress, sendDisplacementsAddress, type,
                           storage.receiveAddress, receiveCountsAddress, receiveDisplacementsAddress, type, handle, request)
        }
    }

    // MARK: - Reductions

    /// Starts reducing every rank's `send` element by element to the root;
    /// `wait` returns the result at the root and an empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Ireduce`.
    public func ireduce<T: MPIElement>(_ send: [T], _ operation: ReductionOperation<T>, root: Int) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: send.count))
        storage.resultIsEmpty = rank != root
        let (root32, count) = try collectiveArguments(T.self, root: root, count: send.count, operation: "MPI_Ireduce")
        storage.operation = operation.custom
        return try start(storage, "MPI_Ireduce") { request in
            MPI_Ireduce(storage.sendAddress, storage.receiveAddress, count, operation.datatype, operation.handle,
                        root32, handle, request)
        }
    }

    /// Starts an all-reduce of one value; `wait` returns the result.
    ///
    /// The corresponding C function is `MPI_Iallreduce`.
    public func iallReduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> Request<T> {
        let request: Request<[T]> = try iallReduce([value], operation)
        return request.retyped()
    }

    /// Starts an all-reduce of `send` element by element; `wait` returns the
    /// result on every rank.
    ///
    /// The corresponding C function is `MPI_Iallreduce`.
    public func iallReduce<T: MPIElement>(_ send: [T], _ operation: ReductionOperation<T>) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: send.count))
        return try startAllReduce(storage, source: storage.sendAddress, operation)
    }

    /// Starts an all-reduce in place: `buffer` is this rank's contribution,
    /// and `wait` returns it holding the result.
    ///
    /// The corresponding C function is `MPI_Iallreduce` with `MPI_IN_PLACE`.
    public func iallReduce<T: MPIElement>(inPlace buffer: consuming [T], _ operation: ReductionOperation<T>) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: [], receive: buffer)
        return try startAllReduce(storage, source: UnsafeRawPointer(cmpi_in_place()), operation)
    }

    private func startAllReduce<T>(
        _ storage: CollectiveStorage<T>, source: UnsafeRawPointer?, _ operation: ReductionOperation<T>
    ) throws -> Request<[T]> {
        let (_, count) = try collectiveArguments(T.self, root: nil, count: storage.receive.count, operation: "MPI_Iallreduce")
        storage.operation = operation.custom
        return try start(storage, "MPI_Iallreduce") { request in
            MPI_Iallreduce(source, storage.receiveAddress, count, operation.datatype, operation.handle, handle, request)
        }
    }

    /// Starts a block reduce-scatter (see ``reduceScatter(_:_:)``).
    ///
    /// The corresponding C function is `MPI_Ireduce_scatter_block`.
    public func ireduceScatter<T: MPIElement>(_ send: [T], _ operation: ReductionOperation<T>) throws -> Request<[T]> {
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: size > 0 ? send.count / size : 0))
        let (_, count) = try collectiveArguments(T.self, 
            root: nil, count: send.count / size, BufferRequirement("send count", send.count, dividingAmong: size),
            operation: "MPI_Ireduce_scatter_block")
        storage.operation = operation.custom
        return try start(storage, "MPI_Ireduce_scatter_block") { request in
            MPI_Ireduce_scatter_block(storage.sendAddress, storage.receiveAddress, count, operation.datatype,
                                      operation.handle, handle, request)
        }
    }

    /// Starts a vector reduce-scatter (see ``reduceScatter(_:counts:_:)``).
    ///
    /// The corresponding C function is `MPI_Ireduce_scatter`.
    public func ireduceScatter<T: MPIElement>(
        _ send: [T], counts: [Int], _ operation: ReductionOperation<T>
    ) throws -> Request<[T]> {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: own))
        let total = counts.reduce(0, +)
        let (_, counts32, _) = try vectorArguments(T.self, 
            root: nil, counts: counts, displacements: nil, bufferCount: total, bufferName: "send",
            ownCount: nil, displacementsHere: false,
            BufferRequirement("send count", send.count, mustBe: total, "the sum of counts"),
            operation: "MPI_Ireduce_scatter")
        storage.operation = operation.custom
        let countsAddress = storage.keep(counts32)
        return try start(storage, "MPI_Ireduce_scatter") { request in
            MPI_Ireduce_scatter(storage.sendAddress, storage.receiveAddress, countsAddress, operation.datatype,
                                operation.handle, handle, request)
        }
    }

    /// Starts an inclusive scan (see ``scan(_:_:)``).
    ///
    /// The corresponding C function is `MPI_Iscan`.
    public func iscan<T: MPIElement>(_ send: [T], _ operation: ReductionOperation<T>) throws -> Request<[T]> {
        try startPrefix(send, operation, exclusive: false)
    }

    /// Starts an exclusive scan (see ``exclusiveScan(_:_:)``); `wait` returns
    /// an empty array on rank 0.
    ///
    /// The corresponding C function is `MPI_Iexscan`.
    public func iexclusiveScan<T: MPIElement>(_ send: [T], _ operation: ReductionOperation<T>) throws -> Request<[T]> {
        try startPrefix(send, operation, exclusive: true)
    }

    private func startPrefix<T>(_ send: [T], _ operation: ReductionOperation<T>, exclusive: Bool) throws -> Request<[T]> {
        let name: StaticString = exclusive ? "MPI_Iexscan" : "MPI_Iscan"
        let storage = CollectiveStorage(send: send, receive: zeroedArray(T.self, count: send.count))
        storage.resultIsEmpty = exclusive && rank == 0
        let (_, count) = try collectiveArguments(T.self, root: nil, count: send.count, operation: name)
        storage.operation = operation.custom
        return try start(storage, name) { request in
            exclusive
                ? MPI_Iexscan(storage.sendAddress, storage.receiveAddress, count, operation.datatype, operation.handle, handle, request)
                : MPI_Iscan(storage.sendAddress, storage.receiveAddress, count, operation.datatype, operation.handle, handle, request)
        }
    }

    /// Calls the MPI function that starts a collective and wraps its request
    /// with the storage it must keep alive.
    private func start<T, Value>(
        _ storage: CollectiveStorage<T>, _ operation: StaticString,
        _ call: (UnsafeMutablePointer<RequestHandle>) -> CInt
    ) throws -> Request<Value> {
        var request = cmpi_request_null()
        try mpiCall(operation, call(&request))
        return Request(handle: request, elementSize: MemoryLayout<T>.stride, buffer: storage,
                       origin: RequestOrigin(operation), kind: .collective)
    }
}

extension Request {
    /// The same request, its result read as another type (both kinds keep a
    /// CollectiveStorage).
    @usableFromInline
    internal consuming func retyped<Other>() -> Request<Other> {
        let other = Request<Other>(handle: handle, elementSize: elementSize, buffer: buffer,
                                   origin: knownOrigin ?? RequestOrigin("MPI_Wait"),
                                   kind: kind, trimsToMessage: trimsToMessage, swapped: swapped)
        isComplete = true    // ownership moved to `other`
        return other
    }
}
