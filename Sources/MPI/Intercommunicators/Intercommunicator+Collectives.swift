import CMPI

// Collectives over an intercommunicator (MPI 3.1 section 5.2.2): data moves
// between the groups. Rooted ones take an IntercommunicatorRoot; in the
// other forms each process receives what the remote group sent. They call
// MPI directly with checked counts: the package's agreement check for
// ordinary communicators compares arguments within one group, which does
// not apply here.

extension Intercommunicator {
    /// Waits until every process of both groups has called it.
    ///
    /// The corresponding C function is `MPI_Barrier`.
    public func barrier() throws {
        try MPIC.barrier(handle)
    }

    /// Copies the root's `buffer` into `buffer` on every process of the other
    /// group; `.none` processes pass any buffer, which is not used.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    public func broadcast<Buffer: ReceiveBuffer>(_ buffer: inout Buffer, root: IntercommunicatorRoot) throws {
        let operation: StaticString = "MPI_Bcast"
        let root32 = try checkedRoot(root, operation: operation)
        let datatype = try Buffer.Element.checkedReceiveDatatype(operation)
        try buffer.withUnsafeMutableElements { elements in
            let count = try checkedCount(elements.count, operation: operation)
            try MPIC.bcast(elements.baseAddress, count, datatype, root32, handle)
        }
    }

    /// Returns the root's `value` on the other group's processes; at the root
    /// and `.none` processes, `value` itself.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    public func broadcast<T: MPIElement>(_ value: T, root: IntercommunicatorRoot) throws -> T {
        var buffer = [value]
        try broadcast(&buffer, root: root)
        return buffer[0]
    }

    /// Combines the other group's `send` buffers element by element at the
    /// root and returns the result there (as long as the root's `send`,
    /// whose contents are not used); an empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Reduce`.
    public func reduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>, root: IntercommunicatorRoot
    ) throws -> [Send.Element] {
        let name: StaticString = "MPI_Reduce"
        let root32 = try checkedRoot(root, operation: name)
        _ = try Send.Element.checkedDatatype(name)
        let reduction = Reduction(operation)
        let count = send.withUnsafeElements { $0.count }
        let count32 = try checkedCount(count, operation: name)
        var result = zeroedArray(Send.Element.self, count: root == .root ? count : 0)
        try send.withUnsafeElements { source in
            try result.withUnsafeMutableBufferPointer { target in
                try MPIC.reduce(source.baseAddress, target.baseAddress, count32, reduction.datatype, reduction.handle,
                                root32, handle)
            }
        }
        return result
    }

    /// Combines the remote group's `send` buffers element by element and
    /// returns the result (as long as `send`) on every process: each group
    /// gets the reduction of the other group's values.
    ///
    /// The corresponding C function is `MPI_Allreduce`.
    public func allReduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> [Send.Element] {
        let name: StaticString = "MPI_Allreduce"
        _ = try Send.Element.checkedDatatype(name)
        let reduction = Reduction(operation)
        let count = send.withUnsafeElements { $0.count }
        let count32 = try checkedCount(count, operation: name)
        var result = zeroedArray(Send.Element.self, count: count)
        try send.withUnsafeElements { source in
            try result.withUnsafeMutableBufferPointer { target in
                try MPIC.allreduce(source.baseAddress, target.baseAddress, count32, reduction.datatype, reduction.handle,
                                   handle)
            }
        }
        return result
    }

    /// The reduction of the remote group's values.
    ///
    /// The corresponding C function is `MPI_Allreduce`.
    public func allReduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> T {
        try allReduce([value], operation)[0]
    }

    /// Collects the other group's `send` buffers (all of the same count) at
    /// the root, in remote rank order: `count * remoteSize` elements, where
    /// `count` is the root's `send` count (its contents are not used). An
    /// empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Gather`.
    public func gather<Send: SendBuffer>(_ send: Send, root: IntercommunicatorRoot) throws -> [Send.Element] {
        let name: StaticString = "MPI_Gather"
        let root32 = try checkedRoot(root, operation: name)
        let datatype = try Send.Element.checkedDatatype(name)
        let count = send.withUnsafeElements { $0.count }
        let count32 = try checkedCount(count, operation: name)
        let resultCount = root == .root ? count * remoteSize : 0
        _ = try checkedCount(resultCount, "count * remoteSize", operation: name)
        var result = zeroedArray(Send.Element.self, count: resultCount)
        try send.withUnsafeElements { source in
            try result.withUnsafeMutableBufferPointer { target in
                try MPIC.gather(source.baseAddress, count32, datatype, target.baseAddress, count32, datatype, root32, handle)
            }
        }
        return result
    }

    /// Splits the root's `send` into `remoteSize` blocks of `count` elements
    /// and returns block `rank` on each process of the other group; an empty
    /// array at the root and `.none` processes. `send` is read only at the
    /// root, where it must hold `count * remoteSize` elements.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    public func scatter<Send: SendBuffer>(_ send: Send, count: Int, root: IntercommunicatorRoot) throws -> [Send.Element] {
        let name: StaticString = "MPI_Scatter"
        let root32 = try checkedRoot(root, operation: name)
        let datatype = try Send.Element.checkedDatatype(name)
        let count32 = try checkedCount(count, operation: name)
        let sendCount = send.withUnsafeElements { $0.count }
        if root == .root, sendCount != count * remoteSize {
            throw MPIError.invalidArgument("send count", sendCount,
                                           "must be count * remoteSize = \(count * remoteSize) at the root",
                                           errorClass: .count, operation: name)
        }
        var result = zeroedArray(Send.Element.self, count: { if case .remote = root { return count } else { return 0 } }())
        try send.withUnsafeElements { source in
            try result.withUnsafeMutableBufferPointer { target in
                try MPIC.scatter(source.baseAddress, count32, datatype, target.baseAddress, count32, datatype, root32, handle)
            }
        }
        return result
    }

    /// Collects the remote group's `send` buffers (all of this process's
    /// `send` count), in remote rank order, on every process:
    /// `count * remoteSize` elements.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    public func allGather<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let name: StaticString = "MPI_Allgather"
        let datatype = try Send.Element.checkedDatatype(name)
        let count = send.withUnsafeElements { $0.count }
        let count32 = try checkedCount(count, operation: name)
        _ = try checkedCount(count * remoteSize, "count * remoteSize", operation: name)
        var result = zeroedArray(Send.Element.self, count: count * remoteSize)
        try send.withUnsafeElements { source in
            try result.withUnsafeMutableBufferPointer { target in
                try MPIC.allgather(source.baseAddress, count32, datatype, target.baseAddress, count32, datatype, handle)
            }
        }
        return result
    }

    /// Sends block `i` of `send` (`remoteSize` blocks of equal count) to
    /// remote rank `i` and returns the blocks received, in remote rank order.
    ///
    /// The corresponding C function is `MPI_Alltoall`.
    public func allToAll<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let name: StaticString = "MPI_Alltoall"
        let datatype = try Send.Element.checkedDatatype(name)
        let count = send.withUnsafeElements { $0.count }
        guard remoteSize > 0, count % remoteSize == 0 else {
            throw MPIError.invalidArgument("send count", count, "must divide evenly among the \(remoteSize) remote ranks",
                                           errorClass: .count, operation: name)
        }
        let block = try checkedCount(count / remoteSize, operation: name)
        var result = zeroedArray(Send.Element.self, count: count)
        try send.withUnsafeElements { source in
            try result.withUnsafeMutableBufferPointer { target in
                try MPIC.alltoall(source.baseAddress, block, datatype, target.baseAddress, block, datatype, handle)
            }
        }
        return result
    }
}
