// The binary format of object messages (version 1).
//
// A message is the header byte, then one value. A value is a tag byte and its
// payload, integers little-endian:
//
//   nil, false, true         no payload
//   signed, unsigned         8 bytes (every integer type travels as 64 bits)
//   float, double            4 or 8 bytes, IEEE 754 bit patterns
//   string                   a LEB128 byte count, then UTF-8
//   keyed, unkeyed           a 4-byte entry count and an 8-byte length of the
//                            entries, then the entries: for keyed containers a
//                            key (LEB128 count and UTF-8) before each value
//   bulk                     an element code byte, an 8-byte element count,
//                            then the elements as they lie in memory (arrays
//                            of numbers travel as one copy, not value by value)
//
// Containers carry their length so that a decoder skips a value it does not
// ask for in constant time, and checks every length against the message
// before it reads: bytes that are not such a message throw, never crash.

/// The tags and sizes of the object format.
@usableFromInline
internal enum ObjectFormat {
    /// The first byte of every object message: the format and its version.
    static let header: UInt8 = 0xB1

    enum Tag: UInt8 {
        case null = 0x00, falseValue, trueValue, signed, unsigned, float, double, string, keyed, unkeyed, bulk
    }

    /// A container's entry count (UInt32) and the byte length of its entries (UInt64).
    static let containerHeaderSize = 12
}

/// A number type whose arrays travel as one block of memory.
@usableFromInline
internal protocol ObjectBulkElement: BitwiseCopyable, Codable {
    /// Kind (1 signed, 2 unsigned, 3 floating point) in the high nibble, byte width in the low.
    static var bulkCode: UInt8 { get }
}

extension Int8: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x11 } }
extension Int16: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x12 } }
extension Int32: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x14 } }
extension Int64: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x18 } }
extension Int: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x10 | UInt8(MemoryLayout<Int>.size) } }
extension UInt8: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x21 } }
extension UInt16: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x22 } }
extension UInt32: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x24 } }
extension UInt64: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x28 } }
extension UInt: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x20 | UInt8(MemoryLayout<UInt>.size) } }
extension Float: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x34 } }
extension Double: ObjectBulkElement { @usableFromInline static var bulkCode: UInt8 { 0x38 } }

/// A collection the encoder writes itself, faster than through `Codable`:
/// arrays of numbers in bulk, dictionaries with string keys entry by entry.
/// (One protocol, so that every other type costs one failed conformance lookup.)
internal protocol ObjectFastPath {
    func encodeFast(into encoder: ObjectEncodingState, slot: Int) throws
    /// Whether the value at `offset` is in this type's fast form.
    static func isFast(_ tag: ObjectFormat.Tag) -> Bool
    static func decodeFast(from reader: ObjectReader, at offset: Int) throws -> Self
}

extension Array: ObjectFastPath where Element: ObjectBulkElement {
    func encodeFast(into encoder: ObjectEncodingState, slot: Int) throws {
        let byteCount = count * MemoryLayout<Element>.size
        // A large array stays where it is, a segment of the message, when the
        // encoder collects them (an Array on Linux is one reference to the
        // object that owns its elements, which keeps them in place).
        guard byteCount >= encoder.segmentThreshold, MemoryLayout<[Element]>.size == MemoryLayout<AnyObject>.size else {
            return appendBulk(to: &encoder.bytes)
        }
        encoder.bytes.append(ObjectFormat.Tag.bulk.rawValue)
        encoder.bytes.append(Element.bulkCode)
        encoder.bytes.appendLittleEndian(UInt64(count))
        let base = withUnsafeBytes { $0.baseAddress! }
        encoder.appendSegment(base, count: byteCount, owner: unsafeBitCast(self, to: AnyObject.self))
    }
    static func isFast(_ tag: ObjectFormat.Tag) -> Bool { tag == .bulk }
    static func decodeFast(from reader: ObjectReader, at offset: Int) throws -> [Element] {
        try readBulk(from: reader, at: offset)
    }
}

extension Array where Element: ObjectBulkElement {
    func appendBulk(to bytes: inout [UInt8]) {
        bytes.append(ObjectFormat.Tag.bulk.rawValue)
        bytes.append(Element.bulkCode)
        bytes.appendLittleEndian(UInt64(count))
        #if _endian(little)
        withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for element in self { withUnsafeBytes(of: element) { bytes.append(contentsOf: $0.reversed()) } }
        #endif
    }

    static func readBulk(from reader: ObjectReader, at offset: Int) throws -> [Element] {
        let (start, count) = try reader.bulkElements(at: offset, code: Element.bulkCode, width: MemoryLayout<Element>.size,
                                                    type: [Element].self)
        var from = UnsafeRawBufferPointer(rebasing: reader.bytes[start..<start + count * MemoryLayout<Element>.size])
        if let adopted = reader.adopted, adopted.dataAt == start {
            if let array = adopted.array as? [Element], array.count == count { return array }
            from = UnsafeRawBufferPointer(start: adopted.base, count: from.count)   // the same code, another type
        }
        return [Element](unsafeUninitializedCapacity: count) { [from] buffer, initialized in
            let target = UnsafeMutableRawBufferPointer(buffer)
            let source = from
            #if _endian(little)
            target.copyMemory(from: source)
            #else
            for index in 0..<count {
                for byte in 0..<MemoryLayout<Element>.size {
                    target[index * MemoryLayout<Element>.size + byte] = source[(index + 1) * MemoryLayout<Element>.size - 1 - byte]
                }
            }
            #endif
            initialized = count
        }
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendVarint(_ value: Int) {
        var value = UInt(value)
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    @inline(__always)
    mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            appendVarint(utf8.count)
            append(contentsOf: UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes `value` (little-endian) over the bytes at `offset`.
    @inline(__always)
    mutating func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
    }
}

/// A dictionary with string keys, written and read entry by entry without
/// `Codable`'s per-key lookups (Dictionary's own `init(from:)` asks for every
/// key by name).
extension Dictionary: ObjectFastPath where Key == String, Value: Codable {
    static func isFast(_ tag: ObjectFormat.Tag) -> Bool { tag == .keyed }

    // Reached through an existential, this code runs unspecialized: every
    // dictionary operation on [String: Value] would then look up generic
    // metadata (about four lookups per entry, 43% of a 100-entry decode,
    // measured with callgrind). The common value types get specialized copies.

    func encodeFast(into encoder: ObjectEncodingState, slot: Int) throws {
        if Value.self == Double.self { return try unsafeBitCast(self, to: [String: Double].self).encodeEntries(into: encoder, slot: slot) }
        if Value.self == Int.self { return try unsafeBitCast(self, to: [String: Int].self).encodeEntries(into: encoder, slot: slot) }
        if Value.self == String.self { return try unsafeBitCast(self, to: [String: String].self).encodeEntries(into: encoder, slot: slot) }
        if Value.self == Float.self { return try unsafeBitCast(self, to: [String: Float].self).encodeEntries(into: encoder, slot: slot) }
        if Value.self == Bool.self { return try unsafeBitCast(self, to: [String: Bool].self).encodeEntries(into: encoder, slot: slot) }
        try encodeEntries(into: encoder, slot: slot)
    }

    @inline(__always)
    func encodeEntries(into encoder: ObjectEncodingState, slot: Int) throws {
        let level = encoder.openContainer(.keyed, at: slot)
        guard count <= Int(UInt32.max) else {
            throw EncodingError.invalidValue(count, .init(codingPath: [], debugDescription:
                "a dictionary of more than \(UInt32.max) entries"))
        }
        encoder.open[level].count = UInt32(count)
        for (key, value) in self {
            encoder.bytes.appendString(key)
            try encoder.encodeValue(value, slot: level + 1)
            encoder.close(downTo: level + 1)
        }
        encoder.close(downTo: level)
    }

    static func decodeFast(from reader: ObjectReader, at offset: Int) throws -> [String: Value] {
        if Value.self == Double.self { return unsafeBitCast(try [String: Double].decodeEntries(from: reader, at: offset), to: Self.self) }
        if Value.self == Int.self { return unsafeBitCast(try [String: Int].decodeEntries(from: reader, at: offset), to: Self.self) }
        if Value.self == String.self { return unsafeBitCast(try [String: String].decodeEntries(from: reader, at: offset), to: Self.self) }
        if Value.self == Float.self { return unsafeBitCast(try [String: Float].decodeEntries(from: reader, at: offset), to: Self.self) }
        if Value.self == Bool.self { return unsafeBitCast(try [String: Bool].decodeEntries(from: reader, at: offset), to: Self.self) }
        return try decodeEntries(from: reader, at: offset)
    }

    @inline(__always)
    static func decodeEntries(from reader: ObjectReader, at offset: Int) throws -> [String: Value] {
        let (count, start, end) = try reader.container(.keyed, at: offset, for: [String: Value].self)
        var dictionary = [String: Value](minimumCapacity: count)
        var offset = start
        for _ in 0..<count {
            let (keyStart, keyCount, valueAt) = try reader.stringBytes(at: offset)
            let key = try reader.makeString(start: keyStart, count: keyCount)
            offset = try reader.end(ofValueAt: valueAt)
            guard offset <= end else { throw reader.corrupted("an entry at offset \(valueAt) runs past its container") }
            do {
                dictionary[key] = try reader.decodeValue(Value.self, at: valueAt)
            } catch let error as DecodingError {
                throw error.prefixingPath([DictionaryKey(stringValue: key)])
            }
        }
        return dictionary
    }
}

/// The coding-path key of a dictionary entry.
internal struct DictionaryKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    var intValue: Int? { nil }
}

/// Bytes left in place in an encoded message: `count` bytes at `base`, which
/// come after the first `at` bytes of the encoding's own bytes.
internal struct ObjectSegment {
    let at: Int
    let base: UnsafeRawPointer
    let count: Int
    /// What keeps `base` valid (an array's storage).
    let owner: AnyObject
}

/// An encoded message as its bytes and the segments between them. Its content
/// is `bytes` with each segment inserted at its position: the same bytes
/// `ObjectEncoder.encode` makes, without copying the large arrays.
internal struct SegmentedEncoding {
    var bytes: [UInt8]
    var segments: [ObjectSegment]

    var totalBytes: Int { bytes.count + segments.reduce(0) { $0 + $1.count } }

    /// The largest segment: where its elements start in the message, their
    /// byte count, and their element code (the bulk value's header precedes them).
    var largestSegment: (dataAt: Int, bytes: Int, code: UInt8)? {
        var before = 0
        var largest: (dataAt: Int, bytes: Int, code: UInt8)?
        for segment in segments {
            if segment.count > (largest?.bytes ?? 0) {
                largest = (segment.at + before, segment.count, bytes[segment.at - 9])
            }
            before += segment.count
        }
        return largest
    }

    /// The message's pieces in order, as (address, byte count), empty ones left out.
    func withPieces<R>(_ body: ([(UnsafeRawPointer, Int)]) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { own in
            var pieces: [(UnsafeRawPointer, Int)] = []
            pieces.reserveCapacity(2 * segments.count + 1)
            var position = 0
            for segment in segments {
                if segment.at > position { pieces.append((own.baseAddress! + position, segment.at - position)) }
                pieces.append((segment.base, segment.count))
                position = segment.at
            }
            if own.count > position { pieces.append((own.baseAddress! + position, own.count - position)) }
            return try body(pieces)
        }
    }

    /// The message's bytes in `range`, copied to `target`.
    func copy(_ range: Range<Int>, to target: UnsafeMutableRawPointer) {
        withPieces { pieces in
            var offset = 0
            for (base, count) in pieces {
                let overlap = max(offset, range.lowerBound)..<max(offset, range.lowerBound, min(offset + count, range.upperBound))
                if !overlap.isEmpty {
                    target.advanced(by: overlap.lowerBound - range.lowerBound)
                        .copyMemory(from: base + (overlap.lowerBound - offset), byteCount: overlap.count)
                }
                offset += count
            }
        }
    }
}
