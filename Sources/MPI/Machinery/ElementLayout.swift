import CMPI

// An element type's MPI datatype must describe its memory as Swift lays it
// out: MPI places element i of a buffer at i * extent, where Swift puts it at
// i * stride, and the receives count a message's bytes in whole strides. A
// conformance whose datatype says otherwise (a struct type of 20 bytes for a
// 24-byte stride) would give packed bytes in a padded array, or throw about
// a count, without a word about why. So the first use of every element type
// whose datatype comes from outside this package checks it against the
// type's layout, and a mismatch is an MPIError naming the type. The package's
// own element types are known to match (a test checks them against MPI), so
// for them the check folds away at compile time.

extension MPIElement {
    /// This type's MPI datatype, once it is known to place elements as Swift
    /// does: extent equal to the stride, lower bound 0.
    @inlinable @inline(__always)
    internal static func checkedDatatype(_ operation: StaticString) throws -> DatatypeHandle {
        let datatype = mpiDatatype
        if _fastPath(datatype.knownExtent == MemoryLayout<Self>.stride) { return datatype.handle }
        return try ElementLayout.check(Self.self, datatype, operation: operation)
    }

    /// The same, for receives into a buffer. A type with padding (less data
    /// than its stride) is received as its datatype, which places each
    /// element at its stride; every other type as bytes.
    @inlinable @inline(__always)
    internal static func checkedReceiveDatatype(_ operation: StaticString) throws -> DatatypeHandle {
        let datatype = mpiDatatype
        if _fastPath(datatype.knownSize == MemoryLayout<Self>.stride && datatype.knownExtent == MemoryLayout<Self>.stride) {
            return datatype.handle
        }
        return try ElementLayout.check(Self.self, datatype, operation: operation)
    }

    /// Whether the type has padding, which MPI does not send: its receives
    /// into buffers go through its datatype, not bytes. False at compile time
    /// for the package's own element types.
    @inlinable @inline(__always)
    internal static func hasPadding(_ operation: StaticString) throws -> Bool {
        try checkedArrayReceiveUnit(operation) != MemoryLayout<Self>.stride
    }
}

extension MPIElement {
    /// The bytes of data in one value as MPI sends it (MPI_Type_size), for
    /// receives into new arrays, which MPI unpacks by the datatype: a struct
    /// with padding sends fewer bytes than its stride. Its extent must still
    /// be the stride.
    @inlinable @inline(__always)
    internal static func checkedArrayReceiveUnit(_ operation: StaticString) throws -> Int {
        let datatype = mpiDatatype
        if _fastPath(datatype.knownExtent == MemoryLayout<Self>.stride && datatype.knownSize != 0) {
            return datatype.knownSize
        }
        _ = try ElementLayout.check(Self.self, datatype, operation: operation)
        return try ElementLayout.dataSize(Self.self, datatype, operation: operation)
    }
}

@usableFromInline
internal enum ElementLayout {
    /// What MPI says of a datatype, read once per element type and handle.
    struct Layout {
        let handle: HandleKey
        let size: Int
        let lowerBound: Int
        let extent: Int
    }

    private static let layouts = Locked<[ObjectIdentifier: Layout]>([:])

    /// Checks `datatype` against `T`'s layout (asking MPI once per type) and
    /// returns its handle, or throws naming the type.
    @usableFromInline
    static func check<T: MPIElement>(
        _ type: T.Type, _ datatype: Datatype, operation: StaticString
    ) throws -> DatatypeHandle {
        // A derived type that could not be made has no handle; its error says why.
        if datatype.handle == cmpi_datatype_null(), let error = DerivedDatatypes.error(for: type) { throw error }
        let stride = MemoryLayout<T>.stride
        let layout = try datatype.knownExtent != 0
            ? Layout(handle: HandleKey(datatype.handle), size: datatype.knownSize, lowerBound: 0,
                     extent: datatype.knownExtent)
            : layouts.withLock { known in
                if let layout = known[ObjectIdentifier(type)], layout.handle == HandleKey(datatype.handle) {
                    return layout
                }
                let layout = try read(datatype.handle, operation: operation)
                known[ObjectIdentifier(type)] = layout
                return layout
            }
        if layout.lowerBound != 0 || layout.extent != stride {
            let name = String(reflecting: type)
            throw MPIError.invalidArgument(
                "element type", name,
                "its MPI datatype has lower bound \(layout.lowerBound) and extent \(layout.extent) bytes, but "
                    + "MemoryLayout<\(name)>.stride is \(stride): MPI would place array elements \(layout.extent) "
                    + "bytes apart where Swift places them \(stride) bytes apart. Give it a datatype that covers one "
                    + "whole element (MPI_Type_create_resized to lower bound 0 and extent \(stride)); see MPIElement",
                errorClass: .type, operation: operation)
        }
        return datatype.handle
    }

    /// The data size of `datatype` (checked by ``check(_:_:operation:)`` first).
    @usableFromInline
    static func dataSize<T: MPIElement>(_ type: T.Type, _ datatype: Datatype, operation: StaticString) throws -> Int {
        if datatype.knownSize != 0 { return datatype.knownSize }
        return try layouts.withLock { known in
            if let layout = known[ObjectIdentifier(type)], layout.handle == HandleKey(datatype.handle) { return layout.size }
            return try read(datatype.handle, operation: operation).size
        }
    }

    private static func read(_ handle: DatatypeHandle, operation: StaticString) throws -> Layout {
        var size: CInt = 0
        var lowerBound: MPI_Aint = 0
        var extent: MPI_Aint = 0
        try MPIC.typeSize(handle, &size)
        try MPIC.typeGetExtent(handle, &lowerBound, &extent)
        return Layout(handle: HandleKey(handle), size: Int(size), lowerBound: Int(lowerBound), extent: Int(extent))
    }
}
