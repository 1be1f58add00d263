// The async forms of the collectives that write into the caller's array,
// `into:` and `inPlace:` (and broadcast into an array). The array is lent to
// MPI for the whole await: the caller's exclusive (inout) access lasts until
// the collective has completed, and a collective is never cancelled, so MPI
// never writes into it after the call returns. Its storage is made unique
// once (copied only if the caller shared it) and nothing else is allocated
// for it. Arrays only: a buffer of another type could move its memory.

extension Communicator {
    /// Starts the collective `start` makes over `array`'s memory and
    /// suspends until it completes.
    @MPIActor
    private func lending<T: MPIElement>(
        _ array: inout [T], _ start: (UnsafeMutableBufferPointer<T>) throws -> Request<Void>
    ) async throws {
        let target = array.withUnsafeMutableBufferPointer { $0 }
        try await start(target).wait()
    }

    /// Replaces `array` with the root's on every rank, in place (each rank's
    /// array must be as long as the root's).
    ///
    /// The corresponding C functions are `MPI_Ibcast` and `MPI_Test` (polled).
    @MPIActor
    public func broadcast<T: MPIElement>(_ array: inout [T], root: Int) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ibcast")
        try await lending(&array) { try start(broadcastCall($0, root: root, .nonblocking)) }
    }

    /// Writes block `rank` of the root's `send` into `receive`.
    ///
    /// The corresponding C functions are `MPI_Iscatter` and `MPI_Test` (polled).
    @MPIActor
    public func scatter<Send: SendBuffer>(_ send: Send, into receive: inout [Send.Element], root: Int) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iscatter")
        try await lending(&receive) { target in
            try start(scatterCall(send.withUnsafeElements { $0 }, target, root: root, .nonblocking), keeping: send)
        }
    }

    /// Scatters in place: the root keeps its own block where it is.
    ///
    /// The corresponding C functions are `MPI_Iscatter` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func scatter<T: MPIElement>(inPlace buffer: inout [T], root: Int) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iscatter")
        try await lending(&buffer) { try start(scatterCall(inPlace: $0, root: root, .nonblocking)) }
    }

    /// Writes every rank's `send`, in rank order, into the root's `receive`.
    ///
    /// The corresponding C functions are `MPI_Igather` and `MPI_Test` (polled).
    @MPIActor
    public func gather<Send: SendBuffer>(_ send: Send, into receive: inout [Send.Element], root: Int) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Igather")
        try await lending(&receive) { target in
            try start(gatherCall(send.withUnsafeElements { $0 }, target, root: root, .nonblocking), keeping: send)
        }
    }

    /// Gathers in place: the root's own block is already in `buffer`.
    ///
    /// The corresponding C functions are `MPI_Igather` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func gather<T: MPIElement>(inPlace buffer: inout [T], root: Int) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Igather")
        try await lending(&buffer) { try start(gatherCall(inPlace: $0, root: root, .nonblocking)) }
    }

    /// Writes every rank's `send`, in rank order, into `receive` on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallgather` and `MPI_Test` (polled).
    @MPIActor
    public func allGather<Send: SendBuffer>(_ send: Send, into receive: inout [Send.Element]) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iallgather")
        try await lending(&receive) { target in
            try start(allGatherCall(send.withUnsafeElements { $0 }, target, .nonblocking), keeping: send)
        }
    }

    /// Gathers to all in place: block `rank` of `buffer` is this rank's.
    ///
    /// The corresponding C functions are `MPI_Iallgather` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func allGather<T: MPIElement>(inPlace buffer: inout [T]) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iallgather")
        try await lending(&buffer) { try start(allGatherCall(nil, $0, .nonblocking)) }
    }

    /// Sends block `j` of `send` to rank `j`; writes the blocks received into `receive`.
    ///
    /// The corresponding C functions are `MPI_Ialltoall` and `MPI_Test` (polled).
    @MPIActor
    public func allToAll<Send: SendBuffer>(_ send: Send, into receive: inout [Send.Element]) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ialltoall")
        try await lending(&receive) { target in
            try start(allToAllCall(send.withUnsafeElements { $0 }, target, .nonblocking), keeping: send)
        }
    }

    /// The all-to-all exchange in place.
    ///
    /// The corresponding C functions are `MPI_Ialltoall` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func allToAll<T: MPIElement>(inPlace buffer: inout [T]) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ialltoall")
        try await lending(&buffer) { try start(allToAllCall(nil, $0, .nonblocking)) }
    }

    /// Combines every rank's `send` into the root's `receive`.
    ///
    /// The corresponding C functions are `MPI_Ireduce` and `MPI_Test` (polled).
    @MPIActor
    public func reduce<Send: SendBuffer>(
        _ send: Send, into receive: inout [Send.Element], _ operation: ReductionOperation<Send.Element>, root: Int
    ) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce")
        try await lending(&receive) { target in
            try start(reduceCall(send.withUnsafeElements { $0 }, target, operation, root: root, .nonblocking),
                      keeping: send, operation: operation.custom)
        }
    }

    /// Reduces in place: at the root `buffer` is its contribution and the result; elsewhere it is only read.
    ///
    /// The corresponding C functions are `MPI_Ireduce` (`MPI_IN_PLACE` at the root) and `MPI_Test` (polled).
    @MPIActor
    public func reduce<T: MPIElement>(inPlace buffer: inout [T], _ operation: ReductionOperation<T>, root: Int) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce")
        let isRoot = rank == root
        try await lending(&buffer) { elements in
            try start(isRoot ? reduceCall(nil, elements, operation, root: root, .nonblocking)
                             : reduceCall(UnsafeBufferPointer(elements), nil, operation, root: root, .nonblocking),
                      operation: operation.custom)
        }
    }

    /// Combines every rank's `send` into `receive` on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallreduce` and `MPI_Test` (polled).
    @MPIActor
    public func allReduce<Send: SendBuffer>(
        _ send: Send, into receive: inout [Send.Element], _ operation: ReductionOperation<Send.Element>
    ) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iallreduce")
        try await lending(&receive) { target in
            try start(allReduceCall(send.withUnsafeElements { $0 }, target, operation, .nonblocking),
                      keeping: send, operation: operation.custom)
        }
    }

    /// All-reduces in place.
    ///
    /// The corresponding C functions are `MPI_Iallreduce` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func allReduce<T: MPIElement>(inPlace buffer: inout [T], _ operation: ReductionOperation<T>) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iallreduce")
        try await lending(&buffer) { try start(allReduceCall(nil, $0, operation, .nonblocking), operation: operation.custom) }
    }

    /// Combines every rank's `send` and writes block `rank` of the result into `receive`.
    ///
    /// The corresponding C functions are `MPI_Ireduce_scatter_block` and `MPI_Test` (polled).
    @MPIActor
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, into receive: inout [Send.Element], _ operation: ReductionOperation<Send.Element>
    ) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce_scatter_block")
        try await lending(&receive) { target in
            try start(reduceScatterCall(send.withUnsafeElements { $0 }, target, operation, .nonblocking),
                      keeping: send, operation: operation.custom)
        }
    }

    /// Reduce-scatters in place: the result's block `rank` ends at the start of `buffer`.
    ///
    /// The corresponding C functions are `MPI_Ireduce_scatter_block` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func reduceScatter<T: MPIElement>(inPlace buffer: inout [T], _ operation: ReductionOperation<T>) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce_scatter_block")
        try await lending(&buffer) { try start(reduceScatterCall(nil, $0, operation, .nonblocking), operation: operation.custom) }
    }

    /// Writes the combination of `send` over ranks `0...rank` into `receive`.
    ///
    /// The corresponding C functions are `MPI_Iscan` and `MPI_Test` (polled).
    @MPIActor
    public func scan<Send: SendBuffer>(
        _ send: Send, into receive: inout [Send.Element], _ operation: ReductionOperation<Send.Element>
    ) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iscan")
        try await lending(&receive) { target in
            try start(scanCall(send.withUnsafeElements { $0 }, target, operation, exclusive: false, .nonblocking),
                      keeping: send, operation: operation.custom)
        }
    }

    /// Scans in place.
    ///
    /// The corresponding C functions are `MPI_Iscan` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func scan<T: MPIElement>(inPlace buffer: inout [T], _ operation: ReductionOperation<T>) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iscan")
        try await lending(&buffer) {
            try start(scanCall(nil, $0, operation, exclusive: false, .nonblocking), operation: operation.custom)
        }
    }

    /// Writes the combination of `send` over ranks `0..<rank` into `receive`
    /// (left as it was on rank 0, where MPI defines no result).
    ///
    /// The corresponding C functions are `MPI_Iexscan` and `MPI_Test` (polled).
    @MPIActor
    public func exclusiveScan<Send: SendBuffer>(
        _ send: Send, into receive: inout [Send.Element], _ operation: ReductionOperation<Send.Element>
    ) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iexscan")
        try await lending(&receive) { target in
            try start(scanCall(send.withUnsafeElements { $0 }, target, operation, exclusive: true, .nonblocking),
                      keeping: send, operation: operation.custom)
        }
    }

    /// Exclusive scan in place.
    ///
    /// The corresponding C functions are `MPI_Iexscan` (`MPI_IN_PLACE`) and `MPI_Test` (polled).
    @MPIActor
    public func exclusiveScan<T: MPIElement>(inPlace buffer: inout [T], _ operation: ReductionOperation<T>) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Iexscan")
        try await lending(&buffer) {
            try start(scanCall(nil, $0, operation, exclusive: true, .nonblocking), operation: operation.custom)
        }
    }

    /// Receives a message into `array`, which must be long enough for it (a
    /// longer message throws a truncation error without writing past it),
    /// suspending the task until it arrives. The array is lent to MPI, not copied.
    ///
    /// The corresponding C functions are `MPI_Irecv`, `MPI_Test` (polled) and `MPI_Cancel`.
    @MPIActor @discardableResult
    public func receive<T: MPIElement>(into array: inout [T], from source: Int, tag: Int = MPI.anyTag) async throws -> Status {
        try ProgressEngine.checkAsyncUse("MPI_Irecv")
        // The receive completes (or is cancelled and completes) before this returns.
        let target = array.withUnsafeMutableBufferPointer { $0 }
        return try await ireceive(into: target, from: source, tag: tag).wait()
    }
}
