import CMPI

// Reductions (MPI 3.1 sections 5.9-5.11): reduce, all-reduce, reduce-scatter,
// inclusive and exclusive scan. Arrays are reduced element by element; every
// rank passes the same count and operation.

extension Communicator {
    // MARK: - Reduce

    /// Combines every rank's `value` with `operation`; returns the result at
    /// the root and `nil` elsewhere.
    ///
    /// The corresponding C function is `MPI_Reduce`.
    @inlinable
    public func reduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>, root: Int) throws -> T? {
        var result = CollectionOfOneBuffer(value)
        try reduce(CollectionOfOneBuffer(value), into: &result, operation, root: root)
        return rank == root ? result.value : nil
    }

    /// Combines every rank's `send` element by element; returns the result at
    /// the root and an empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Reduce`.
    @inlinable
    public func reduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>, root: Int
    ) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count)
        try reduce(send, into: &result, operation, root: root)
        return rank == root ? result : []
    }

    /// Combines every rank's `send` element by element into the root's
    /// `receive` (as long as `send`; not used elsewhere).
    ///
    /// The corresponding C function is `MPI_Reduce`.
    @inlinable
    public func reduce<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>, root: Int
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (root32, _) = try collectiveArguments(Send.Element.self, 
                    root: root, count: source.count,
                    rank == root ? BufferRequirement("receive count", target.count, mustBe: source.count, "the send count",
                                                     atRootOnly: true) : nil,
                    largeCount: true, operation: "MPI_Reduce")
                let isRoot = rank == root
                try withExtendedLifetime(operation) {
                    try forEachChunk(of: source.count) { offset, count in
                        // The receive buffer matters only at the root.
                        let result = isRoot ? advanced(target.mpiAddress, by: offset, of: Send.Element.self) : target.mpiAddress
                        try mpiCall("MPI_Reduce", MPI_Reduce(advanced(source.mpiAddress, by: offset, of: Send.Element.self),
                                                             result, count,
                                                             operation.datatype, operation.handle, root32, handle))
                    }
                }
            }
        }
    }

    /// Reduces in place: at the root, `buffer` is both this rank's
    /// contribution and the result; elsewhere it is only read.
    ///
    /// The corresponding C function is `MPI_Reduce` with `MPI_IN_PLACE`.
    @inlinable
    public func reduce<Buffer: ReceiveBuffer>(
        inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>, root: Int
    ) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (root32, _) = try collectiveArguments(Buffer.Element.self, root: root, count: elements.count, largeCount: true,
                                                      operation: "MPI_Reduce")
            let isRoot = rank == root
            try withExtendedLifetime(operation) {
                try forEachChunk(of: elements.count) { offset, count in
                    let chunk = advanced(elements.mpiAddress, by: offset, of: Buffer.Element.self)
                    if isRoot {
                        let bytes = Int(count) * MemoryLayout<Buffer.Element>.stride
                        try withInPlaceReduceSource(chunk, bytes: bytes) { source in
                            try mpiCall("MPI_Reduce", MPI_Reduce(source, chunk, count,
                                                                 operation.datatype, operation.handle, root32, handle))
                        }
                    } else {
                        try mpiCall("MPI_Reduce", MPI_Reduce(chunk, nil, count,
                                                             operation.datatype, operation.handle, root32, handle))
                    }
                }
            }
        }
    }

    // MARK: - All-reduce

    /// Combines every rank's `value` with `operation` and returns the result
    /// on every rank.
    ///
    /// The corresponding C function is `MPI_Allreduce`.
    @inlinable
    public func allReduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> T {
        var result = CollectionOfOneBuffer(value)
        try allReduce(CollectionOfOneBuffer(value), into: &result, operation)
        return result.value
    }

    /// Combines every rank's `send` element by element and returns the result
    /// on every rank.
    ///
    /// The corresponding C function is `MPI_Allreduce`.
    @inlinable
    public func allReduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count)
        try allReduce(send, into: &result, operation)
        return result
    }

    /// Combines every rank's `send` element by element into `receive` (as
    /// long as `send`) on every rank.
    ///
    /// The corresponding C function is `MPI_Allreduce`.
    @inlinable
    public func allReduce<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                _ = try collectiveArguments(Send.Element.self, 
                    root: nil, count: source.count,
                    BufferRequirement("receive count", target.count, mustBe: source.count, "the send count"),
                    largeCount: true, operation: "MPI_Allreduce")
                try withExtendedLifetime(operation) {
                    try forEachChunk(of: source.count) { offset, count in
                        let result = advanced(target.mpiAddress, by: offset, of: Send.Element.self)
                        try mpiCall("MPI_Allreduce", MPI_Allreduce(advanced(source.mpiAddress, by: offset, of: Send.Element.self),
                                                                   result, count,
                                                                   operation.datatype, operation.handle, handle))
                    }
                }
            }
        }
    }

    /// All-reduces in place: `buffer` is this rank's contribution and then
    /// the result.
    ///
    /// The corresponding C function is `MPI_Allreduce` with `MPI_IN_PLACE`.
    @inlinable
    public func allReduce<Buffer: ReceiveBuffer>(
        inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>
    ) throws {
        try buffer.withUnsafeMutableElements { elements in
            _ = try collectiveArguments(Buffer.Element.self, root: nil, count: elements.count, largeCount: true, operation: "MPI_Allreduce")
            try withExtendedLifetime(operation) {
                try forEachChunk(of: elements.count) { offset, count in
                    let chunk = advanced(elements.mpiAddress, by: offset, of: Buffer.Element.self)
                    try mpiCall("MPI_Allreduce", MPI_Allreduce(cmpi_in_place(), chunk, count,
                                                               operation.datatype, operation.handle, handle))
                }
            }
        }
    }

    // MARK: - Reduce-scatter

    /// Combines every rank's `send` (`size` blocks of equal count) element by
    /// element and returns block `rank` of the result.
    ///
    /// The corresponding C function is `MPI_Reduce_scatter_block`.
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        try send.withUnsafeElements { source in
            let (_, count) = try collectiveArguments(Send.Element.self, 
                root: nil, count: source.count / size,
                BufferRequirement("send count", source.count, dividingAmong: size),
                operation: "MPI_Reduce_scatter_block")
            var result = zeroedArray(Send.Element.self, count: Int(count))
            try result.withUnsafeMutableBufferPointer { target in
                try withExtendedLifetime(operation) {
                    try mpiCall("MPI_Reduce_scatter_block", MPI_Reduce_scatter_block(
                        source.mpiAddress, target.mpiAddress, count, operation.datatype, operation.handle, handle))
                }
            }
            return result
        }
    }

    /// Combines every rank's `send` (`size` blocks as long as `receive`)
    /// element by element and writes block `rank` of the result into `receive`.
    ///
    /// The corresponding C function is `MPI_Reduce_scatter_block`.
    @inlinable
    public func reduceScatter<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (_, count) = try collectiveArguments(Send.Element.self, 
                    root: nil, count: target.count,
                    BufferRequirement("send count", source.count, mustBe: target.count * size, "count * size"),
                    operation: "MPI_Reduce_scatter_block")
                try withExtendedLifetime(operation) {
                    try mpiCall("MPI_Reduce_scatter_block", MPI_Reduce_scatter_block(
                        source.mpiAddress, target.mpiAddress, count, operation.datatype, operation.handle, handle))
                }
            }
        }
    }

    /// Reduce-scatters in place: `buffer` holds `size` blocks; afterwards its
    /// first block holds block `rank` of the result (the rest is undefined).
    ///
    /// The corresponding C function is `MPI_Reduce_scatter_block` with `MPI_IN_PLACE`.
    public func reduceScatter<Buffer: ReceiveBuffer>(
        inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>
    ) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (_, count) = try collectiveArguments(Buffer.Element.self, 
                root: nil, count: elements.count / size,
                BufferRequirement("buffer count", elements.count, dividingAmong: size),
                operation: "MPI_Reduce_scatter_block")
            try withExtendedLifetime(operation) {
                try mpiCall("MPI_Reduce_scatter_block", MPI_Reduce_scatter_block(
                    cmpi_in_place(), elements.mpiAddress, count, operation.datatype, operation.handle, handle))
            }
        }
    }

    /// Combines every rank's `send` element by element and returns
    /// `counts[rank]` elements of the result: rank `i` gets the elements after
    /// those of ranks `0..<i`. `send` holds `counts.reduce(0, +)` elements, and
    /// every rank passes the same `counts`.
    ///
    /// The corresponding C function is `MPI_Reduce_scatter`.
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        try send.withUnsafeElements { source in
            let total = counts.reduce(0, +)
            let (_, counts32, _) = try vectorArguments(Send.Element.self, 
                root: nil, counts: counts, displacements: nil, bufferCount: total, bufferName: "send",
                ownCount: nil, displacementsHere: false,
                BufferRequirement("send count", source.count, mustBe: total, "the sum of counts"),
                operation: "MPI_Reduce_scatter")
            var result = zeroedArray(Send.Element.self, count: Int(counts32[rank]))
            try result.withUnsafeMutableBufferPointer { target in
                try withExtendedLifetime(operation) {
                    try mpiCall("MPI_Reduce_scatter", MPI_Reduce_scatter(
                        source.mpiAddress, target.mpiAddress, counts32, operation.datatype, operation.handle, handle))
                }
            }
            return result
        }
    }

    // MARK: - Scan

    /// Returns the combination of `value` over ranks `0...rank` (an inclusive prefix).
    ///
    /// The corresponding C function is `MPI_Scan`.
    @inlinable
    public func scan<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> T {
        var result = CollectionOfOneBuffer(value)
        try scan(CollectionOfOneBuffer(value), into: &result, operation)
        return result.value
    }

    /// Returns the element-by-element combination of `send` over ranks `0...rank`.
    ///
    /// The corresponding C function is `MPI_Scan`.
    @inlinable
    public func scan<Send: SendBuffer>(_ send: Send, _ operation: ReductionOperation<Send.Element>) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count)
        try scan(send, into: &result, operation)
        return result
    }

    /// Writes the element-by-element combination of `send` over ranks
    /// `0...rank` into `receive` (as long as `send`).
    ///
    /// The corresponding C function is `MPI_Scan`.
    @inlinable
    public func scan<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>
    ) throws where Send.Element == Receive.Element {
        try prefix(send, into: &receive, operation, exclusive: false)
    }

    /// Scans in place: `buffer` is this rank's contribution and then its prefix.
    ///
    /// The corresponding C function is `MPI_Scan` with `MPI_IN_PLACE`.
    @inlinable
    public func scan<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>) throws {
        try prefix(inPlace: &buffer, operation, exclusive: false)
    }

    /// Returns the combination of `value` over ranks `0..<rank` (an exclusive
    /// prefix), or `nil` on rank 0, where MPI leaves it undefined.
    ///
    /// The corresponding C function is `MPI_Exscan`.
    @inlinable
    public func exclusiveScan<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> T? {
        var result = CollectionOfOneBuffer(value)
        try prefix(CollectionOfOneBuffer(value), into: &result, operation, exclusive: true)
        return rank == 0 ? nil : result.value
    }

    /// Returns the element-by-element combination of `send` over ranks
    /// `0..<rank`; an empty array on rank 0, where MPI leaves it undefined.
    ///
    /// The corresponding C function is `MPI_Exscan`.
    @inlinable
    public func exclusiveScan<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count)
        try prefix(send, into: &result, operation, exclusive: true)
        return rank == 0 ? [] : result
    }

    /// Exclusive scan in place: `buffer` is this rank's contribution and then
    /// the combination over ranks `0..<rank`; on rank 0 its contents are
    /// undefined afterwards, as MPI specifies.
    ///
    /// The corresponding C function is `MPI_Exscan` with `MPI_IN_PLACE`.
    @inlinable
    public func exclusiveScan<Buffer: ReceiveBuffer>(
        inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>
    ) throws {
        try prefix(inPlace: &buffer, operation, exclusive: true)
    }

    @inlinable
    internal func prefix<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>, exclusive: Bool
    ) throws where Send.Element == Receive.Element {
        let name: StaticString = exclusive ? "MPI_Exscan" : "MPI_Scan"
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (_, count) = try collectiveArguments(Send.Element.self, 
                    root: nil, count: source.count,
                    BufferRequirement("receive count", target.count, mustBe: source.count, "the send count"),
                    operation: name)
                try withExtendedLifetime(operation) {
                    let code = exclusive
                        ? MPI_Exscan(source.mpiAddress, target.mpiAddress, count, operation.datatype, operation.handle, handle)
                        : MPI_Scan(source.mpiAddress, target.mpiAddress, count, operation.datatype, operation.handle, handle)
                    try mpiCall(name, code)
                }
            }
        }
    }

    @inlinable
    internal func prefix<Buffer: ReceiveBuffer>(
        inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>, exclusive: Bool
    ) throws {
        let name: StaticString = exclusive ? "MPI_Exscan" : "MPI_Scan"
        try buffer.withUnsafeMutableElements { elements in
            let (_, count) = try collectiveArguments(Buffer.Element.self, root: nil, count: elements.count, operation: name)
            try withExtendedLifetime(operation) {
                let code = exclusive
                    ? MPI_Exscan(cmpi_in_place(), elements.mpiAddress, count, operation.datatype, operation.handle, handle)
                    : MPI_Scan(cmpi_in_place(), elements.mpiAddress, count, operation.datatype, operation.handle, handle)
                try mpiCall(name, code)
            }
        }
    }
}
