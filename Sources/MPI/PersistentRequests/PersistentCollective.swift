import CMPI

extension MPI {
    /// Whether the library has persistent collectives: MPI 4's
    /// MPI_Barrier_init and the others (MPICH 4), or Open MPI's MPIX
    /// extension (pcollreq, MPIX_Barrier_init and the others, in Open MPI
    /// 4.1). Without them the `persistent...` collectives throw.
    public static var supportsPersistentCollectives: Bool { MPIC.hasPersistentCollectives }
}

/// A collective made once and started many times (MPI-4 persistent
/// collectives). Every rank makes the same persistent collectives in the same
/// order, and starts them in the same order.
///
/// It owns its send and result arrays, allocated once: between steps the
/// caller changes the data to send with ``withMutableSendBuffer(_:)`` and
/// reads the result of the last completion with ``withResult(_:)`` or
/// ``result``, which throw while the collective is active.
public struct PersistentCollective<Element: MPIElement>: ~Copyable {
    internal let core: PersistentCore
    internal let send: UnsafeMutableRawPointer?
    /// The number of elements this rank sends.
    public let sendCount: Int
    internal let receive: UnsafeMutableRawPointer?
    /// The number of elements of the result on this rank (0 at a reduction's non-root ranks).
    public let resultCount: Int

    internal init(core: PersistentCore, send: UnsafeMutableRawPointer?, sendCount: Int,
                  receive: UnsafeMutableRawPointer?, resultCount: Int) {
        self.core = core
        self.send = send
        self.sendCount = sendCount
        self.receive = receive
        self.resultCount = resultCount
    }

    /// Whether it has been started and not yet completed.
    public var isActive: Bool { core.isActive }

    /// Starts the collective; throws if it is already active.
    ///
    /// The corresponding C function is `MPI_Start`.
    public func start() throws { try core.start() }

    /// Waits for the started collective to complete; it stays, inactive, to be started again.
    ///
    /// The corresponding C function is `MPI_Wait`.
    public func wait() throws { _ = try core.wait() }

    /// Whether the collective has completed (it is then inactive).
    ///
    /// The corresponding C function is `MPI_Test`.
    public func test() throws -> Bool { try core.test() != nil }

    /// Calls `body` with the data to send (a broadcast's buffer, which is
    /// also its result), to change between steps; throws while active.
    public func withMutableSendBuffer<R>(_ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R) throws -> R {
        try core.requireInactive("buffer", operation: "MPI_Start")
        var elements = UnsafeMutableBufferPointer(start: send?.assumingMemoryBound(to: Element.self), count: sendCount)
        let base = elements.baseAddress
        defer { precondition(elements.baseAddress == base, "withMutableSendBuffer: the buffer must not be replaced") }
        return try body(&elements)
    }

    /// Calls `body` with the result of the last completion; throws while active.
    public func withResult<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) throws -> R {
        try core.requireInactive("result", operation: "MPI_Wait")
        return try body(UnsafeBufferPointer(start: receive?.assumingMemoryBound(to: Element.self), count: resultCount))
    }

    /// A copy of the result of the last completion; throws while active.
    public var result: [Element] {
        get throws { try withResult { Array($0) } }
    }
}

/// A barrier made once and started many times (MPI-4 persistent collectives).
public struct PersistentBarrier: ~Copyable {
    internal let core: PersistentCore

    /// Whether it has been started and not yet completed.
    public var isActive: Bool { core.isActive }

    /// Starts the barrier; throws if it is already active.
    ///
    /// The corresponding C function is `MPI_Start`.
    public func start() throws { try core.start() }

    /// Waits until every rank has started it.
    ///
    /// The corresponding C function is `MPI_Wait`.
    public func wait() throws { _ = try core.wait() }

    /// Whether every rank has started it (it is then inactive).
    ///
    /// The corresponding C function is `MPI_Test`.
    public func test() throws -> Bool { try core.test() != nil }
}

extension Communicator {
    /// A persistent barrier.
    ///
    /// The corresponding C function is `MPI_Barrier_init` (`MPIX_Barrier_init` under Open MPI 4.1).
    public func persistentBarrier() throws -> PersistentBarrier {
        try requirePersistentCollectives("MPI_Barrier_init")
        let core = PersistentCore(kind: .collective, operation: "MPI_Barrier_init", communicator: self, buffer: nil,
                                  bufferBytes: 0, elementSize: 1)
        try MPIC.barrierInit(handle, &core.handle)
        return PersistentBarrier(core: core)
    }

    /// A persistent broadcast of `buffer` (root's data; every rank passes as
    /// many elements) from `root`; the result is the same array.
    ///
    /// The corresponding C function is `MPI_Bcast_init` (`MPIX_Bcast_init` under Open MPI 4.1).
    public func persistentBroadcast<T: MPIElement>(_ buffer: [T], root: Int) throws -> PersistentCollective<T> {
        let operation: StaticString = "MPI_Bcast_init"
        try requirePersistentCollectives(operation)
        let root = try checkedRoot(root, operation: operation)
        let count = try checkedCount(buffer.count, "buffer.count", operation: operation)
        let datatype = try T.checkedDatatype(operation)
        let (core, memory) = makeCollectiveCore(operation, buffer)
        try MPIC.bcastInit(memory, count, datatype, root, handle, &core.handle)
        return PersistentCollective(core: core, send: memory, sendCount: buffer.count, receive: memory,
                                    resultCount: buffer.count)
    }

    /// A persistent reduction of every rank's `send` element by element with
    /// `operation`, whose result is at `root` (empty elsewhere).
    ///
    /// The corresponding C function is `MPI_Reduce_init` (`MPIX_Reduce_init` under Open MPI 4.1).
    public func persistentReduce<T: MPIElement>(
        _ send: [T], _ operation: ReductionOperation<T>, root: Int
    ) throws -> PersistentCollective<T> {
        let name: StaticString = "MPI_Reduce_init"
        try requirePersistentCollectives(name)
        let root = try checkedRoot(root, operation: name)
        let count = try checkedCount(send.count, "send.count", operation: name)
        _ = try T.checkedDatatype(name)
        try checkedOperation(operation, name)
        let (core, sendMemory) = makeCollectiveCore(name, send)
        let resultCount = CInt(rank) == root ? send.count : 0
        let receive = PersistentCore.allocate(nil as UnsafeBufferPointer<T>?, count: resultCount)
        core.owned.append(receive)
        core.keepAlive = operation.custom
        try MPIC.reduceInit(sendMemory, receive, count, operation.datatype, operation.handle, root, handle, &core.handle)
        return PersistentCollective(core: core, send: sendMemory, sendCount: send.count, receive: receive,
                                    resultCount: resultCount)
    }

    /// A persistent all-reduce: every rank's `send` combined element by
    /// element with `operation`, the result on every rank.
    ///
    /// The corresponding C function is `MPI_Allreduce_init` (`MPIX_Allreduce_init` under Open MPI 4.1).
    public func persistentAllReduce<T: MPIElement>(
        _ send: [T], _ operation: ReductionOperation<T>
    ) throws -> PersistentCollective<T> {
        let name: StaticString = "MPI_Allreduce_init"
        try requirePersistentCollectives(name)
        let count = try checkedCount(send.count, "send.count", operation: name)
        _ = try T.checkedDatatype(name)
        try checkedOperation(operation, name)
        let (core, sendMemory) = makeCollectiveCore(name, send)
        let receive = PersistentCore.allocate(nil as UnsafeBufferPointer<T>?, count: send.count)
        core.owned.append(receive)
        core.keepAlive = operation.custom
        try MPIC.allreduceInit(sendMemory, receive, count, operation.datatype, operation.handle, handle, &core.handle)
        return PersistentCollective(core: core, send: sendMemory, sendCount: send.count, receive: receive,
                                    resultCount: send.count)
    }

    /// A persistent all-gather: every rank's `send` (all as long), concatenated in rank order on every rank.
    ///
    /// The corresponding C function is `MPI_Allgather_init` (`MPIX_Allgather_init` under Open MPI 4.1;
    /// under MPICH `MPI_Allreduce_init` with `MPI_BOR` over bytes, see below).
    public func persistentAllGather<T: MPIElement>(_ send: [T]) throws -> PersistentCollective<T> {
        let name: StaticString = "MPI_Allgather_init"
        try requirePersistentCollectives(name)
        let count = try checkedCount(send.count, "send.count", operation: name)
        _ = try checkedCount(send.count * size, "send.count * size", operation: name)
        let datatype = try T.checkedDatatype(name)
        let (core, sendMemory) = makeCollectiveCore(name, send)
        let receive = PersistentCore.allocate(nil as UnsafeBufferPointer<T>?, count: send.count * size)
        core.owned.append(receive)
        if BuiltImplementation.persistentAllGatherSendsStaleData {
            // MPICH 4.0.2's MPI_Allgather_init over 2 ranks keeps sending one
            // rank's data as it was at the first start (measured; in place
            // too). So there it is an all-reduce with MPI_BOR over the bytes of
            // a buffer holding this rank's block (copied in at every start)
            // and zeros, which gives every rank's block exactly.
            let own = send.count * MemoryLayout<T>.stride
            let contribution = PersistentCore.allocate(nil as UnsafeBufferPointer<T>?, count: send.count * size)
            core.owned.append(contribution)
            core.copyAtStart = (UnsafeRawPointer(sendMemory), contribution + rank * own, own)
            let bytes = try checkedCount(own * size, "send.count * size", operation: name)
            try MPIC.allreduceInit(contribution, receive, bytes, cmpi_byte(), cmpi_bor(), handle, &core.handle)
        } else {
            try MPIC.allgatherInit(sendMemory, count, datatype, receive, handle, &core.handle)
        }
        return PersistentCollective(core: core, send: sendMemory, sendCount: send.count, receive: receive,
                                    resultCount: send.count * size)
    }

    /// A persistent all-to-all: `send` holds `size` equal blocks, block `i`
    /// going to rank `i`; the result holds block `rank` of every rank's, in rank order.
    ///
    /// The corresponding C function is `MPI_Alltoall_init` (`MPIX_Alltoall_init` under Open MPI 4.1).
    public func persistentAllToAll<T: MPIElement>(_ send: [T]) throws -> PersistentCollective<T> {
        let name: StaticString = "MPI_Alltoall_init"
        try requirePersistentCollectives(name)
        guard send.count % size == 0 else {
            throw MPIError.invalidArgument("send.count", send.count, "must be a multiple of the size (\(size))",
                                           errorClass: .count, operation: name)
        }
        let block = try checkedCount(send.count / size, "send.count / size", operation: name)
        let datatype = try T.checkedDatatype(name)
        let (core, sendMemory) = makeCollectiveCore(name, send)
        let receive = PersistentCore.allocate(nil as UnsafeBufferPointer<T>?, count: send.count)
        core.owned.append(receive)
        try MPIC.alltoallInit(sendMemory, block, datatype, receive, handle, &core.handle)
        return PersistentCollective(core: core, send: sendMemory, sendCount: send.count, receive: receive,
                                    resultCount: send.count)
    }

    // MARK: - Machinery

    internal func requirePersistentCollectives(_ operation: StaticString) throws {
        try MPIEnvironmentState.requireCallable(operation)
        guard MPIC.hasPersistentCollectives else {
            throw MPIError(errorClass: .other,
                           message: "persistent collectives need MPI 4 (\(operation)) or Open MPI's MPIX "
                               + "persistent-collective extension (pcollreq); this MPI library has neither",
                           operation: "\(operation)")
        }
    }

    internal func checkedOperation<T>(_ operation: ReductionOperation<T>, _ name: StaticString) throws {
        guard operation.handle != cmpi_op_null() else {
            throw MPIError.invalidArgument("operation", operation.name, "is not a valid MPI operation",
                                           errorClass: .operation, operation: name)
        }
    }

    /// The core of a collective with its own copy of `elements` (the send side).
    internal func makeCollectiveCore<T: MPIElement>(
        _ operation: StaticString, _ elements: [T]
    ) -> (PersistentCore, UnsafeMutableRawPointer) {
        let memory = elements.withUnsafeBufferPointer { PersistentCore.allocate($0, count: elements.count) }
        let core = PersistentCore(kind: .collective, operation: operation, communicator: self, buffer: memory,
                                  bufferBytes: elements.count * MemoryLayout<T>.stride,
                                  elementSize: MemoryLayout<T>.stride)
        core.owned.append(memory)
        return (core, memory)
    }
}
