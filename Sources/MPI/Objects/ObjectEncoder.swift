// Encodes any Encodable value in the object format (ObjectFormat.swift), in
// one pass over one growing byte array: containers are written as they are
// opened and their counts and lengths patched when they close. A container
// closes when its parent writes again; writing to a container after a sibling
// was opened in its place (which a one-pass encoder cannot honour) throws.

/// Encodes `Encodable` values in the binary format of object messages.
///
/// Compact and fast: numbers travel as fixed-width binary, strings as UTF-8,
/// and arrays of numbers (`[Double]`, `[Int32]`, ...) as one copy of their
/// memory. The first byte names the format and its version. ``ObjectDecoder``
/// reads it back.
///
/// No MPI call: the object messages of ``Communicator`` use it.
public struct ObjectEncoder: Sendable {
    /// An encoder (no MPI call).
    public init() {}

    /// The encoded bytes of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = ObjectEncodingState()
        try encoder.encodeValue(value, slot: 0)
        encoder.close(downTo: 0)
        return encoder.takeBytes()
    }

    /// The encoding of `value` with its arrays of numbers of `threshold` bytes
    /// and more left in place, as segments (the same message, not copied).
    internal func encodeSegmented<T: Encodable>(_ value: T, threshold: Int) throws -> SegmentedEncoding {
        let encoder = ObjectEncodingState()
        #if _endian(little)
        encoder.segmentThreshold = threshold
        #endif
        try encoder.encodeValue(value, slot: 0)
        encoder.close(downTo: 0)
        return encoder.takeSegmented()
    }
}

internal final class ObjectEncodingState: Encoder {
    struct OpenContainer {
        let headerAt: Int
        let id: Int
        /// The bytes of segments written before the container opened (see `segments`).
        let segmentBytesAtOpen: Int
        var count: UInt32 = 0
    }

    /// The mutable state, behind a pointer: class properties would pay a
    /// dynamic exclusivity check on every access, a quarter of a small
    /// object's encoding time (measured with perf).
    struct Storage {
        var bytes: [UInt8]
        var open: [OpenContainer] = []
        var nextID = 0
        /// The level at which a container requested through `self` opens.
        var slot = 0
        /// An error found where Encoder cannot throw, thrown by the next call that can.
        var deferredError: EncodingError?
        var hasDeferredError = false
        /// Where a value given to `superEncoder()` goes, until something is written there.
        var unfilledSlot: Int?
        /// Arrays of numbers of at least this many bytes are not copied into `bytes`
        /// but left where they are, as segments of the message (for a send that
        /// describes it to MPI as one datatype); Int.max: every array is copied.
        var segmentThreshold = Int.max
        var segments: [ObjectSegment] = []
        var segmentBytes = 0
    }

    private let storage: UnsafeMutablePointer<Storage>

    var bytes: [UInt8] {
        get { storage.pointee.bytes }
        _modify { yield &storage.pointee.bytes }
    }
    var open: [OpenContainer] {
        get { storage.pointee.open }
        _modify { yield &storage.pointee.open }
    }
    var nextID: Int {
        get { storage.pointee.nextID }
        set { storage.pointee.nextID = newValue }
    }
    var slot: Int {
        get { storage.pointee.slot }
        set { storage.pointee.slot = newValue }
    }
    var unfilledSlot: Int? {
        get { storage.pointee.unfilledSlot }
        set { storage.pointee.unfilledSlot = newValue }
    }

    var segmentThreshold: Int {
        get { storage.pointee.segmentThreshold }
        set { storage.pointee.segmentThreshold = newValue }
    }

    /// Leaves `count` bytes at `base` (kept alive by `owner`) in the message at the current position.
    func appendSegment(_ base: UnsafeRawPointer, count: Int, owner: AnyObject) {
        storage.pointee.segments.append(ObjectSegment(at: bytes.count, base: base, count: count, owner: owner))
        storage.pointee.segmentBytes += count
    }

    /// The encoding with its segments, moved out (the state is done).
    func takeSegmented() -> SegmentedEncoding {
        SegmentedEncoding(bytes: takeBytes(), segments: storage.pointee.segments)
    }

    /// The encoding, moved out (the state is done).
    func takeBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        swap(&bytes, &storage.pointee.bytes)
        return bytes
    }

    /// Keeps the first error found where Encoder cannot throw.
    func deferError(_ error: any Error) {
        guard !storage.pointee.hasDeferredError, let error = error as? EncodingError else { return }
        storage.pointee.deferredError = error
        storage.pointee.hasDeferredError = true
    }

    @inline(__always)
    func throwDeferredError() throws {
        if _slowPath(storage.pointee.hasDeferredError) { throw storage.pointee.deferredError! }
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    init() {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        bytes.append(ObjectFormat.header)
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(bytes: bytes))
        storage.pointee.open.reserveCapacity(8)
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let level = openContainer(.keyed, at: slot)
        return KeyedEncodingContainer(KeyedObjectEncodingContainer<Key>(encoder: self, level: level, id: open[level].id))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let level = openContainer(.unkeyed, at: slot)
        return UnkeyedObjectEncodingContainer(encoder: self, level: level, id: open[level].id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        close(downTo: slot)
        return SingleObjectEncodingContainer(encoder: self, level: slot, position: bytes.count)
    }

    // MARK: Containers

    func openContainer(_ tag: ObjectFormat.Tag, at level: Int) -> Int {
        close(downTo: level)
        bytes.append(tag.rawValue)
        open.append(OpenContainer(headerAt: bytes.count, id: nextID, segmentBytesAtOpen: storage.pointee.segmentBytes))
        nextID += 1
        bytes.append(contentsOf: repeatElement(0, count: ObjectFormat.containerHeaderSize))
        return open.count - 1
    }

    /// Closes the containers at `level` and above, patching their counts and lengths.
    @inline(__always)
    func close(downTo level: Int) {
        if let position = unfilledSlot {
            unfilledSlot = nil
            if bytes.count == position { appendEmptyKeyed() }
        }
        while open.count > level {
            let container = open.removeLast()
            let entriesAt = container.headerAt + ObjectFormat.containerHeaderSize
            let length = bytes.count + storage.pointee.segmentBytes - entriesAt - container.segmentBytesAtOpen
            bytes.storeLittleEndian(container.count, at: container.headerAt)
            bytes.storeLittleEndian(UInt64(length), at: container.headerAt + 4)
        }
    }

    /// Makes the container at `level` (with `id`) the innermost open one, for one more entry.
    @inline(__always)
    func beginEntry(level: Int, id: Int) throws {
        try throwDeferredError()
        close(downTo: level + 1)
        guard open.count == level + 1, open[level].id == id else {
            throw EncodingError.invalidValue(id, .init(codingPath: [], debugDescription:
                "an encoding container was written to after a container opened in its place; "
                + "the object encoder writes in one pass and cannot interleave containers"))
        }
        guard open[level].count < UInt32.max else {
            throw EncodingError.invalidValue(open[level].count, .init(codingPath: [], debugDescription:
                "a container holds more than \(UInt32.max) entries"))
        }
        open[level].count += 1
    }

    // MARK: Values

    @inline(__always)
    func appendInteger<T: BinaryInteger>(_ value: T) {
        if T.isSigned {
            bytes.append(ObjectFormat.Tag.signed.rawValue)
            bytes.appendLittleEndian(Int64(value))
        } else {
            bytes.append(ObjectFormat.Tag.unsigned.rawValue)
            bytes.appendLittleEndian(UInt64(value))
        }
    }

    @inline(__always)
    func appendBool(_ value: Bool) {
        bytes.append(value ? ObjectFormat.Tag.trueValue.rawValue : ObjectFormat.Tag.falseValue.rawValue)
    }

    @inline(__always)
    func appendDouble(_ value: Double) {
        bytes.append(ObjectFormat.Tag.double.rawValue)
        bytes.appendLittleEndian(value.bitPattern)
    }

    @inline(__always)
    func appendFloat(_ value: Float) {
        bytes.append(ObjectFormat.Tag.float.rawValue)
        bytes.appendLittleEndian(value.bitPattern)
    }

    @inline(__always)
    func appendString(_ value: String) {
        bytes.append(ObjectFormat.Tag.string.rawValue)
        bytes.appendString(value)
    }

    /// Encodes `value` into the slot at `slot` (the level its containers open at).
    func encodeValue<T: Encodable>(_ value: T, slot level: Int) throws {
        // The common leaves directly, and arrays of numbers in bulk.
        if T.self == String.self { return appendString(unsafeBitCast(value, to: String.self)) }
        if T.self == Double.self { return appendDouble(unsafeBitCast(value, to: Double.self)) }
        if T.self == Int.self { return appendInteger(unsafeBitCast(value, to: Int.self)) }
        if T.self == Bool.self { return appendBool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Float.self { return appendFloat(unsafeBitCast(value, to: Float.self)) }
        if let fast = value as? any ObjectFastPath { return try fast.encodeFast(into: self, slot: level) }
        let start = bytes.count
        let saved = slot
        slot = level
        defer { slot = saved }
        try value.encode(to: self)
        try throwDeferredError()
        close(downTo: level)
        // Nothing encoded (an empty type): an empty keyed container, as JSON writes `{}`.
        if bytes.count == start { appendEmptyKeyed() }
    }

    func appendEmptyKeyed() {
        bytes.append(ObjectFormat.Tag.keyed.rawValue)
        bytes.append(contentsOf: repeatElement(0, count: ObjectFormat.containerHeaderSize))
    }
}

internal struct KeyedObjectEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ObjectEncodingState
    let level: Int
    let id: Int

    var codingPath: [any CodingKey] { [] }

    @inline(__always)
    func begin(_ key: Key) throws { try begin(named: key.stringValue) }

    @inline(__always)
    func begin(named name: String) throws {
        try encoder.beginEntry(level: level, id: id)
        encoder.bytes.appendString(name)
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); encoder.bytes.append(ObjectFormat.Tag.null.rawValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); encoder.appendBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); encoder.appendString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key); encoder.appendDouble(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key); encoder.appendFloat(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); encoder.appendInteger(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try encoder.encodeValue(value, slot: level + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        beginDeferringError(key)
        let nested = encoder.openContainer(.keyed, at: level + 1)
        return KeyedEncodingContainer(KeyedObjectEncodingContainer<NestedKey>(encoder: encoder, level: nested, id: encoder.open[nested].id))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        beginDeferringError(key)
        let nested = encoder.openContainer(.unkeyed, at: level + 1)
        return UnkeyedObjectEncodingContainer(encoder: encoder, level: nested, id: encoder.open[nested].id)
    }

    // "super" need not be one of Key's cases, so it is written by name.
    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    func superEncoder(named name: String) -> any Encoder {
        beginDeferringError(name)
        encoder.unfilledSlot = encoder.bytes.count
        return ObjectSlotEncoder(encoder: encoder, slot: level + 1)
    }

    func beginDeferringError(_ key: Key) { beginDeferringError(key.stringValue) }

    func beginDeferringError(_ name: String) {
        do { try begin(named: name) } catch { encoder.deferError(error) }
    }
}

internal struct UnkeyedObjectEncodingContainer: UnkeyedEncodingContainer {
    let encoder: ObjectEncodingState
    let level: Int
    let id: Int

    var codingPath: [any CodingKey] { [] }
    var count: Int { Int(encoder.open.count > level && encoder.open[level].id == id ? encoder.open[level].count : 0) }

    @inline(__always)
    func begin() throws { try encoder.beginEntry(level: level, id: id) }

    mutating func encodeNil() throws { try begin(); encoder.bytes.append(ObjectFormat.Tag.null.rawValue) }
    mutating func encode(_ value: Bool) throws { try begin(); encoder.appendBool(value) }
    mutating func encode(_ value: String) throws { try begin(); encoder.appendString(value) }
    mutating func encode(_ value: Double) throws { try begin(); encoder.appendDouble(value) }
    mutating func encode(_ value: Float) throws { try begin(); encoder.appendFloat(value) }
    mutating func encode(_ value: Int) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try encoder.encodeValue(value, slot: level + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        beginDeferringError()
        let nested = encoder.openContainer(.keyed, at: level + 1)
        return KeyedEncodingContainer(KeyedObjectEncodingContainer<NestedKey>(encoder: encoder, level: nested, id: encoder.open[nested].id))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        beginDeferringError()
        let nested = encoder.openContainer(.unkeyed, at: level + 1)
        return UnkeyedObjectEncodingContainer(encoder: encoder, level: nested, id: encoder.open[nested].id)
    }

    mutating func superEncoder() -> any Encoder {
        beginDeferringError()
        encoder.unfilledSlot = encoder.bytes.count
        return ObjectSlotEncoder(encoder: encoder, slot: level + 1)
    }

    func beginDeferringError() {
        do { try begin() } catch { encoder.deferError(error) }
    }
}

internal struct SingleObjectEncodingContainer: SingleValueEncodingContainer {
    let encoder: ObjectEncodingState
    let level: Int
    /// Where the one value goes: anything written there already makes a second value an error.
    let position: Int

    var codingPath: [any CodingKey] { [] }

    @inline(__always)
    func begin() throws {
        try encoder.throwDeferredError()
        encoder.close(downTo: level)
        guard encoder.bytes.count == position else {
            throw EncodingError.invalidValue(position, .init(codingPath: [], debugDescription:
                "a single-value container was given a second value"))
        }
    }

    mutating func encodeNil() throws { try begin(); encoder.bytes.append(ObjectFormat.Tag.null.rawValue) }
    mutating func encode(_ value: Bool) throws { try begin(); encoder.appendBool(value) }
    mutating func encode(_ value: String) throws { try begin(); encoder.appendString(value) }
    mutating func encode(_ value: Double) throws { try begin(); encoder.appendDouble(value) }
    mutating func encode(_ value: Float) throws { try begin(); encoder.appendFloat(value) }
    mutating func encode(_ value: Int) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); encoder.appendInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try encoder.encodeValue(value, slot: level)
    }
}

/// The encoder `superEncoder()` returns: the shared state, writing at a fixed slot.
internal final class ObjectSlotEncoder: Encoder {
    let encoder: ObjectEncodingState
    let slot: Int

    init(encoder: ObjectEncodingState, slot: Int) {
        self.encoder = encoder
        self.slot = slot
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let saved = encoder.slot
        encoder.slot = slot
        defer { encoder.slot = saved }
        encoder.unfilledSlot = nil
        return encoder.container(keyedBy: type)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let saved = encoder.slot
        encoder.slot = slot
        defer { encoder.slot = saved }
        encoder.unfilledSlot = nil
        return encoder.unkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        let saved = encoder.slot
        encoder.slot = slot
        defer { encoder.slot = saved }
        encoder.unfilledSlot = nil
        return encoder.singleValueContainer()
    }
}
