import CMPI

// The storage of a RequestSet: per request its MPI handle, its operation and
// room for its status, in three blocks that share one count and one
// capacity (MPI's wait and test functions take handles and statuses
// contiguous). A set is non-copyable, so its storage is never shared:
// appending needs one capacity check, no uniqueness check and no
// copy-on-write path.

/// The handles, operations and statuses of a set's requests.
@usableFromInline
internal struct RequestStorage: ~Copyable {
    @usableFromInline var handleBase: UnsafeMutablePointer<RequestHandle>?
    @usableFromInline var operationBase: UnsafeMutablePointer<PendingOperation>?
    /// Initialized across the whole capacity (MPI fills them).
    @usableFromInline var statusBase: UnsafeMutablePointer<MPI_Status>?
    @usableFromInline var count = 0
    @usableFromInline var capacity = 0

    @inlinable
    init() {}

    // No deinitializer: the owner calls `deallocate()` from its own (see
    // PendingRequest for the deinitializers Swift 6.3 skips).

    /// Frees the memory; the storage must not be used after.
    @inlinable
    func deallocate() {
        handleBase?.deinitialize(count: count)
        operationBase?.deinitialize(count: count)
        statusBase?.deinitialize(count: capacity)
        handleBase?.deallocate()
        operationBase?.deallocate()
        statusBase?.deallocate()
    }

    @inlinable
    var indices: Range<Int> { 0..<count }

    @inlinable
    var isEmpty: Bool { count == 0 }

    /// The handles (nil while there is no memory), for MPI.
    @inlinable
    var handles: UnsafeMutablePointer<RequestHandle>? { handleBase }

    /// Room for a status per handle (nil while there is no memory), for MPI.
    @inlinable
    var statuses: UnsafeMutablePointer<MPI_Status>? { statusBase }

    /// The operations' memory (nil while there is none).
    @inlinable
    var operations: UnsafeMutablePointer<PendingOperation>? { operationBase }

    /// `base + index`, once `index` is checked against the count.
    @inlinable @inline(__always)
    func element<Element>(_ base: UnsafeMutablePointer<Element>?, _ index: Int) -> UnsafeMutablePointer<Element> {
        precondition(index >= 0 && index < count, "index out of range")
        return base.unsafelyUnwrapped + index
    }

    @inlinable
    subscript(handle index: Int) -> RequestHandle {
        @inline(__always) get { element(handleBase, index).pointee }
        @inline(__always) set { element(handleBase, index).pointee = newValue }
    }

    /// The operation at `index`, in place (no copy of it to change a field).
    @inlinable
    subscript(operation index: Int) -> PendingOperation {
        @inline(__always) unsafeAddress { UnsafePointer(element(operationBase, index)) }
        @inline(__always) unsafeMutableAddress { element(operationBase, index) }
    }

    /// The status at `index`, in place, for MPI to fill.
    @inlinable
    subscript(status index: Int) -> MPI_Status {
        @inline(__always) unsafeAddress { UnsafePointer(element(statusBase, index)) }
        @inline(__always) unsafeMutableAddress { element(statusBase, index) }
    }

    /// Appends a request's handle and operation.
    @inlinable @inline(__always)
    mutating func append(_ handle: RequestHandle, _ operation: PendingOperation) {
        if _slowPath(count == capacity) { grow(toAtLeast: count + 1) }
        // The capacity is non-zero, so the blocks exist.
        (handleBase.unsafelyUnwrapped + count).initialize(to: handle)
        (operationBase.unsafelyUnwrapped + count).initialize(to: operation)
        count &+= 1
    }

    @inlinable
    mutating func reserveCapacity(_ minimum: Int) {
        if minimum > capacity { grow(toAtLeast: minimum) }
    }

    /// Empties the storage, keeping its memory.
    @inlinable
    mutating func removeAll() {
        handleBase?.deinitialize(count: count)
        operationBase?.deinitialize(count: count)
        count = 0
    }

    @usableFromInline
    mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = Swift.max(minimum, capacity * 2, 4)
        handleBase = Self.moved(handleBase, count: count, to: newCapacity)
        operationBase = Self.moved(operationBase, count: count, to: newCapacity)
        let newStatuses = Self.moved(statusBase, count: capacity, to: newCapacity)
        (newStatuses + capacity).initialize(repeating: MPI_Status(), count: newCapacity - capacity)
        statusBase = newStatuses
        capacity = newCapacity
    }

    /// New memory for `capacity` elements, with the `count` first of `old` moved in.
    private static func moved<Element>(_ old: UnsafeMutablePointer<Element>?, count: Int,
                                       to capacity: Int) -> UnsafeMutablePointer<Element> {
        let new = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        if let old {
            new.moveInitialize(from: old, count: count)
            old.deallocate()
        }
        return new
    }
}
