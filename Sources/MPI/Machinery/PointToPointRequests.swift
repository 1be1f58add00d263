import CMPI

// Starting nonblocking sends and receives: the checks of the blocking forms,
// then one MPI call, then the request that keeps what MPI uses.

extension Communicator {
    @inlinable @inline(__always)
    internal func startSend<Buffer: SendBuffer>(
        _ buffer: Buffer, to destination: Int, tag: Int, synchronously: Bool = false
    ) throws -> Request<Status> {
        let operation: StaticString = synchronously ? "MPI_Issend" : "MPI_Isend"
        let origin = RequestOrigin(operation, peer: destination, tag: tag)
        let destination = try checkedDestination(destination, operation: operation)
        let tag = try checkedSendTag(tag, operation: operation)
        let datatype = try Buffer.Element.checkedDatatype(operation)
        // The pointer stays valid after the closure: the request keeps the
        // same storage and nothing mutates it while the request is pending.
        let (base, count) = buffer.withUnsafeElements { ($0.baseAddress, $0.count) }
        var request = cmpi_request_null()
        try withLargeCount(count, of: datatype, operation: operation) { count, type in
            if synchronously {
                try MPIC.issend(base, count, type, destination, tag, handle, &request)
            } else {
                try MPIC.isend(base, count, type, destination, tag, handle, &request)
            }
        }
        return Request(handle: request, PendingOperation(.send, elementSize: MemoryLayout<Buffer.Element>.stride,
                                                         origin: origin, owner: requestOwner(of: buffer)))
    }

    /// A receive into an owned buffer, which the request keeps as its
    /// result-to-be (so its memory stays alive) and hands back at completion.
    @inlinable @inline(__always)
    internal func startReceive<Buffer: ReceiveBuffer>(
        into buffer: consuming Buffer, from source: Int, tag: Int, trimsToMessage: Bool, isUnchecked: Bool = false
    ) throws -> Request<(Buffer, Status)> {
        var elements = buffer
        // Makes the storage unique (copying it if the caller still shares it),
        // so that MPI's writes are never seen through another buffer.
        let memory = elements.withUnsafeMutableElements { UnsafeMutableRawBufferPointer($0) }
        let (request, operation) = try postReceive(
            into: memory, elementSize: MemoryLayout<Buffer.Element>.stride, element: Buffer.Element.self,
            from: source, tag: tag, trimsToMessage: trimsToMessage, isUnchecked: isUnchecked)
        return Request(handle: request, operation, result: (elements, Status.empty))
    }

    /// A receive into memory the caller owns.
    @inlinable @inline(__always)
    internal func startReceive<Element: MPIElement>(
        into memory: UnsafeMutableRawBufferPointer, element: Element.Type, from source: Int, tag: Int,
        isUnchecked: Bool = false
    ) throws -> Request<Status> {
        let (request, operation) = try postReceive(
            into: memory, elementSize: MemoryLayout<Element>.stride, element: Element.self,
            from: source, tag: tag, isUnchecked: isUnchecked)
        return Request(handle: request, operation)
    }

    @inlinable @inline(__always)
    internal func postReceive<Element: MPIElement>(
        into memory: UnsafeMutableRawBufferPointer, elementSize: Int, element: Element.Type,
        from source: Int, tag: Int, trimsToMessage: Bool = false, isUnchecked: Bool = false
    ) throws -> (RequestHandle, PendingOperation) {
        let origin = RequestOrigin("MPI_Irecv", peer: source, tag: tag)
        let (source, tag) = try checkedReceiveArguments(source: source, tag: tag, element: Element.self,
                                                        operation: "MPI_Irecv")
        var request = cmpi_request_null()
        let work: CompletionWork
        // Only the posting the built MPI uses is inlined (the other is for
        // tests and unsafe receives): both inline would push callers past the
        // optimizer's size limit, and their waits would no longer be inlined.
        let guarded = MPIEnvironmentState.receivesAreGuarded
        if _slowPath(try Element.hasPadding("MPI_Irecv")) {
            // A type with padding is posted as its datatype, which places each element at its stride
            // and ends at the buffer's last element.
            return try postPaddedReceive(into: memory, element: Element.self, source: source, tag: tag,
                                         origin: origin, trimsToMessage: trimsToMessage, request: &request)
        } else if isUnchecked {
            work = .directReceive(try postDirectReceive(into: memory, source: source, tag: tag, request: &request,
                                                        isUnchecked: true))
        } else if BuiltImplementation.overrunsShortReceives ? _fastPath(guarded) : _slowPath(guarded) {
            work = .swappedReceive(BuiltImplementation.overrunsShortReceives
                ? try SwappedReceive.post(into: memory.baseAddress, bytes: memory.count, source: source, tag: tag,
                                          communicator: handle, request: &request)
                : try SwappedReceive.postOutOfLine(into: memory.baseAddress, bytes: memory.count, source: source,
                                                   tag: tag, communicator: handle, request: &request))
        } else {
            work = .directReceive(BuiltImplementation.overrunsShortReceives
                ? try postDirectReceiveOutOfLine(into: memory, source: source, tag: tag, request: &request,
                                                 isUnchecked: false)
                : try postDirectReceive(into: memory, source: source, tag: tag, request: &request,
                                        isUnchecked: false))
        }
        return (request, PendingOperation(.receive, elementSize: elementSize, origin: origin,
                                          trimsToMessage: trimsToMessage, work: work))
    }

    /// MPI_Irecv of `memory` as elements of a type with padding (counted in its data bytes).
    @usableFromInline @inline(never)
    internal func postPaddedReceive<Element: MPIElement>(
        into memory: UnsafeMutableRawBufferPointer, element: Element.Type, source: CInt, tag: CInt,
        origin: RequestOrigin, trimsToMessage: Bool, request: inout RequestHandle
    ) throws -> (RequestHandle, PendingOperation) {
        let capacity = memory.count / MemoryLayout<Element>.stride
        try withLargeCount(capacity, of: Element.mpiDatatype.handle, operation: "MPI_Irecv") { count, type in
            try MPIC.irecv(memory.baseAddress, count, type, source, tag, handle, &request)
        }
        let work = CompletionWork.directReceive(DirectReceive(
            bufferBytes: capacity * (try Element.checkedArrayReceiveUnit("MPI_Irecv")),
            fromNullProcess: source == cmpi_proc_null(), isUnchecked: false))
        return (request, PendingOperation(.receive, elementSize: try Element.checkedArrayReceiveUnit("MPI_Irecv"),
                                          origin: origin, trimsToMessage: trimsToMessage, work: work))
    }
}
