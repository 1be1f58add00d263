import CMPI

// Large object messages without the copies around them.
//
// Sending: an encoding whose large arrays of numbers were left in place
// (SegmentedEncoding) goes out as one message through a datatype of absolute
// addresses (MPI_Type_create_hindexed from MPI_BOTTOM) that covers its bytes
// and the arrays' memory in order: the same bytes as the copied encoding, one
// copy fewer. Receiving: a large message is received into one buffer kept for
// the next, so that MPI writes into memory already mapped; the decoded arrays
// are the one copy out.

/// Arrays of numbers of this many bytes and more travel in place.
internal let objectSegmentThreshold = 32 << 10

extension SegmentedEncoding {
    /// Runs `body` with a committed datatype, relative to MPI_BOTTOM, of the
    /// message's bytes in `range` (freed after `body`: MPI lets a pending
    /// operation go on using a freed type).
    func withDatatype<R>(covering range: Range<Int>, operation: StaticString, _ body: (DatatypeHandle) throws -> R) throws -> R {
        try withPieces { pieces in try withPiecesDatatype(pieces, covering: range, operation: operation, body) }
    }
}

/// Runs `body` with a committed datatype, relative to MPI_BOTTOM, of the bytes
/// in `range` of the message laid out as `pieces` one after another (freed
/// after `body`).
internal func withPiecesDatatype<R>(
    _ pieces: [(UnsafeRawPointer, Int)], covering range: Range<Int>, operation: StaticString,
    _ body: (DatatypeHandle) throws -> R
) throws -> R {
    var lengths: [CInt] = []
    var displacements: [MPI_Aint] = []
    var offset = 0
    for (base, count) in pieces {
        let overlap = max(offset, range.lowerBound)..<max(offset, range.lowerBound, min(offset + count, range.upperBound))
        var start = overlap.lowerBound
        // Block lengths are C ints: blocks of at most 2^30 bytes.
        while start < overlap.upperBound {
            let length = min(overlap.upperBound - start, 1 << 30)
            var address: MPI_Aint = 0
            try MPIC.getAddress(base + (start - offset), &address)
            lengths.append(CInt(length))
            displacements.append(address)
            start += length
        }
        offset += count
    }
    guard let blocks = CInt(exactly: lengths.count) else {
        throw MPIError.invalidArgument("object", "\(lengths.count) blocks", "is too large for one MPI datatype",
                                       errorClass: .count, operation: operation)
    }
    var type = cmpi_datatype_null()
    try MPIC.typeCreateHindexed(blocks, &lengths, &displacements, cmpi_byte(), &type)
    defer { MPIC.releasing { try MPIC.typeFree(&type) } }
    try MPIC.typeCommit(&type)
    return try body(type)
}

/// What a nonblocking send of a segmented encoding keeps alive: its bytes and arrays.
internal final class KeptEncoding {
    let encoding: SegmentedEncoding
    init(_ encoding: SegmentedEncoding) { self.encoding = encoding }
}

/// One receive buffer for large object messages, reused so that MPI does not
/// write every large message into freshly mapped memory (a page fault per
/// 4 KiB). A buffer in use by another thread is not waited for: that receive
/// allocates its own. Buffers beyond `largestKept` are not kept.
internal enum ObjectReceiveBuffer {
    static let smallest = 1 << 16
    static let largestKept = 1 << 26
    private static let kept = Locked<[UInt8]?>(nil)

    /// A buffer of at least `bytes` bytes (its contents undefined).
    static func take(_ bytes: Int) -> [UInt8] {
        if let buffer = kept.withLock({ kept -> [UInt8]? in
            guard let buffer = kept, buffer.count >= bytes else { return nil }
            kept = nil
            return buffer
        }) {
            return buffer
        }
        return [UInt8](unsafeUninitializedCapacity: bytes) { _, initialized in initialized = bytes }
    }

    /// Gives `buffer` back for the next large receive.
    static func give(_ buffer: consuming [UInt8]) {
        guard buffer.count <= largestKept else { return }
        kept.withLock { kept in
            if (kept?.count ?? 0) < buffer.count { kept = buffer }
        }
    }

    /// Frees the kept buffer (MPI.finalize).
    static func release() {
        kept.withLock { $0 = nil }
    }
}

/// A new array for the elements of bulk code `code`, `bytes` long, and where
/// its elements are; nil for codes without one (they are copied as usual).
internal func makeAdoptableArray(code: UInt8, bytes: Int) -> (array: Any, base: UnsafeMutableRawPointer)? {
    func make<Element: ObjectBulkElement>(_: Element.Type) -> (array: Any, base: UnsafeMutableRawPointer)? {
        guard bytes % MemoryLayout<Element>.size == 0 else { return nil }
        var array = [Element](unsafeUninitializedCapacity: bytes / MemoryLayout<Element>.size) { _, count in
            count = bytes / MemoryLayout<Element>.size
        }
        // The storage stays where it is while `array` (returned with it) is not mutated.
        let base = array.withUnsafeMutableBytes { $0.baseAddress! }
        return (array, base)
    }
    switch code {
    case Double.bulkCode: return make(Double.self)
    case Float.bulkCode: return make(Float.self)
    case Int.bulkCode: return make(Int.self)
    case Int32.bulkCode: return make(Int32.self)
    case UInt8.bulkCode: return make(UInt8.self)
    case UInt32.bulkCode: return make(UInt32.self)
    case UInt.bulkCode: return make(UInt.self)
    default: return nil
    }
}
