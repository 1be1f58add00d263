import MPI

// The wire format of a stress message: a header that names it and a body
// of seeded random bytes, both checked on arrival.

/// Header layout, little-endian: sequence (UInt32) at 0, source (UInt16) at 4,
/// destination (UInt16) at 6, tag (UInt32) at 8, length in bytes (UInt32) at
/// 12, checksum of the body (UInt64) at 16; the body follows. Messages shorter
/// than the header carry its first bytes (an empty body's checksum), so even
/// a 4-byte message carries its sequence number; 0-byte messages carry nothing
/// and are checked by their place in their stream and their length.
enum StressWire {
    static let headerBytes = 24
    static let emptyChecksum = checksum(UnsafeRawBufferPointer(start: nil, count: 0))

    /// FNV-1a over 64-bit little-endian words (then over the tail bytes), with
    /// a xor-shift after each multiply so that every bit of a word reaches
    /// every bit of the hash (word-wise FNV alone carries high bits nowhere).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01B3
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) &* prime
            hash ^= hash >> 32
            offset += 8
        }
        while offset < count {
            hash = (hash ^ UInt64(bytes[offset])) &* prime
            offset += 1
        }
        return hash
    }

    static func writeHeader(
        _ out: UnsafeMutableRawPointer, sequence: UInt32, source: Int, destination: Int, tag: Int, length: Int,
        checksum: UInt64
    ) {
        out.storeBytes(of: sequence.littleEndian, toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: UInt16(source).littleEndian, toByteOffset: 4, as: UInt16.self)
        out.storeBytes(of: UInt16(destination).littleEndian, toByteOffset: 6, as: UInt16.self)
        out.storeBytes(of: UInt32(tag).littleEndian, toByteOffset: 8, as: UInt32.self)
        out.storeBytes(of: UInt32(length).littleEndian, toByteOffset: 12, as: UInt32.self)
        out.storeBytes(of: checksum.littleEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// Writes message `m` into `out` (exactly `m.size` bytes) and returns its
    /// digest: the body's checksum combined with its envelope, summed per
    /// rank pair to compare what was sent with what was received.
    static func write(_ m: PlannedMessage, into out: UnsafeMutableRawBufferPointer) -> UInt64 {
        precondition(out.count == m.size)
        if m.size >= headerBytes {
            var generator = SplitMix64(m.contentSeed)
            var offset = headerBytes
            while offset + 8 <= m.size {
                out.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            var last = generator.next()
            while offset < m.size {
                out[offset] = UInt8(truncatingIfNeeded: last)
                last >>= 8
                offset += 1
            }
            let body = checksum(UnsafeRawBufferPointer(rebasing: out[headerBytes...]))
            writeHeader(out.baseAddress!, sequence: m.sequence, source: m.source, destination: m.destination,
                        tag: m.tag, length: m.size, checksum: body)
            return digest(m, body: body)
        }
        if m.size > 0 {
            withUnsafeTemporaryAllocation(byteCount: headerBytes, alignment: 8) { header in
                writeHeader(header.baseAddress!, sequence: m.sequence, source: m.source, destination: m.destination,
                            tag: m.tag, length: m.size, checksum: emptyChecksum)
                out.copyMemory(from: UnsafeRawBufferPointer(rebasing: header[0..<m.size]))
            }
        }
        return digest(m, body: emptyChecksum)
    }

    static func digest(_ m: PlannedMessage, body: UInt64) -> UInt64 {
        stressMix(body ^ UInt64(m.size), UInt64(m.sequence) << 32 | UInt64(m.tag))
    }

    static func message(_ m: PlannedMessage) -> (bytes: [UInt8], digest: UInt64) {
        var digest: UInt64 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: m.size) { buffer, initialized in
            digest = write(m, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = m.size
        }
        return (bytes, digest)
    }
}

