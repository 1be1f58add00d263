import CMPI

/// A point-to-point operation made once and started many times (a
/// persistent request, MPI 3.1 section 3.9).
///
/// The request owns its buffer: the array given when it is made is copied
/// once into memory that stays put for the request's whole life, so that
/// ``start()`` allocates nothing. Between a start and its completion
/// (``wait()``, or ``test()`` returning a status) the request is *active*
/// and MPI reads or writes that memory, so ``withBuffer(_:)``,
/// ``withMutableBuffer(_:)`` and ``buffer`` throw then; while inactive, the
/// caller fills a send buffer or reads a receive buffer through them.
///
/// A receive never writes past its buffer: a longer message throws an
/// ``MPIError`` of class `.truncate` at completion (guarded as
/// `MPI.truncationGuard` says, as nonblocking receives are).
///
/// Dropping the request frees it (MPI_Request_free); an active receive is
/// cancelled and an active send waited for first, as for ``Request``.
public struct PersistentRequest<Element: MPIElement>: ~Copyable {
    internal let core: PersistentCore
    /// The number of elements in the buffer.
    public let count: Int

    internal init(core: PersistentCore, count: Int) {
        self.core = core
        self.count = count
    }

    /// Whether the request has been started and not yet completed.
    public var isActive: Bool { core.isActive }

    /// Starts the operation; throws if it is already active.
    ///
    /// The corresponding C function is `MPI_Start`.
    public func start() throws {
        try core.start()
    }

    /// Waits for the started operation to complete and returns its status
    /// (for a receive: source, tag and count); the request stays, inactive,
    /// to be started again. Returns the last status if it is not active.
    ///
    /// The corresponding C function is `MPI_Wait`.
    @discardableResult
    public func wait() throws -> Status {
        try core.wait()
    }

    /// The status if the operation has completed (the request is then
    /// inactive), else nil.
    ///
    /// The corresponding C function is `MPI_Test`.
    public func test() throws -> Status? {
        try core.test()
    }

    /// Asks MPI to cancel the active operation; ``wait()`` then completes it
    /// and its status says whether the cancellation succeeded.
    ///
    /// The corresponding C function is `MPI_Cancel`.
    public func cancel() throws {
        try core.cancel()
    }

    /// The status of the last completion.
    public var lastStatus: Status { core.lastStatus }

    /// Calls `body` with the buffer to read; throws while the request is active.
    public func withBuffer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) throws -> R {
        try core.requireInactive("buffer", operation: "MPI_Start")
        return try body(UnsafeBufferPointer(start: core.buffer?.assumingMemoryBound(to: Element.self), count: count))
    }

    /// Calls `body` with the buffer to change (the data of the next send, or
    /// the last message received); throws while the request is active.
    public func withMutableBuffer<R>(_ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R) throws -> R {
        try core.requireInactive("buffer", operation: "MPI_Start")
        var elements = UnsafeMutableBufferPointer(start: core.buffer?.assumingMemoryBound(to: Element.self),
                                                  count: count)
        let base = elements.baseAddress
        defer { precondition(elements.baseAddress == base && elements.count == count,
                             "withMutableBuffer: the buffer must not be replaced") }
        return try body(&elements)
    }

    /// A copy of the buffer; throws while the request is active.
    public var buffer: [Element] {
        get throws { try withBuffer { Array($0) } }
    }
}

extension Communicator {
    /// A persistent standard-mode send of a copy of `buffer` to `destination`
    /// (`MPI.processNull` sends nothing), started by ``PersistentRequest/start()``.
    ///
    /// The corresponding C function is `MPI_Send_init`.
    public func persistentSend<Element: MPIElement>(
        _ buffer: [Element], to destination: Int, tag: Int = 0
    ) throws -> PersistentRequest<Element> {
        try makePersistentSend(buffer, to: destination, tag: tag, synchronously: false)
    }

    /// A persistent synchronous send (completes only once the matching
    /// receive has started) of a copy of `buffer` to `destination`.
    ///
    /// The corresponding C function is `MPI_Ssend_init`.
    public func persistentSynchronousSend<Element: MPIElement>(
        _ buffer: [Element], to destination: Int, tag: Int = 0
    ) throws -> PersistentRequest<Element> {
        try makePersistentSend(buffer, to: destination, tag: tag, synchronously: true)
    }

    /// A persistent receive of up to `buffer.count` elements from `source`
    /// with `tag` into the request's own copy of `buffer`, read after each
    /// completion with ``PersistentRequest/withBuffer(_:)``. A longer message
    /// throws a `.truncate` error at completion, with nothing written past the buffer.
    ///
    /// The corresponding C function is `MPI_Recv_init`.
    public func persistentReceive<Element: MPIElement>(
        into buffer: [Element], from source: Int = MPI.anySource, tag: Int = MPI.anyTag
    ) throws -> PersistentRequest<Element> {
        let (source, tag) = try checkedReceiveArguments(source: source, tag: tag, element: Element.self,
                                                        operation: "MPI_Recv_init")
        let memory = buffer.withUnsafeBufferPointer { PersistentCore.allocate($0, count: buffer.count) }
        return try makePersistentReceive(into: memory, ownsMemory: true, count: buffer.count, source: source, tag: tag)
    }

    /// A persistent send of the caller's memory, which must stay valid and
    /// hold the data to send at every start, until the request is dropped.
    ///
    /// The corresponding C function is `MPI_Send_init`.
    public func unsafePersistentSend<Element: MPIElement>(
        _ buffer: UnsafeBufferPointer<Element>, to destination: Int, tag: Int = 0
    ) throws -> PersistentRequest<Element> {
        try makePersistentSend(memory: UnsafeMutableRawPointer(mutating: buffer.baseAddress), ownsMemory: false,
                               count: buffer.count, Element.self, to: destination, tag: tag, synchronously: false)
    }

    /// A persistent receive into the caller's memory, which must stay valid
    /// until the request is dropped (and must not be touched while it is
    /// active). Guarded against truncation as ``persistentReceive(into:from:tag:)``.
    ///
    /// The corresponding C function is `MPI_Recv_init`.
    public func unsafePersistentReceive<Element: MPIElement>(
        into buffer: UnsafeMutableBufferPointer<Element>, from source: Int = MPI.anySource, tag: Int = MPI.anyTag
    ) throws -> PersistentRequest<Element> {
        let (source, tag) = try checkedReceiveArguments(source: source, tag: tag, element: Element.self,
                                                        operation: "MPI_Recv_init")
        return try makePersistentReceive(into: UnsafeMutableRawPointer(buffer.baseAddress), ownsMemory: false,
                                         count: buffer.count, source: source, tag: tag)
    }

    // MARK: - Machinery

    internal func makePersistentSend<Element: MPIElement>(
        _ buffer: [Element], to destination: Int, tag: Int, synchronously: Bool
    ) throws -> PersistentRequest<Element> {
        let operation: StaticString = synchronously ? "MPI_Ssend_init" : "MPI_Send_init"
        _ = try checkedDestination(destination, operation: operation)
        _ = try checkedSendTag(tag, operation: operation)
        let memory = buffer.withUnsafeBufferPointer { PersistentCore.allocate($0, count: buffer.count) }
        return try makePersistentSend(memory: memory, ownsMemory: true, count: buffer.count, Element.self,
                                      to: destination, tag: tag, synchronously: synchronously)
    }

    internal func makePersistentSend<Element: MPIElement>(
        memory: UnsafeMutableRawPointer?, ownsMemory: Bool, count: Int, _ element: Element.Type,
        to destination: Int, tag: Int, synchronously: Bool
    ) throws -> PersistentRequest<Element> {
        let operation: StaticString = synchronously ? "MPI_Ssend_init" : "MPI_Send_init"
        let core = PersistentCore(kind: .send, operation: operation, communicator: self, buffer: memory,
                                  bufferBytes: count * MemoryLayout<Element>.stride,
                                  elementSize: MemoryLayout<Element>.stride)
        if ownsMemory, let memory { core.owned.append(memory) }
        let destination = try checkedDestination(destination, operation: operation)
        let tag = try checkedSendTag(tag, operation: operation)
        let datatype = try Element.checkedDatatype(operation)
        let comm = handle
        core.remake = { request in
            try withLargeCount(count, of: datatype, operation: operation) { count, type in
                if synchronously {
                    try MPIC.ssendInit(memory, count, type, destination, tag, comm, &request)
                } else {
                    try MPIC.sendInit(memory, count, type, destination, tag, comm, &request)
                }
            }
        }
        try core.remake!(&core.handle)
        return PersistentRequest(core: core, count: count)
    }

    internal func makePersistentReceive<Element: MPIElement>(
        into memory: UnsafeMutableRawPointer?, ownsMemory: Bool, count: Int, source: CInt, tag: CInt
    ) throws -> PersistentRequest<Element> {
        let padded = try Element.hasPadding("MPI_Recv_init")
        let unit = padded ? try Element.checkedArrayReceiveUnit("MPI_Recv_init") : MemoryLayout<Element>.stride
        let core = PersistentCore(kind: .receive, operation: "MPI_Recv_init", communicator: self, buffer: memory,
                                  bufferBytes: count * unit, elementSize: unit)
        if ownsMemory, let memory { core.owned.append(memory) }
        try core.makeReceive(source: source, tag: tag, padded: padded, paddedType: Element.mpiDatatype.handle,
                             paddedCount: count)
        return PersistentRequest(core: core, count: count)
    }
}
