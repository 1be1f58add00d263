/// Contiguous storage of ``MPIElement``s that a message can be sent from.
///
/// Array, ContiguousArray, ArraySlice, UnsafeBufferPointer and
/// UnsafeMutableBufferPointer conform; MPI reads their memory in place.
public protocol SendBuffer<Element> {
    associatedtype Element: MPIElement
    /// Calls `body` with the elements' memory, valid only during the call.
    func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R
}

/// Contiguous storage of ``MPIElement``s that a message can be received into.
///
/// MPI writes into the memory in place; the received message may be shorter
/// than the buffer (the status tells how many elements arrived), never longer.
public protocol ReceiveBuffer<Element>: SendBuffer {
    /// Calls `body` with the elements' memory, valid only during the call.
    mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R
}

extension Array: SendBuffer, ReceiveBuffer where Element: MPIElement {
    /// The elements' memory, for MPI to read (no MPI call).
    @inlinable
    public func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer(body)
    }
    /// The elements' memory, for MPI to write (no MPI call).
    @inlinable
    public mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body($0) }
    }
}

extension ContiguousArray: SendBuffer, ReceiveBuffer where Element: MPIElement {
    /// The elements' memory, for MPI to read (no MPI call).
    @inlinable
    public func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer(body)
    }
    /// The elements' memory, for MPI to write (no MPI call).
    @inlinable
    public mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body($0) }
    }
}

extension ArraySlice: SendBuffer, ReceiveBuffer where Element: MPIElement {
    /// The elements' memory, for MPI to read (no MPI call).
    @inlinable
    public func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer(body)
    }
    /// The elements' memory, for MPI to write (no MPI call).
    @inlinable
    public mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body($0) }
    }
}

extension UnsafeBufferPointer: SendBuffer where Element: MPIElement {
    /// The elements' memory, for MPI to read (no MPI call).
    @inlinable
    public func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(self)
    }
}

extension UnsafeMutableBufferPointer: SendBuffer, ReceiveBuffer where Element: MPIElement {
    /// The elements' memory, for MPI to read (no MPI call).
    @inlinable
    public func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(self))
    }
    /// The elements' memory, for MPI to write (no MPI call).
    @inlinable
    public mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(self)
    }
}
