import CMPI

// The one representation of a persistent request (MPI 3.1 section 3.9, and
// MPI-4's persistent collectives): its handle, made once by MPI_Xxx_init and
// started and completed any number of times, the memory MPI reads and writes
// at every start (allocated once, when the request is made, so that a start
// allocates nothing), and for a receive the guard against truncation overrun.
//
// A guarded receive (MPI.truncationGuard == .guarded) is made with a datatype
// covering the buffer's bytes with the first and last swapped, as
// SwappedReceive posts nonblocking receives: MPI must unpack it piece by
// piece and so stops at the buffer's end. The type is the request's own (the
// swapped-type cache may evict types while the request lives); each start
// saves the buffer's last byte, each completion puts the two bytes back.
// The type also covers one byte of the request's own after the buffer, so
// that a longer message shows (see makeReceive). Buffers under 2 bytes go
// through scratch memory.

/// A persistent request's handle, memory and state; shared by the typed
/// wrappers (PersistentRequest, PersistentRequestSet, PersistentCollective),
/// each of which owns its cores alone.
internal final class PersistentCore {
    // Its state is touched several times per start and completion; each
    // request's core is used by one owner at a time (the wrappers are
    // non-copyable), so the dynamic exclusivity checks (measured: a third of
    // a halo step's Swift instructions) are switched off.
    @exclusivity(unchecked) var handle: RequestHandle = cmpi_request_null()
    let kind: RequestKind
    /// The MPI function that made the request (for messages).
    let operation: StaticString
    /// Kept alive while the request lives.
    let communicator: Communicator
    @exclusivity(unchecked) var isActive = false
    @exclusivity(unchecked) var cancelRequested = false
    /// The status of the last completion.
    @exclusivity(unchecked) var lastStatus = Status.empty

    /// The caller's elements: where they are, their bytes, and the bytes per element a status counts.
    let buffer: UnsafeMutableRawPointer?
    let bufferBytes: Int
    let elementSize: Int
    /// Memory this request allocated and frees (its arrays, its scratch bytes).
    @exclusivity(unchecked) var owned: [UnsafeMutableRawPointer] = []
    /// What else must live as long as the request (a reduction's closure).
    @exclusivity(unchecked) var keepAlive: AnyObject?
    /// Makes the request again (the same MPI_Xxx_init call). Open MPI 4.1
    /// frees a persistent request that completes with an error (a
    /// truncation), setting its handle to MPI_REQUEST_NULL, so the request is
    /// made again to stay startable (measured: MPI_Start then fails with
    /// MPI_ERR_REQUEST).
    @exclusivity(unchecked) var remake: ((inout RequestHandle) throws -> Void)?
    /// A copy made at every start, before MPI runs (an all-gather's own block, see persistentAllGather).
    @exclusivity(unchecked) var copyAtStart: (from: UnsafeRawPointer, to: UnsafeMutableRawPointer, bytes: Int)?

    /// For a guarded receive: where MPI writes (the buffer, or scratch), its
    /// size, and the byte saved at each start.
    @exclusivity(unchecked) var swapped = false
    @exclusivity(unchecked) var swappedType: DatatypeHandle = cmpi_datatype_null()
    @exclusivity(unchecked) var target: UnsafeMutableRawPointer?
    @exclusivity(unchecked) var targetBytes = 0
    @exclusivity(unchecked) var scratch: UnsafeMutableRawPointer?
    @exclusivity(unchecked) var savedLastByte: UInt8 = 0
    @exclusivity(unchecked) var fromNullProcess = false
    /// Whether the guarded receive's type covers the sentinel byte after the target.
    @exclusivity(unchecked) var hasSentinel = true
    /// Whether an unguarded receive's type covers a sentinel byte after the buffer.
    @exclusivity(unchecked) var hasPlainSentinel = false

    init(kind: RequestKind, operation: StaticString, communicator: Communicator,
         buffer: UnsafeMutableRawPointer?, bufferBytes: Int, elementSize: Int) {
        self.kind = kind
        self.operation = operation
        self.communicator = communicator
        self.buffer = buffer
        self.bufferBytes = bufferBytes
        self.elementSize = elementSize
    }

    /// Allocates `count` elements of `T` owned by this request, initialized from `elements` (or zero).
    static func allocate<T: MPIElement>(_ elements: UnsafeBufferPointer<T>?, count: Int) -> UnsafeMutableRawPointer {
        let bytes = Swift.max(count * MemoryLayout<T>.stride, 1)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Swift.max(MemoryLayout<T>.alignment, 16))
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        if let elements, let base = elements.baseAddress, count > 0 {
            memory.copyMemory(from: base, byteCount: count * MemoryLayout<T>.stride)
        }
        return memory
    }

    /// Throws unless the request is inactive (so that its memory is the caller's).
    func requireInactive(_ what: @autoclosure () -> String, operation: StaticString) throws {
        guard isActive else { return }
        let what = what()
        throw MPIError(errorClass: .request,
                       message: "\(what): the persistent request is active (started and not completed); "
                           + "wait() or test() for it first",
                       operation: "\(operation)", argument: what)
    }

    // MARK: - Making receives

    /// MPI_Recv_init of the buffer, guarded as MPI.truncationGuard says.
    func makeReceive(source: CInt, tag: CInt, padded: Bool, paddedType: DatatypeHandle, paddedCount: Int) throws {
        fromNullProcess = source == cmpi_proc_null()
        let comm = communicator.handle
        if padded {
            // A type with padding is posted as its datatype, which places each
            // element at its stride and ends at the buffer's last element.
            let buffer = self.buffer
            remake = { handle in
                try withLargeCount(paddedCount, of: paddedType, operation: "MPI_Recv_init") { count, type in
                    try MPIC.recvInit(buffer, count, type, source, tag, comm, &handle)
                }
            }
            try remake!(&handle)
            return
        }
        guard MPIEnvironmentState.receivesAreGuarded else {
            // Posted as bytes (MPICH aborts on partial elements), plus the
            // sentinel byte below: Open MPI 4.1 with put and get off (no guard
            // needed) clips a longer message to a persistent receive's buffer
            // without reporting MPI_ERR_TRUNCATE (measured: the suite's truncation
            // case threw nothing at 1-3 ranks with plain MPI_BYTE posting).
            guard bufferBytes < Int(CInt.max) else {
                let (buffer, bytes) = (self.buffer, bufferBytes)
                remake = { handle in
                    try withLargeCount(bytes, of: cmpi_byte(), operation: "MPI_Recv_init") { count, type in
                        try MPIC.recvInit(buffer, count, type, source, tag, comm, &handle)
                    }
                }
                try remake!(&handle)
                return
            }
            let sentinel = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
            sentinel.storeBytes(of: 0, as: UInt8.self)
            owned.append(sentinel)
            hasPlainSentinel = true
            let base = buffer ?? sentinel
            let sentinelOffset = MPI_Aint(Int(bitPattern: sentinel) - Int(bitPattern: base))
            var lengths: [CInt] = buffer == nil ? [1] : [CInt(bufferBytes), 1]
            var displacements: [MPI_Aint] = buffer == nil ? [0] : [0, sentinelOffset]
            try MPIC.typeCreateHindexed(CInt(lengths.count), &lengths, &displacements, cmpi_byte(), &swappedType)
            try MPIC.typeCommit(&swappedType)
            let type = swappedType
            remake = { handle in try MPIC.recvInit(base, 1, type, source, tag, comm, &handle) }
            try remake!(&handle)
            return
        }
        swapped = true
        // One byte past the buffer, the request's own (a sentinel): the type
        // covers it too, so a longer message is seen as one more byte
        // received. Open MPI 4.1 reports no truncation at all for a rank's
        // messages to itself through the swapped type (measured: 100 bytes
        // into 50 complete with success and 50 bytes), so MPI's code alone
        // cannot be trusted. Buffers under 2 bytes go through scratch.
        let small = bufferBytes < 2 || buffer == nil
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: small ? 3 : 1, alignment: 1)
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: small ? 3 : 1)
        owned.append(scratch)
        let sentinel = small ? scratch + 2 : scratch
        if small {
            self.scratch = scratch
            target = scratch
            targetBytes = 2
        } else {
            target = buffer
            targetBytes = bufferBytes
        }
        if targetBytes <= Int(CInt.max) {
            let sentinelOffset = MPI_Aint(Int(bitPattern: sentinel) - Int(bitPattern: target!))
            // The first byte at the end, the middle in place, the last at the start, then the sentinel.
            var lengths: [CInt] = targetBytes > 2 ? [1, CInt(targetBytes - 2), 1, 1] : [1, 1, 1]
            var displacements: [MPI_Aint] = targetBytes > 2 ? [MPI_Aint(targetBytes - 1), 1, 0, sentinelOffset]
                                                            : [1, 0, sentinelOffset]
            try MPIC.typeCreateHindexed(CInt(lengths.count), &lengths, &displacements, cmpi_byte(), &swappedType)
            try MPIC.typeCommit(&swappedType)
        } else {
            hasSentinel = false
            swappedType = try SwappedByteTypes.largeType(coveringBytes: targetBytes)
        }
        let (target, type) = (self.target, swappedType)
        remake = { handle in try MPIC.recvInit(target, 1, type, source, tag, comm, &handle) }
        try remake!(&handle)
    }

    // MARK: - Starting and completing

    /// What a start does before MPI_Start: a guarded receive saves its target's last byte.
    @inline(__always)
    func prepareStart() {
        if swapped, let target { savedLastByte = target.load(fromByteOffset: targetBytes - 1, as: UInt8.self) }
        if let copy = copyAtStart { copy.to.copyMemory(from: copy.from, byteCount: copy.bytes) }
        cancelRequested = false
    }

    func start() throws {
        try requireInactive("request", operation: "MPI_Start")
        prepareStart()
        try MPIC.start(&handle)
        isActive = true
    }

    var needsStatus: Bool { kind == .receive || cancelRequested }

    func wait() throws -> Status {
        guard isActive else { return lastStatus }
        var status = MPI_Status()
        let code = needsStatus ? try MPIC.waitReturningCode(&handle, &status)
                               : try MPIC.waitReturningCode(&handle, cmpi_status_ignore())
        return try finish(code: code, status: &status, operation: "MPI_Wait")
    }

    func test() throws -> Status? {
        guard isActive else { return lastStatus }
        var status = MPI_Status()
        var flag: CInt = 0
        let code = try MPIC.testReturningCode(&handle, &flag, &status)
        guard flag != 0 || code != cmpi_success() else { return nil }
        return try finish(code: code, status: &status, operation: "MPI_Test")
    }

    func cancel() throws {
        guard isActive, kind != .collective else { return }
        cancelRequested = true
        try MPIC.cancel(&handle)
    }

    /// Puts a guarded receive's bytes back after `received` bytes arrived:
    /// the message's first byte went to the target's end, its last (if it
    /// filled the target) to the start (as SwappedReceive.restoreOrder).
    @inline(__always)
    static func restoreSwappedOrder(_ target: UnsafeMutableRawPointer, targetBytes: Int, received: Int,
                                    savedLastByte: UInt8) {
        let first = target.load(fromByteOffset: targetBytes - 1, as: UInt8.self)
        let last = received >= targetBytes ? target.load(as: UInt8.self) : savedLastByte
        target.storeBytes(of: first, as: UInt8.self)
        target.storeBytes(of: last, toByteOffset: targetBytes - 1, as: UInt8.self)
    }

    /// Records a completion with `code` and `status` (filled when `needsStatus`):
    /// puts a guarded receive's bytes back, and keeps and returns the status, or throws.
    func finish(code: CInt, status: inout MPI_Status, operation: StaticString) throws -> Status {
        isActive = false
        if _slowPath(handle == cmpi_request_null()), let remake { try? remake(&handle) }
        var cancelled: CInt = 0
        if cancelRequested {
            cancelRequested = false
            if kind != .collective { try? MPIC.testCancelled(&status, &cancelled) }
        }
        guard kind == .receive else {
            if code != cmpi_success() { throw MPIError(code: code, operation: operation) }
            lastStatus = cancelled != 0
                ? Status(mpiSource: cmpi_status_source(&status), mpiTag: cmpi_status_tag(&status), byteCount: 0,
                         elementSize: elementSize, isCancelled: true)
                : .empty
            return lastStatus
        }
        if fromNullProcess { MPIC.markFromNullProcess(&status) }
        let code = code
        var received = 0
        if cancelled == 0 {
            received = (try? messageBytes(&status)) ?? targetBytes
        }
        var longer = false
        if swapped, cancelled == 0, let target, received > 0 {
            Self.restoreSwappedOrder(target, targetBytes: targetBytes, received: received, savedLastByte: savedLastByte)
            if let scratch, let buffer, bufferBytes > 0 {
                buffer.copyMemory(from: scratch, byteCount: Swift.min(received, bufferBytes))
            }
            longer = received > bufferBytes
        } else if hasPlainSentinel, cancelled == 0 {
            longer = received > bufferBytes
        }
        if longer || (code != cmpi_success() && isTruncation(code)) {
            lastStatus = .empty
            throw MPIError(
                errorClass: .truncate, code: Int(cmpi_err_truncate()),
                message: "message truncated: a message longer than the receive buffer of \(bufferBytes) bytes "
                    + "from rank \(Wildcards.swiftRank(cmpi_status_source(&status))) with tag "
                    + "\(Wildcards.swiftTag(cmpi_status_tag(&status))); nothing was written past the buffer",
                operation: "\(operation)", argument: "buffer")
        }
        if code != cmpi_success() {
            lastStatus = .empty
            throw MPIError(receiveCode: code, status: &status, bufferBytes: bufferBytes, operation: operation)
        }
        lastStatus = Status(mpiSource: cmpi_status_source(&status), mpiTag: cmpi_status_tag(&status),
                            byteCount: cancelled != 0 ? 0 : Swift.min(received, bufferBytes),
                            elementSize: elementSize, isCancelled: cancelled != 0)
        return lastStatus
    }

    func isTruncation(_ code: CInt) -> Bool {
        var errorClass: CInt = 0
        return MPIC.succeeded(MPIC.errorClassReturningCode(code, &errorClass)) && errorClass == cmpi_err_truncate()
    }

    // MARK: - Freeing

    deinit {
        let resources = PersistentResources(
            handle: handle, isActive: isActive, kind: kind, swappedType: swappedType, owned: owned)
        // The communicator stays alive until the request is freed.
        releaseOnMPIThread((resources, communicator)) { resources, _ in resources.release() }
    }
}

/// What a persistent request frees: the request (completed first if active,
/// a receive cancelled), its swapped type and its memory.
internal struct PersistentResources {
    var handle: RequestHandle
    let isActive: Bool
    let kind: RequestKind
    var swappedType: DatatypeHandle
    let owned: [UnsafeMutableRawPointer]

    func release() {
        var handle = self.handle
        if handle != cmpi_request_null() {
            if isActive {
                var status = MPI_Status()
                completeDroppedRequest(&handle, &status, kind: kind, origin: nil)
            }
            MPIC.releasing { try MPIC.requestFree(&handle) }
        }
        if swappedType != cmpi_datatype_null() {
            var type = swappedType
            MPIC.releasing { try MPIC.typeFree(&type) }
        }
        // After finalization MPI no longer uses the memory either.
        for memory in owned { memory.deallocate() }
    }
}
