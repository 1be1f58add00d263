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
