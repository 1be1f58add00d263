import CMPI

// Truncation safety for nonblocking receives.
//
// A nonblocking receive must be posted at once (a matched probe would change
// the order receives match in, and could deadlock a rendezvous sender), so
// its size cannot be checked first. Open MPI 4.1's zero-copy paths write a
// long message past the end of a contiguous receive buffer; they are taken
// only for contiguous receive types. So the receive is posted with a type
// that covers exactly the buffer's bytes but in another order: the first and
// last byte swapped (blocks {1 byte at cap-1, cap-2 bytes at 1, 1 byte at 0}).
// MPI must then unpack piece by piece, and the unpacking stops at the type's
// size. After completion the two bytes are put back. This is standard MPI: on
// any implementation the result is the plain receive's, and nothing past the
// buffer is written. Receives of fewer than 2 bytes go through 2 bytes of
// scratch memory.

/// A nonblocking receive posted through the byte-swapping datatype (small:
/// a request carries it until completion).
@usableFromInline
internal struct SwappedReceive {
    /// The caller's buffer, and its size in bytes.
    @usableFromInline let buffer: UnsafeMutableRawPointer?
    @usableFromInline let bufferBytes: Int
    /// Where MPI writes instead when the buffer is shorter than 2 bytes.
    @usableFromInline let scratch: UnsafeMutableRawPointer?
    /// The last byte MPI's target had before posting, restored after a short message.
    @usableFromInline let savedLastByte: UInt8
    /// Whether the receive is from MPI_PROC_NULL, whose status MPICH 4.0
    /// leaves as source 0 and tag 0 instead of MPI_PROC_NULL and MPI_ANY_TAG.
    @usableFromInline let fromNullProcess: Bool

    @inlinable @inline(__always)
    init(buffer: UnsafeMutableRawPointer?, bufferBytes: Int, scratch: UnsafeMutableRawPointer?, savedLastByte: UInt8,
         fromNullProcess: Bool) {
        self.buffer = buffer
        self.bufferBytes = bufferBytes
        self.scratch = scratch
        self.savedLastByte = savedLastByte
        self.fromNullProcess = fromNullProcess
    }

    /// Where MPI writes, and how many bytes the posted type covers (at least 2).
    @inlinable var target: UnsafeMutableRawPointer { scratch ?? buffer! }
    @inlinable var targetBytes: Int { scratch == nil ? bufferBytes : 2 }

    /// Posts the receive; `buffer` must stay valid until `finish` is called.
    @inlinable @inline(__always)
    static func post(
        into buffer: UnsafeMutableRawPointer?, bytes: Int, source: CInt, tag: CInt,
        communicator: CommunicatorHandle, request: inout RequestHandle
    ) throws -> SwappedReceive {
        guard _fastPath(bytes >= 2 && bytes <= Int(CInt.max)), let buffer else {
            return try postUnusual(into: buffer, bytes: bytes, source: source, tag: tag, communicator: communicator,
                                   request: &request)
        }
        let saved = buffer.load(fromByteOffset: bytes - 1, as: UInt8.self)
        try SwappedByteTypes.withType(coveringBytes: bytes) { datatype in
            try MPIC.irecv(buffer, 1, datatype, source, tag, communicator, &request)
        }
        return SwappedReceive(buffer: buffer, bufferBytes: bytes, scratch: nil, savedLastByte: saved,
                              fromNullProcess: source == cmpi_proc_null())
    }

    /// The same, not inlined.
    @usableFromInline @inline(never)
    static func postOutOfLine(
        into buffer: UnsafeMutableRawPointer?, bytes: Int, source: CInt, tag: CInt,
        communicator: CommunicatorHandle, request: inout RequestHandle
    ) throws -> SwappedReceive {
        try post(into: buffer, bytes: bytes, source: source, tag: tag, communicator: communicator, request: &request)
    }

    /// Posts a receive into fewer than 2 bytes (through scratch memory) or
    /// more than Int32.max bytes (through a type made for it).
    @usableFromInline
    static func postUnusual(
        into buffer: UnsafeMutableRawPointer?, bytes: Int, source: CInt, tag: CInt,
        communicator: CommunicatorHandle, request: inout RequestHandle
    ) throws -> SwappedReceive {
        let usesScratch = bytes < 2 || buffer == nil
        let scratch = usesScratch ? UnsafeMutableRawPointer.allocate(byteCount: 2, alignment: 1) : nil
        if let scratch { scratch.storeBytes(of: 0, as: UInt16.self) }
        let target = scratch ?? buffer!
        let targetBytes = usesScratch ? 2 : bytes
        let saved = target.load(fromByteOffset: targetBytes - 1, as: UInt8.self)
        do {
            if targetBytes <= Int(CInt.max) {
                try SwappedByteTypes.withType(coveringBytes: targetBytes) { datatype in
                    try MPIC.irecv(target, 1, datatype, source, tag, communicator, &request)
                }
            } else {
                // Beyond Int32.max bytes: made for this receive, and freed once posted.
                var datatype = try SwappedByteTypes.largeType(coveringBytes: targetBytes)
                defer { MPIC.releasing { try MPIC.typeFree(&datatype) } }
                try MPIC.irecv(target, 1, datatype, source, tag, communicator, &request)
            }
        } catch {
            scratch?.deallocate()
            throw error
        }
        return SwappedReceive(buffer: buffer, bufferBytes: bytes, scratch: scratch, savedLastByte: saved,
                              fromNullProcess: source == cmpi_proc_null())
    }

    /// Puts the buffer's bytes in order once the receive has completed and
    /// turns MPI's result into this package's: `code` is what MPI returned for
    /// the request, `status` its status. Returns the code to report.
    @usableFromInline
    func finish(code: CInt, status: inout MPI_Status, checkCancelled: Bool) -> CInt {
        var receivedBytes = 0
        return finish(code: code, status: &status, checkCancelled: checkCancelled, receivedBytes: &receivedBytes)
    }

    /// The same, also telling the message's size (so that its status need
    /// not ask MPI again).
    @inlinable @inline(__always)
    func finish(code: CInt, status: inout MPI_Status, checkCancelled: Bool, receivedBytes: inout Int) -> CInt {
        guard _fastPath(scratch == nil && !fromNullProcess && !checkCancelled), let buffer else {
            return finishUnusually(code: code, status: &status, checkCancelled: checkCancelled,
                                   receivedBytes: &receivedBytes)
        }
        if _fastPath(MPIEnvironmentState.statusBytesAreReadable) {
            receivedBytes = Int(cmpi_status_recorded_bytes(&status))
        } else {
            var count: CInt = 0
            guard MPIC.getCountReturningCode(&status, cmpi_byte(), &count) == cmpi_success()
                      && count != cmpi_undefined() else {
                return finishUnusually(code: code, status: &status, checkCancelled: checkCancelled,
                                       receivedBytes: &receivedBytes)
            }
            receivedBytes = Int(count)
        }
        restoreOrder(buffer, bytes: bufferBytes, received: receivedBytes)
        return code
    }

    /// Puts back the two swapped bytes of `target` (`bytes` long) after a
    /// message of `received` bytes: its first byte went to the end, its last
    /// (if it filled the target) to the start, or else the start is untouched.
    @inlinable @inline(__always)
    func restoreOrder(_ target: UnsafeMutableRawPointer, bytes: Int, received: Int) {
        guard received > 0 else { return }
        let first = target.load(fromByteOffset: bytes - 1, as: UInt8.self)
        let last = received >= bytes ? target.load(as: UInt8.self) : savedLastByte
        target.storeBytes(of: first, as: UInt8.self)
        target.storeBytes(of: last, toByteOffset: bytes - 1, as: UInt8.self)
    }

    /// The same for every other case: scratch memory, the null process, a
    /// cancellation to ask about, a size beyond Int32.max bytes.
    @usableFromInline
    func finishUnusually(code: CInt, status: inout MPI_Status, checkCancelled: Bool, receivedBytes: inout Int) -> CInt {
        if fromNullProcess {
            MPIC.markFromNullProcess(&status)
        }
        let target = self.target, targetBytes = self.targetBytes
        let n = (try? messageBytes(&status)) ?? targetBytes
        receivedBytes = n
        var cancelled: CInt = 0
        if checkCancelled { try? MPIC.testCancelled(&status, &cancelled) }
        if cancelled == 0 { restoreOrder(target, bytes: targetBytes, received: n) }
        guard let scratch else { return code }
        // Scratch memory: hand over what fits, and judge truncation by the caller's size.
        defer { scratch.deallocate() }
        if let buffer, bufferBytes > 0, cancelled == 0 {
            buffer.copyMemory(from: scratch, byteCount: min(n, bufferBytes))
        }
        return n > bufferBytes && cancelled == 0 ? cmpi_err_truncate() : code
    }
}

/// The byte-swapping datatypes, one per buffer size, made once and kept
/// (creating one costs about 0.3 us and allocates; a loop over one buffer
/// size must do neither per message).
@usableFromInline
internal enum SwappedByteTypes {
    private static let cache = Locked<[Int: DatatypeHandle]>([:])
    private static let limit = 64

    // The last type handed out, checked first without the lock when only one
    // thread calls MPI at a time (below MPI_THREAD_MULTIPLE it is never set):
    // a loop over one buffer size then costs a comparison per receive.
    // Constant initial values, so that reading them needs no lazy-global check.
    @usableFromInline @exclusivity(unchecked) nonisolated(unsafe) static var lastBytes = -1
    @usableFromInline @exclusivity(unchecked) nonisolated(unsafe) static var lastType: DatatypeHandle? = nil

    /// Calls `post` with the type covering `bytes` bytes, which stays valid
    /// while `post` runs.
    @inlinable @inline(__always)
    static func withType<R>(coveringBytes bytes: Int, _ post: (DatatypeHandle) throws -> R) throws -> R {
        if _fastPath(bytes == lastBytes), let lastType { return try post(lastType) }
        return try withTypeLookingUp(coveringBytes: bytes, post)
    }

    /// The same, through the cache.
    ///
    /// At MPI_THREAD_MULTIPLE another thread may evict the type from the cache,
    /// and free it, as soon as the lock is released; so `post` runs under the
    /// lock (MPI keeps a type that a pending receive uses, so it only has to
    /// be valid until MPI_Irecv returns).
    @usableFromInline
    static func withTypeLookingUp<R>(coveringBytes bytes: Int, _ post: (DatatypeHandle) throws -> R) throws -> R {
        guard MPIEnvironmentState.providedThreadLevel != .multiple else {
            return try cache.withLock { types in try post(try cachedType(coveringBytes: bytes, in: &types)) }
        }
        let type = try cache.withLock { types in try cachedType(coveringBytes: bytes, in: &types) }
        lastType = type
        lastBytes = bytes
        return try post(type)
    }

    /// Frees every cached type; called by MPI.finalize (MPICH reports types
    /// still allocated at finalize as leaked).
    static func freeAll() {
        cache.withLock { types in
            for (_, type) in types {
                var type = type
                MPIC.releasing { try MPIC.typeFree(&type) }
            }
            types.removeAll()
        }
        lastBytes = -1
        lastType = nil
    }

    /// The byte-swapping type for a buffer beyond Int32.max bytes, whose middle
    /// block is a large-count type; not cached, the caller frees it.
    @usableFromInline
    static func largeType(coveringBytes bytes: Int) throws -> DatatypeHandle {
        var middle = try largeCountDatatype(bytes - 2, of: cmpi_byte(), operation: "MPI_Irecv")
        defer { MPIC.releasing { try MPIC.typeFree(&middle) } }
        var lengths: [CInt] = [1, 1, 1]
        var displacements: [MPI_Aint] = [MPI_Aint(bytes - 1), 1, 0]
        var types: [DatatypeHandle] = [cmpi_byte(), middle, cmpi_byte()]
        var type = cmpi_datatype_null()
        try MPIC.typeCreateStruct(3, &lengths, &displacements, &types, &type)
        try MPIC.typeCommit(&type)
        return type
    }

    private static func cachedType(coveringBytes bytes: Int, in types: inout [Int: DatatypeHandle]) throws -> DatatypeHandle {
        if let type = types[bytes] { return type }
        var lengths: [CInt] = [1, CInt(bytes - 2), 1]
        var displacements: [MPI_Aint] = [MPI_Aint(bytes - 1), 1, 0]
        var type = cmpi_datatype_null()
        try MPIC.typeCreateHindexed(3, &lengths, &displacements, cmpi_byte(), &type)
        try MPIC.typeCommit(&type)
        if types.count >= limit, let evicted = types.first(where: { $0.key != lastBytes }) {
            // A pending receive may still use it; MPI frees it once that completes.
            var old = evicted.value
            try? MPIC.typeFree(&old)
            types.removeValue(forKey: evicted.key)
        }
        types[bytes] = type
        return type
    }
}
