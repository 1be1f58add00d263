// Nonblocking reductions (MPI 3.1 section 5.12): the reductions of
// Communicator+Reductions.swift, started as requests, over the same buffers.

extension Communicator {
    /// Starts reducing every rank's `send` element by element to the root;
    /// `wait` returns the result at the root and an empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Ireduce`.
    @inlinable
    public func ireduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>, root: Int
    ) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: count, resultIsEmpty: rank != root, operation: operation.custom) {
            try reduceCall($0, $1, operation, root: root, .nonblocking)
        }
    }

    /// Starts reducing every rank's `send` into the root's `receive` (as long
    /// as `send`; not used elsewhere).
    ///
    /// The corresponding C function is `MPI_Ireduce`.
    @inlinable
    public func ireduce<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>,
        _ operation: ReductionOperation<Send.Element>, root: Int
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive, operation: operation.custom) { try reduceCall($0, $1, operation, root: root, .nonblocking) }
    }

    /// Starts an all-reduce of one value; `wait` returns the result.
    ///
    /// The corresponding C function is `MPI_Iallreduce`.
    @inlinable
    public func iallReduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) throws -> Request<T> {
        let storage = CollectiveStorage()
        let memory = storage.scalarCell(T.self)
        let cell = memory.bindMemory(to: T.self, capacity: 1)
        cell.initialize(to: value)
        let call = try allReduceCall(nil, UnsafeMutableBufferPointer(start: cell, count: 1), operation, .nonblocking)
        return try start(call, operation: operation.custom, storage: storage, scalarResult: memory)
    }

    /// Starts an all-reduce of `send` element by element; `wait` returns the
    /// result on every rank.
    ///
    /// The corresponding C function is `MPI_Iallreduce`.
    @inlinable
    public func iallReduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: count, operation: operation.custom) { try allReduceCall($0, $1, operation, .nonblocking) }
    }

    /// Starts an all-reduce of `send` into `receive` (as long as `send`).
    ///
    /// The corresponding C function is `MPI_Iallreduce`.
    @inlinable
    public func iallReduce<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive, operation: operation.custom) { try allReduceCall($0, $1, operation, .nonblocking) }
    }

    /// Starts an all-reduce in place: `buffer` is this rank's contribution,
    /// and `wait` returns it holding the result.
    ///
    /// The corresponding C function is `MPI_Iallreduce` with `MPI_IN_PLACE`.
    @inlinable
    public func iallReduce<T: MPIElement>(inPlace buffer: consuming [T], _ operation: ReductionOperation<T>) throws -> Request<[T]> {
        try startInPlace(buffer, operation: operation.custom) { try allReduceCall(nil, $0, operation, .nonblocking) }
    }

    /// Starts an all-reduce in place in memory the caller owns, which must
    /// stay valid until the request completes.
    ///
    /// The corresponding C function is `MPI_Iallreduce` with `MPI_IN_PLACE`.
    @inlinable
    public func iallReduce<T: MPIElement>(
        inPlace buffer: UnsafeMutableBufferPointer<T>, _ operation: ReductionOperation<T>
    ) throws -> Request<Void> {
        try start(allReduceCall(nil, buffer, operation, .nonblocking), operation: operation.custom)
    }

    /// Starts a block reduce-scatter (see ``reduceScatter(_:_:)``).
    ///
    /// The corresponding C function is `MPI_Ireduce_scatter_block`.
    @inlinable
    public func ireduceScatter<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: size > 0 ? count / size : 0, operation: operation.custom) {
            try reduceScatterCall($0, $1, operation, .nonblocking)
        }
    }

    /// Starts a block reduce-scatter into `receive` (`send` holds `size`
    /// blocks as long as it).
    ///
    /// The corresponding C function is `MPI_Ireduce_scatter_block`.
    @inlinable
    public func ireduceScatter<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive, operation: operation.custom) { try reduceScatterCall($0, $1, operation, .nonblocking) }
    }

    /// Starts a vector reduce-scatter (see ``reduceScatter(_:counts:_:)``).
    ///
    /// The corresponding C function is `MPI_Ireduce_scatter`.
    @inlinable
    public func ireduceScatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<[Send.Element]> {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        return try startReturningArray(send, resultCount: own, operation: operation.custom) {
            try reduceScattervCall($0, counts: counts, into: $1, operation, .nonblocking)
        }
    }

    /// Starts an inclusive scan (see ``scan(_:_:)``).
    ///
    /// The corresponding C function is `MPI_Iscan`.
    @inlinable
    public func iscan<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: count, operation: operation.custom) {
            try scanCall($0, $1, operation, exclusive: false, .nonblocking)
        }
    }

    /// Starts an inclusive scan into `receive` (as long as `send`).
    ///
    /// The corresponding C function is `MPI_Iscan`.
    @inlinable
    public func iscan<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive, operation: operation.custom) { try scanCall($0, $1, operation, exclusive: false, .nonblocking) }
    }

    /// Starts an exclusive scan (see ``exclusiveScan(_:_:)``); `wait` returns
    /// an empty array on rank 0.
    ///
    /// The corresponding C function is `MPI_Iexscan`.
    @inlinable
    public func iexclusiveScan<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: count, resultIsEmpty: rank == 0, operation: operation.custom) {
            try scanCall($0, $1, operation, exclusive: true, .nonblocking)
        }
    }

    /// Starts an exclusive scan into `receive` (as long as `send`; left
    /// undefined on rank 0).
    ///
    /// The corresponding C function is `MPI_Iexscan`.
    @inlinable
    public func iexclusiveScan<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>, _ operation: ReductionOperation<Send.Element>
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive, operation: operation.custom) { try scanCall($0, $1, operation, exclusive: true, .nonblocking) }
    }
}
