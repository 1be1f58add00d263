#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Decodes the object format (ObjectFormat.swift) in place over the received
// bytes. Every length is checked against the bytes before it is used, so
// truncated bytes, garbage and bytes of another type throw DecodingError and
// never read out of bounds, allocate beyond the message or crash.

/// Decodes values that ``ObjectEncoder`` encoded.
///
/// Bytes that are not such an encoding (truncated, of another type, or not
/// an object at all) throw `DecodingError`.
///
/// No MPI call: the object messages of ``Communicator`` use it.
public struct ObjectDecoder: Sendable {
    /// A decoder (no MPI call).
    public init() {}

    /// The value of type `type` that `bytes` encode.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// The value of type `type` that `bytes` encode; `bytes` need stay valid only during the call.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try decode(type, from: bytes, adopting: nil)
    }

    /// The same, with one array of numbers already received (see `ObjectReader.adopted`).
    internal func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer,
                                       adopting adopted: AdoptedArray?) throws -> T {
        let reader = ObjectReader(bytes, adopted: adopted)
        guard bytes.count > 1, bytes[0] == ObjectFormat.header else {
            throw reader.corrupted(bytes.isEmpty ? "no bytes: an object message has at least two"
                : bytes.count == 1 ? "one byte: an object message has at least two"
                : "the first byte is \(hex(bytes[0])), not \(hex(ObjectFormat.header)) (the object format, version 1): "
                    + "not an object message")
        }
        let end = try reader.end(ofValueAt: 1)
        guard end == bytes.count else {
            throw reader.corrupted("\(bytes.count - end) bytes follow the encoded value")
        }
        return try reader.decodeValue(T.self, at: 1)
    }
}

private func hex(_ byte: UInt8) -> String { "0x" + String(byte, radix: 16, uppercase: true) }

/// The bytes being decoded and the coding path, shared by all containers of one decode.
internal final class ObjectReader: Decoder {
    let bytes: UnsafeRawBufferPointer
    /// The path to the values this reader decodes (empty but under `superDecoder()`):
    /// deeper keys are added to an error as it passes up through the containers.
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// An array of numbers already received in place of the bulk value whose
    /// elements start at `dataAt` (a broadcast puts the largest one straight
    /// into its array, whose elements are at `base`); that region of `bytes`
    /// is not read.
    let adopted: AdoptedArray?

    /// The mutable state, behind a pointer: class properties would pay a
    /// dynamic exclusivity check on every access (measured with perf).
    struct Storage {
        /// Where the value that a container or `T(from:)` asks for starts.
        var position = 1
        /// Each keyed container's cursor: where its next entry is expected.
        var cursors: [(index: Int, offset: Int)] = []
    }

    private let storage: UnsafeMutablePointer<Storage>

    var position: Int {
        get { storage.pointee.position }
        set { storage.pointee.position = newValue }
    }

    /// A new cursor at `offset`, for a keyed container.
    func makeCursor(at offset: Int) -> Int {
        storage.pointee.cursors.append((0, offset))
        return storage.pointee.cursors.count - 1
    }

    func cursor(_ slot: Int) -> (index: Int, offset: Int) { storage.pointee.cursors[slot] }

    func setCursor(_ slot: Int, index: Int, offset: Int) { storage.pointee.cursors[slot] = (index, offset) }

    init(_ bytes: UnsafeRawBufferPointer, codingPath: [any CodingKey] = [], position: Int = 1,
         adopted: AdoptedArray? = nil) {
        self.bytes = bytes
        self.codingPath = codingPath
        self.adopted = adopted
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(position: position))
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    // MARK: Errors

    func corrupted(_ description: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: description))
    }

    func mismatch(_ type: Any.Type, at offset: Int) -> DecodingError {
        let found = tagName(at: offset)
        if found == "nil" {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found nil"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found \(found)"))
    }

    func tagName(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the bytes" }
        guard let tag = ObjectFormat.Tag(rawValue: bytes[offset]) else { return "an unknown tag \(hex(bytes[offset]))" }
        switch tag {
        case .null: return "nil"
        case .falseValue, .trueValue: return "a Bool"
        case .signed: return "a signed integer"
        case .unsigned: return "an unsigned integer"
        case .float: return "a Float"
        case .double: return "a Double"
        case .string: return "a String"
        case .keyed: return "a keyed container"
        case .unkeyed: return "an unkeyed container"
        case .bulk: return "an array of numbers"
        }
    }

    // MARK: Reading

    @inline(__always)
    func tag(at offset: Int) throws -> ObjectFormat.Tag {
        guard offset < bytes.count else { throw corrupted("the bytes end where a value should start (offset \(offset))") }
        guard let tag = ObjectFormat.Tag(rawValue: bytes[offset]) else {
            throw corrupted("unknown tag \(hex(bytes[offset])) at offset \(offset)")
        }
        return tag
    }

    @inline(__always)
    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws -> T {
        guard offset >= 0, offset <= bytes.count - MemoryLayout<T>.size else {
            throw corrupted("the bytes end inside a value (offset \(offset))")
        }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// A LEB128 count and the offset after it.
    @inline(__always)
    func varint(at offset: Int) throws -> (Int, Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var offset = offset
        while true {
            guard offset < bytes.count else { throw corrupted("the bytes end inside a length (offset \(offset))") }
            let byte = bytes[offset]
            offset += 1
            guard shift < 63 || (shift == 63 && byte <= 1) else { throw corrupted("a length over 64 bits at offset \(offset)") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        guard let count = Int(exactly: value), count <= bytes.count - offset else {
            throw corrupted("a length of \(value) bytes at offset \(offset) runs past the end of the bytes")
        }
        return (count, offset)
    }

    /// A string's UTF-8 bytes (start, count) at the offset after its tag.
    @inline(__always)
    func stringBytes(at offset: Int) throws -> (Int, Int, end: Int) {
        let (count, start) = try varint(at: offset)
        return (start, count, start + count)
    }

    func makeString(start: Int, count: Int) throws -> String {
        let utf8 = UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[start..<start + count])
        // ASCII is valid UTF-8 and the common case; String(validating:as:) is
        // generic and runs unspecialized (a metadata lookup per string).
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw corrupted("a string at offset \(start) is not valid UTF-8")
        }
        return string
    }

    /// A container's entry count, where its entries start and where they end.
    func container(_ expected: ObjectFormat.Tag, at offset: Int, for type: Any.Type) throws -> (count: Int, start: Int, end: Int) {
        guard try tag(at: offset) == expected else { throw mismatch(type, at: offset) }
        let count = Int(try load(UInt32.self, at: offset + 1))
        let length = try load(UInt64.self, at: offset + 5)
        let start = offset + 1 + ObjectFormat.containerHeaderSize
        guard length <= UInt64(bytes.count - start) else {
            throw corrupted("a container of \(length) bytes at offset \(offset) runs past the end of the bytes")
        }
        // Each entry takes at least a byte: a count beyond that is a lie, not a reason to allocate.
        guard count <= Int(length) else {
            throw corrupted("a container at offset \(offset) claims \(count) entries in \(length) bytes")
        }
        return (count, start, start + Int(length))
    }

    /// Where the value at `offset` ends, in constant time.
    func end(ofValueAt offset: Int) throws -> Int {
        switch try tag(at: offset) {
        case .null, .falseValue, .trueValue: return offset + 1
        case .signed, .unsigned, .double: return try checkedEnd(offset + 9)
        case .float: return try checkedEnd(offset + 5)
        case .string: return try stringBytes(at: offset + 1).end
        case .keyed: return try container(.keyed, at: offset, for: Any.self).end
        case .unkeyed: return try container(.unkeyed, at: offset, for: Any.self).end
        case .bulk:
            let code = try load(UInt8.self, at: offset + 1)
            let width = Int(code & 0x0F)
            guard [1, 2, 4, 8].contains(width), (1...3).contains(code >> 4) else {
                throw corrupted("unknown element code \(hex(code)) of an array at offset \(offset)")
            }
            return try bulkExtent(at: offset, width: width).end
        }
    }

    @inline(__always)
    func checkedEnd(_ end: Int) throws -> Int {
        guard end <= bytes.count else { throw corrupted("the bytes end inside a value (at \(bytes.count) of \(end))") }
        return end
    }

    func bulkExtent(at offset: Int, width: Int) throws -> (start: Int, count: Int, end: Int) {
        let count = try load(UInt64.self, at: offset + 2)
        let start = offset + 10
        guard start <= bytes.count, count <= UInt64(bytes.count - start) / UInt64(width) else {
            throw corrupted("an array of \(count) elements at offset \(offset) runs past the end of the bytes")
        }
        return (start, Int(count), start + Int(count) * width)
    }

    /// The elements of a bulk array of `code` at `offset`.
    func bulkElements(at offset: Int, code: UInt8, width: Int, type: Any.Type) throws -> (start: Int, count: Int) {
        guard try tag(at: offset) == .bulk else { throw mismatch(type, at: offset) }
        let found = try load(UInt8.self, at: offset + 1)
        // Int and Int64 (UInt and UInt64) are one code on 64-bit platforms.
        guard found == code else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription:
                "expected \(type), found an array of element code \(hex(found))"))
        }
        let extent = try bulkExtent(at: offset, width: width)
        return (extent.start, extent.count)
    }

    // MARK: Primitive values

    func decodeBool(at offset: Int) throws -> Bool {
        switch try tag(at: offset) {
        case .trueValue: return true
        case .falseValue: return false
        default: throw mismatch(Bool.self, at: offset)
        }
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws -> T {
        let value: T?
        switch try tag(at: offset) {
        case .signed: value = T(exactly: try load(Int64.self, at: offset + 1))
        case .unsigned: value = T(exactly: try load(UInt64.self, at: offset + 1))
        default: throw mismatch(type, at: offset)
        }
        guard let value else {
            throw corrupted("the integer at offset \(offset) does not fit in \(type)")
        }
        return value
    }

    func decodeDouble(at offset: Int) throws -> Double {
        switch try tag(at: offset) {
        case .double: return Double(bitPattern: try load(UInt64.self, at: offset + 1))
        case .float: return Double(Float(bitPattern: try load(UInt32.self, at: offset + 1)))
        default: throw mismatch(Double.self, at: offset)
        }
    }

    func decodeFloat(at offset: Int) throws -> Float {
        guard try tag(at: offset) == .float else { throw mismatch(Float.self, at: offset) }
        return Float(bitPattern: try load(UInt32.self, at: offset + 1))
    }

    func decodeString(at offset: Int) throws -> String {
        guard try tag(at: offset) == .string else { throw mismatch(String.self, at: offset) }
        let (start, count, _) = try stringBytes(at: offset + 1)
        return try makeString(start: start, count: count)
    }

    func isNil(at offset: Int) throws -> Bool { try tag(at: offset) == .null }

    /// Decodes the value at `offset` as `T`.
    func decodeValue<T: Decodable>(_ type: T.Type, at offset: Int) throws -> T {
        if T.self == String.self { return unsafeBitCast(try decodeString(at: offset), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try decodeDouble(at: offset), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try decodeInteger(Int.self, at: offset), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try decodeBool(at: offset), to: T.self) }
        if T.self == Float.self { return unsafeBitCast(try decodeFloat(at: offset), to: T.self) }
        if let fast = T.self as? any ObjectFastPath.Type, fast.isFast(try tag(at: offset)) {
            return try fast.decodeFast(from: self, at: offset) as! T
        }
        let saved = position
        position = offset
        defer { position = saved }
        return try T(from: self)
    }


    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedObjectDecodingContainer<Key>(reader: self, at: position))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try UnkeyedObjectDecodingContainer(reader: self, at: position)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleObjectDecodingContainer(reader: self, offset: position)
    }
}

internal struct KeyedObjectDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: ObjectReader
    let count: Int
    let start: Int
    let end: Int
    /// The reader's cursor for this container: where the next entry is expected,
    /// since values are usually decoded in the order they were encoded.
    let cursor: Int

    init(reader: ObjectReader, at offset: Int) throws {
        (count, start, end) = try reader.container(.keyed, at: offset, for: [String: Any].self)
        self.reader = reader
        cursor = reader.makeCursor(at: start)
    }

    var codingPath: [any CodingKey] { reader.codingPath }

    /// The entry at `offset`: its key's bytes and where its value starts.
    @inline(__always)
    func entry(at offset: Int) throws -> (keyStart: Int, keyCount: Int, value: Int) {
        let (keyStart, keyCount, value) = try reader.stringBytes(at: offset)
        guard value < end else { throw reader.corrupted("a keyed container's entry at offset \(offset) has no value") }
        return (keyStart, keyCount, value)
    }

    @inline(__always)
    func keyMatches(_ name: String, start: Int, count: Int) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            utf8.count == count && (count == 0 || memcmp(utf8.baseAddress!, reader.bytes.baseAddress! + start, count) == 0)
        }
    }

    /// Where the value for `key` starts, or nil: first at the cursor, then from the start.
    func find(_ key: Key) throws -> Int? { try find(named: key.stringValue) }

    func find(named key: String) throws -> Int? {
        let expected = reader.cursor(cursor)
        if expected.index < count {
            let (keyStart, keyCount, value) = try entry(at: expected.offset)
            if keyMatches(key, start: keyStart, count: keyCount) {
                reader.setCursor(cursor, index: expected.index + 1, offset: try endOfEntry(valueAt: value))
                return value
            }
        }
        var offset = start
        for index in 0..<count {
            let (keyStart, keyCount, value) = try entry(at: offset)
            let next = try endOfEntry(valueAt: value)
            if keyMatches(key, start: keyStart, count: keyCount) {
                reader.setCursor(cursor, index: index + 1, offset: next)
                return value
            }
            offset = next
        }
        return nil
    }

    /// Where the entry whose value starts at `value` ends, which must be within the container.
    @inline(__always)
    func endOfEntry(valueAt value: Int) throws -> Int {
        let next = try reader.end(ofValueAt: value)
        guard next <= end else { throw reader.corrupted("an entry at offset \(value) runs past its container") }
        return next
    }

    func value(for key: Key) throws -> Int {
        guard let offset = try find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                                                       debugDescription: "no value for the key \"\(key.stringValue)\""))
        }
        return offset
    }

    var allKeys: [Key] {
        var keys: [Key] = []
        var offset = start
        for _ in 0..<count {
            guard let (keyStart, keyCount, value) = try? entry(at: offset),
                  let next = try? reader.end(ofValueAt: value),
                  let name = try? reader.makeString(start: keyStart, count: keyCount) else { break }
            if let key = Key(stringValue: name) { keys.append(key) }
            offset = next
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { (try? find(key)) != nil }

    /// Runs `body` on the value for `key`; its errors name the key in their coding path.
    @inline(__always)
    func at<T>(_ key: Key, _ body: (Int) throws -> T) throws -> T {
        let offset = try value(for: key)
        do {
            return try body(offset)
        } catch let error as DecodingError {
            throw error.prefixingPath(codingPath + [key])
        }
    }

    func decodeNil(forKey key: Key) throws -> Bool { try reader.isNil(at: value(for: key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try at(key) { try reader.decodeBool(at: $0) } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try at(key) { try reader.decodeString(at: $0) } }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try at(key) { try reader.decodeDouble(at: $0) } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try at(key) { try reader.decodeFloat(at: $0) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try at(key) { try reader.decodeInteger(type, at: $0) } }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try at(key) { try reader.decodeValue(type, at: $0) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let offset = try find(key), try !reader.isNil(at: offset) else { return nil }
        do {
            return try reader.decodeValue(type, at: offset)
        } catch let error as DecodingError {
            throw error.prefixingPath(codingPath + [key])
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try at(key) { KeyedDecodingContainer(try KeyedObjectDecodingContainer<NestedKey>(reader: reader, at: $0)) }
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try at(key) { try UnkeyedObjectDecodingContainer(reader: reader, at: $0) }
    }

    // "super" need not be one of Key's cases, so it is found by name.
    func superDecoder() throws -> any Decoder { try superDecoder(named: "super") }

    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder(named: key.stringValue) }

    func superDecoder(named name: String) throws -> any Decoder {
        guard let offset = try find(named: name) else {
            throw DecodingError.keyNotFound(DictionaryKey(stringValue: name), .init(codingPath: codingPath,
                                            debugDescription: "no value for the key \"\(name)\""))
        }
        return ObjectReader(reader.bytes, codingPath: codingPath + [DictionaryKey(stringValue: name)], position: offset,
                            adopted: reader.adopted)
    }
}

internal struct UnkeyedObjectDecodingContainer: UnkeyedDecodingContainer {
    let reader: ObjectReader
    let entries: Int
    let end: Int
    var offset: Int
    var currentIndex = 0

    init(reader: ObjectReader, at position: Int) throws {
        self.reader = reader
        (entries, offset, end) = try reader.container(.unkeyed, at: position, for: [Any].self)
    }

    var codingPath: [any CodingKey] { reader.codingPath }

    var count: Int? { entries }
    var isAtEnd: Bool { currentIndex >= entries }

    /// Decodes the next value with `body` and moves past it.
    @inline(__always)
    mutating func next<T>(_ type: T.Type, _ body: (Int) throws -> T) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath,
                                                          debugDescription: "the unkeyed container has no value left (all \(entries) read)"))
        }
        let valueEnd = try reader.end(ofValueAt: offset)
        guard valueEnd <= end else { throw reader.corrupted("an entry at offset \(offset) runs past its container") }
        let value: T
        do {
            value = try body(offset)
        } catch let error as DecodingError {
            throw error.prefixingPath(codingPath + [IndexKey(index: currentIndex)])
        }
        offset = valueEnd
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, offset < end, try reader.isNil(at: offset) else { return false }
        offset += 1
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { [reader] in try reader.decodeBool(at: $0) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { [reader] in try reader.decodeString(at: $0) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { [reader] in try reader.decodeDouble(at: $0) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { [reader] in try reader.decodeFloat(at: $0) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { [reader] in try reader.decodeInteger(type, at: $0) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { [reader] in try reader.decodeValue(type, at: $0) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) { [reader] in
            KeyedDecodingContainer(try KeyedObjectDecodingContainer<NestedKey>(reader: reader, at: $0))
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { [reader] in try UnkeyedObjectDecodingContainer(reader: reader, at: $0) }
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = codingPath + [IndexKey(index: currentIndex)]
        return try next((any Decoder).self) { [reader] offset in
            ObjectReader(reader.bytes, codingPath: path, position: offset, adopted: reader.adopted)
        }
    }
}

internal struct SingleObjectDecodingContainer: SingleValueDecodingContainer {
    let reader: ObjectReader
    let offset: Int
    var codingPath: [any CodingKey] { reader.codingPath }

    func decodeNil() -> Bool { (try? reader.isNil(at: offset)) ?? false }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.decodeBool(at: offset) }
    func decode(_ type: String.Type) throws -> String { try reader.decodeString(at: offset) }
    func decode(_ type: Double.Type) throws -> Double { try reader.decodeDouble(at: offset) }
    func decode(_ type: Float.Type) throws -> Float { try reader.decodeFloat(at: offset) }
    func decode(_ type: Int.Type) throws -> Int { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.decodeInteger(type, at: offset) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.decodeInteger(type, at: offset) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.decodeValue(type, at: offset) }
}

/// The coding-path key of an unkeyed container's entry.
internal struct IndexKey: CodingKey {
    let index: Int
    init(index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}

extension DecodingError {
    /// The same error with its context rewritten by `change`.
    func changingContext(_ change: (Context) -> Context) -> DecodingError {
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, change(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, change(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, change(context))
        case .dataCorrupted(let context): return .dataCorrupted(change(context))
        @unknown default: return self
        }
    }

    /// The same error with `path` before its own coding path (the error of a value
    /// decoded deeper down knows only its own part of the path).
    func prefixingPath(_ path: [any CodingKey]) -> DecodingError {
        changingContext {
            Context(codingPath: path + $0.codingPath, debugDescription: $0.debugDescription, underlyingError: $0.underlyingError)
        }
    }

    /// The same error with `prefix` before its description.
    func prefixingDescription(_ prefix: String) -> DecodingError {
        changingContext {
            Context(codingPath: $0.codingPath, debugDescription: prefix + $0.debugDescription, underlyingError: $0.underlyingError)
        }
    }
}

/// An array a broadcast received straight into its own memory (see `ObjectReader.adopted`).
internal struct AdoptedArray {
    /// Where its elements start in the message.
    let dataAt: Int
    /// The array, returned as it is when the decoded type is its type.
    let array: Any
    /// Its elements, copied from when the decoded type is another of the same code (`[Int64]` for `[Int]`).
    let base: UnsafeRawPointer
}
