// Reductions (MPI 3.1 sections 5.9-5.11): reduce, all-reduce, reduce-scatter,
// inclusive and exclusive scan. Arrays are reduced element by element; every
// rank passes the same count and operation. Each form is an adapter over the
// reduction's description (Machinery/ReductionDescriptions.swift).

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
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(reduceCall(source, target, operation, root: root, .blocking))
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
            try run(rank == root ? reduceCall(nil, elements, operation, root: root, .blocking)
                                 : reduceCall(UnsafeBufferPointer(elements), nil, operation, root: root, .blocking))
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
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(allReduceCall(source, target, operation, .blocking))
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
            try run(allReduceCall(nil, elements, operation, .blocking))
        }
    }

    // MARK: - Reduce-scatter

    /// Combines every rank's `send` (`size` blocks of equal count) element by
    /// element and returns block `rank` of the result.
    ///
    /// The corresponding C function is `MPI_Reduce_scatter_block`.
    @inlinable
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count / size)
        try reduceScatter(send, into: &result, operation)
        return result
    }

    /// Combines every rank's `send` (`size` blocks as long as `receive`)
    /// element by element and writes block `rank` of the result into `receive`.
    ///
    /// The corresponding C function is `MPI_Reduce_scatter_block`.
    @inlinable
    public func reduceScatter<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>
    ) throws where Send.Element == Receive.Element {
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(reduceScatterCall(source, target, operation, .blocking))
        }
    }

    /// Reduce-scatters in place: `buffer` holds `size` blocks; afterwards its
    /// first block holds block `rank` of the result (the rest is undefined).
    ///
    /// The corresponding C function is `MPI_Reduce_scatter_block` with `MPI_IN_PLACE`.
    @inlinable
    public func reduceScatter<Buffer: ReceiveBuffer>(
        inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>
    ) throws {
        try buffer.withUnsafeMutableElements { elements in
            try run(reduceScatterCall(nil, elements, operation, .blocking))
        }
    }

    /// Combines every rank's `send` element by element and returns
    /// `counts[rank]` elements of the result: rank `i` gets the elements after
    /// those of ranks `0..<i`. `send` holds `counts.reduce(0, +)` elements, and
    /// every rank passes the same `counts`.
    ///
    /// The corresponding C function is `MPI_Reduce_scatter`.
    @inlinable
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        var result = zeroedArray(Send.Element.self, count: own)
        try withCollectiveBuffers(send, &result) { source, target in
            try run(reduceScattervCall(source, counts: counts, into: target, operation, .blocking))
        }
        return result
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
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(scanCall(source, target, operation, exclusive: false, .blocking))
        }
    }

    /// Scans in place: `buffer` is this rank's contribution and then its prefix.
    ///
    /// The corresponding C function is `MPI_Scan` with `MPI_IN_PLACE`.
    @inlinable
    public func scan<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer, _ operation: ReductionOperation<Buffer.Element>) throws {
        try buffer.withUnsafeMutableElements { elements in
            try run(scanCall(nil, elements, operation, exclusive: false, .blocking))
        }
    }

    /// Returns the combination of `value` over ranks `0..<rank` (an exclusive
    /// prefix), or `nil` on rank 0, where MPI leaves it undefined.
    ///
    /// The corresponding C function is `MPI_Exscan`.
    @inlinable
    public func exclusiveScan<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> T? {
        var result = CollectionOfOneBuffer(value)
        try exclusiveScan(CollectionOfOneBuffer(value), into: &result, operation)
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
        try exclusiveScan(send, into: &result, operation)
        return rank == 0 ? [] : result
    }

    /// Writes the element-by-element combination of `send` over ranks
    /// `0..<rank` into `receive` (as long as `send`); on rank 0 `receive` is
    /// left undefined, as MPI specifies.
    ///
    /// The corresponding C function is `MPI_Exscan`.
    @inlinable
    public func exclusiveScan<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, _ operation: ReductionOperation<Send.Element>
    ) throws where Send.Element == Receive.Element {
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(scanCall(source, target, operation, exclusive: true, .blocking))
        }
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
        try buffer.withUnsafeMutableElements { elements in
            try run(scanCall(nil, elements, operation, exclusive: true, .blocking))
        }
    }
}
