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
        var lengths: [CInt] = []
        var displacements: [MPI_Aint] = []
        try withPieces { pieces in
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
