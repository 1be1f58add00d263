// The async forms of the collectives: each starts the nonblocking collective
// (MPI 3.1 section 5.12) with the synchronous form's arguments, checked the
// same way, and suspends the task until it completes. A collective is not
// cancelled with its task (MPI cannot cancel one): it completes first.
//
// The forms that write into the caller's array are in
// Communicator+AsyncCollectiveBuffers.swift.

extension Communicator {
    /// Suspends the task until every rank has entered the barrier.
    ///
    /// The corresponding C functions are `MPI_Ibarrier` and `MPI_Test` (polled).
    @MPIActor
    public func barrier() async throws {
        try ProgressEngine.checkAsyncUse("MPI_Ibarrier")
        try await ibarrier().wait()
    }

    /// Returns the root's `value` on every rank.
    ///
    /// The corresponding C functions are `MPI_Ibcast` and `MPI_Test` (polled).
    @MPIActor
    public func broadcast<T: MPIElement>(_ value: T, root: Int) async throws -> sending T {
        try ProgressEngine.checkAsyncUse("MPI_Ibcast")
        return UncheckedSendable(try await ibroadcast([value], root: root).wait()[0]).value
    }

    /// Returns block `rank` of the root's `send`, `count` elements per rank.
    ///
    /// The corresponding C functions are `MPI_Iscatter` and `MPI_Test` (polled).
    @MPIActor
    public func scatter<Send: SendBuffer>(_ send: Send, count: Int, root: Int) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iscatter")
        return UncheckedSendable(try await iscatter(send, count: count, root: root).wait()).value
    }

    /// Returns element `rank` of the root's `send`.
    ///
    /// The corresponding C functions are `MPI_Iscatter` and `MPI_Test` (polled).
    @MPIActor
    public func scatter<Send: SendBuffer>(_ send: Send, root: Int) async throws -> sending Send.Element {
        try ProgressEngine.checkAsyncUse("MPI_Iscatter")
        return UncheckedSendable(try await iscatter(send, count: 1, root: root).wait()[0]).value
    }

    /// Returns this rank's block of the root's `send`, blocks given by `counts`
    /// and `displacements` (see the synchronous form).
    ///
    /// The corresponding C functions are `MPI_Iscatterv` and `MPI_Test` (polled).
    @MPIActor
    public func scatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iscatterv")
        return UncheckedSendable(try await iscatter(send, counts: counts, displacements: displacements, root: root).wait()).value
    }

    /// Returns every rank's `send`, in rank order, at the root (empty elsewhere).
    ///
    /// The corresponding C functions are `MPI_Igather` and `MPI_Test` (polled).
    @MPIActor
    public func gather<Send: SendBuffer>(_ send: Send, root: Int) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Igather")
        return UncheckedSendable(try await igather(send, root: root).wait()).value
    }

    /// Returns every rank's `value`, in rank order, at the root (empty elsewhere).
    ///
    /// The corresponding C functions are `MPI_Igather` and `MPI_Test` (polled).
    @MPIActor
    public func gather<T: MPIElement>(_ value: T, root: Int) async throws -> sending [T] {
        try ProgressEngine.checkAsyncUse("MPI_Igather")
        return UncheckedSendable(try await igather([value], root: root).wait()).value
    }

    /// Returns every rank's `send`, placed by `counts` and `displacements`, at
    /// the root (empty elsewhere).
    ///
    /// The corresponding C functions are `MPI_Igatherv` and `MPI_Test` (polled).
    @MPIActor
    public func gather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Igatherv")
        return UncheckedSendable(try await igather(send, counts: counts, displacements: displacements, root: root).wait()).value
    }

    /// Returns every rank's `value`, in rank order, on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallgather` and `MPI_Test` (polled).
    @MPIActor
    public func allGather<T: MPIElement>(_ value: T) async throws -> sending [T] {
        try ProgressEngine.checkAsyncUse("MPI_Iallgather")
        return UncheckedSendable(try await iallGather([value]).wait()).value
    }

    /// Returns every rank's `send`, in rank order, on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallgather` and `MPI_Test` (polled).
    @MPIActor
    public func allGather<Send: SendBuffer>(_ send: Send) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iallgather")
        return UncheckedSendable(try await iallGather(send).wait()).value
    }

    /// Returns every rank's `send`, placed by `counts` and `displacements`, on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallgatherv` and `MPI_Test` (polled).
    @MPIActor
    public func allGather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iallgatherv")
        return UncheckedSendable(try await iallGather(send, counts: counts, displacements: displacements).wait()).value
    }

    /// Sends block `j` of `send` to rank `j` and returns the blocks received, in rank order.
    ///
    /// The corresponding C functions are `MPI_Ialltoall` and `MPI_Test` (polled).
    @MPIActor
    public func allToAll<Send: SendBuffer>(_ send: Send) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Ialltoall")
        return UncheckedSendable(try await iallToAll(send).wait()).value
    }

    /// The all-to-all exchange with blocks of different lengths (see the synchronous form).
    ///
    /// The corresponding C functions are `MPI_Ialltoallv` and `MPI_Test` (polled).
    @MPIActor
    public func allToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Ialltoallv")
        return UncheckedSendable(try await iallToAll(
            send, sendCounts: sendCounts, sendDisplacements: sendDisplacements,
            receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements).wait()).value
    }

    // MARK: - Reductions

    /// Returns the combination of every rank's `value` at the root, nil elsewhere.
    ///
    /// The corresponding C functions are `MPI_Ireduce` and `MPI_Test` (polled).
    @MPIActor
    public func reduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>, root: Int) async throws -> sending T? {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce")
        let result: [T] = try await ireduce([value], operation, root: root).wait()
        return UncheckedSendable(rank == root ? result.first : nil).value
    }

    /// Returns the element-by-element combination of every rank's `send` at
    /// the root, an empty array elsewhere.
    ///
    /// The corresponding C functions are `MPI_Ireduce` and `MPI_Test` (polled).
    @MPIActor
    public func reduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>, root: Int
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce")
        return UncheckedSendable(try await ireduce(send, operation, root: root).wait()).value
    }

    /// Returns the combination of every rank's `value` on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallreduce` and `MPI_Test` (polled).
    @MPIActor
    public func allReduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) async throws -> sending T {
        try ProgressEngine.checkAsyncUse("MPI_Iallreduce")
        return UncheckedSendable(try await iallReduce(value, operation).wait()).value
    }

    /// Returns the element-by-element combination of every rank's `send` on every rank.
    ///
    /// The corresponding C functions are `MPI_Iallreduce` and `MPI_Test` (polled).
    @MPIActor
    public func allReduce<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iallreduce")
        return UncheckedSendable(try await iallReduce(send, operation).wait()).value
    }

    /// Combines every rank's `send` and returns block `rank` of the result,
    /// `send.count / size` elements.
    ///
    /// The corresponding C functions are `MPI_Ireduce_scatter_block` and `MPI_Test` (polled).
    @MPIActor
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce_scatter_block")
        return UncheckedSendable(try await ireduceScatter(send, operation).wait()).value
    }

    /// Combines every rank's `send` and returns this rank's block of the
    /// result, `counts[rank]` elements.
    ///
    /// The corresponding C functions are `MPI_Ireduce_scatter` and `MPI_Test` (polled).
    @MPIActor
    public func reduceScatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], _ operation: ReductionOperation<Send.Element>
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Ireduce_scatter")
        return UncheckedSendable(try await ireduceScatter(send, counts: counts, operation).wait()).value
    }

    /// Returns the combination of `value` over ranks `0...rank`.
    ///
    /// The corresponding C functions are `MPI_Iscan` and `MPI_Test` (polled).
    @MPIActor
    public func scan<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) async throws -> sending T {
        try ProgressEngine.checkAsyncUse("MPI_Iscan")
        return UncheckedSendable(try await iscan([value], operation).wait()[0]).value
    }

    /// Returns the element-by-element combination of `send` over ranks `0...rank`.
    ///
    /// The corresponding C functions are `MPI_Iscan` and `MPI_Test` (polled).
    @MPIActor
    public func scan<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iscan")
        return UncheckedSendable(try await iscan(send, operation).wait()).value
    }

    /// Returns the combination of `value` over ranks `0..<rank`; nil on rank 0.
    ///
    /// The corresponding C functions are `MPI_Iexscan` and `MPI_Test` (polled).
    @MPIActor
    public func exclusiveScan<T: MPIElement>(_ value: T, _ operation: ReductionOperation<T>) async throws -> sending T? {
        try ProgressEngine.checkAsyncUse("MPI_Iexscan")
        let result: [T] = try await iexclusiveScan([value], operation).wait()
        return UncheckedSendable(rank == 0 ? nil : result.first).value
    }

    /// Returns the element-by-element combination of `send` over ranks
    /// `0..<rank`; an empty array on rank 0.
    ///
    /// The corresponding C functions are `MPI_Iexscan` and `MPI_Test` (polled).
    @MPIActor
    public func exclusiveScan<Send: SendBuffer>(
        _ send: Send, _ operation: ReductionOperation<Send.Element>
    ) async throws -> sending [Send.Element] {
        try ProgressEngine.checkAsyncUse("MPI_Iexscan")
        return UncheckedSendable(try await iexclusiveScan(send, operation).wait()).value
    }
}
