// What keeps an owned buffer's memory alive while MPI uses it: one object
// reference, which a request holds and releases when it goes (a retain and a
// release, no existential, nothing to copy when the request moves).
//
// An Array or ContiguousArray is one reference to its storage object (on
// Linux, where no Objective-C bridging changes that), and that object is what
// owns the elements: holding it keeps the memory where it is, since nothing
// can mutate an array whose storage is shared without copying it first.
// Unsafe buffer pointers are borrowed (nothing to keep). Any other buffer
// (a slice, a conformance from elsewhere) is kept in a box, which allocates.

/// The object that keeps `buffer`'s memory alive, or nil for borrowed memory.
@inlinable @inline(__always)
internal func requestOwner<Buffer: SendBuffer>(of buffer: Buffer) -> AnyObject? {
    if Buffer.self == UnsafeBufferPointer<Buffer.Element>.self
        || Buffer.self == UnsafeMutableBufferPointer<Buffer.Element>.self {
        return nil
    }
    if isSingleReferenceArray(Buffer.self) {
        return unsafeBitCast(buffer, to: AnyObject.self)
    }
    return KeptBuffer(buffer)
}

/// The owner of a buffer known only as an existential (collectives).
@inlinable
internal func requestOwner(ofAny buffer: any SendBuffer) -> AnyObject? {
    requestOwner(of: buffer)   // opens the existential
}

/// Whether `Buffer` is an array type laid out as one reference to the object
/// that owns its elements.
@inlinable @inline(__always)
internal func isSingleReferenceArray<Buffer: SendBuffer>(_: Buffer.Type) -> Bool {
    (Buffer.self == [Buffer.Element].self || Buffer.self == ContiguousArray<Buffer.Element>.self)
        && MemoryLayout<Buffer>.size == MemoryLayout<AnyObject>.size
}

/// A buffer that is not one reference, kept whole.
@usableFromInline
internal final class KeptBuffer<Buffer: SendBuffer> {
    @usableFromInline let buffer: Buffer

    @inlinable
    init(_ buffer: Buffer) { self.buffer = buffer }
}
