// Helpers shared by the collectives: arrays MPI fills, and base addresses
// that are never null (MPI rejects a null buffer even with count 0 in places).

/// A new array of `count` elements whose bytes are all zero (so that gaps a
/// v-collective leaves hold zeros, never uninitialized memory).
@inlinable
internal func zeroedArray<T: MPIElement>(_ type: T.Type, count: Int) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0) }
        initialized = count
    }
}

extension UnsafeBufferPointer {
    /// The base address, or a valid dummy address for an empty buffer.
    @inlinable
    internal var mpiAddress: UnsafeRawPointer {
        if let baseAddress { return UnsafeRawPointer(baseAddress) }
        return UnsafeRawPointer(emptyBufferAddress)
    }
}

extension UnsafeMutableBufferPointer {
    /// The base address, or a valid dummy address for an empty buffer.
    @inlinable
    internal var mpiAddress: UnsafeMutableRawPointer {
        if let baseAddress { return UnsafeMutableRawPointer(baseAddress) }
        return emptyBufferAddress
    }
}

/// Memory for an empty buffer, so that MPI never gets a null pointer (MPI
/// writes nothing there: the count is zero).
@usableFromInline
nonisolated(unsafe) internal let emptyBufferAddress = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)

/// Runs `body` with the memory of `send` and `receive`, the two buffers of a
/// blocking collective (valid only during the call).
@inlinable @inline(__always)
internal func withCollectiveBuffers<Send: SendBuffer, Receive: ReceiveBuffer, R>(
    _ send: Send, _ receive: inout Receive,
    _ body: (UnsafeBufferPointer<Send.Element>, UnsafeMutableBufferPointer<Send.Element>) throws -> R
) rethrows -> R where Send.Element == Receive.Element {
    try send.withUnsafeElements { source in
        try receive.withUnsafeMutableElements { target in try body(source, target) }
    }
}

/// One value as a buffer, for the scalar forms of the collectives.
@usableFromInline
internal struct CollectionOfOneBuffer<Element: MPIElement>: ReceiveBuffer {
    @usableFromInline var value: Element
    @inlinable init(_ value: Element) { self.value = value }

    @inlinable
    func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafePointer(to: value) { try body(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    @inlinable
    mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointer(to: &value) { try body(UnsafeMutableBufferPointer(start: $0, count: 1)) }
    }
}
