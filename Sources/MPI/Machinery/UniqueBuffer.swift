// The storage of a RequestSet's parts. A set is non-copyable, so its storage
// is never shared: unlike an Array, appending needs no uniqueness check and
// no copy-on-write path, only a capacity check. The memory is contiguous, as
// MPI's wait and test functions take handles and statuses.

/// A growable buffer of plain values that only its one owner uses.
@usableFromInline
internal struct UniqueBuffer<Element>: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<Element>?
    @usableFromInline var count = 0
    @usableFromInline var capacity = 0

    @inlinable
    init() {}

    // No deinitializer: the owner calls `deallocate()` from its own. (Swift
    // 6.3 skips the deinitializer of a generic non-copyable struct whose
    // fields are all trivial when it is specialized in another module in a
    // debug build; see PendingRequest.)

    /// Frees the memory; the buffer must not be used after (its owner's
    /// deinitializer calls it).
    @inlinable
    func deallocate() {
        base?.deinitialize(count: count)
        base?.deallocate()
    }

    @inlinable
    var indices: Range<Int> { 0..<count }

    @inlinable
    var isEmpty: Bool { count == 0 }

    /// The elements' memory (nil while there is none), for MPI.
    @inlinable
    var baseAddress: UnsafeMutablePointer<Element>? { base }

    @inlinable
    subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "index out of range")
            return base![index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count, "index out of range")
            base![index] = newValue
        }
    }

    @inlinable @inline(__always)
    mutating func append(_ element: consuming Element) {
        if _slowPath(count == capacity) { grow(toAtLeast: count + 1) }
        (base! + count).initialize(to: element)
        count += 1
    }

    /// Appends `element` until the buffer holds `newCount` elements.
    @inlinable
    mutating func append(repeating element: Element, toCount newCount: Int) {
        guard newCount > count else { return }
        if newCount > capacity { grow(toAtLeast: newCount) }
        (base! + count).initialize(repeating: element, count: newCount - count)
        count = newCount
    }

    @inlinable
    mutating func reserveCapacity(_ minimum: Int) {
        if minimum > capacity { grow(toAtLeast: minimum) }
    }

    /// Empties the buffer, keeping its memory.
    @inlinable
    mutating func removeAll() {
        base?.deinitialize(count: count)
        count = 0
    }

    /// Calls `body` with the elements' memory (empty when there is none).
    @inlinable @inline(__always)
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    @usableFromInline
    mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = Swift.max(minimum, capacity * 2, 4)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}
