import CMPI

// Collective data movement (MPI 3.1 chapter 5): barrier, broadcast, scatter,
// gather, all-gather and all-to-all, with their vector (v) forms.
//
// Every rank of the communicator must call the same collective, in the same
// order, with the same root and matching counts. Forms that return an array
// allocate it; forms that take `into:` or `inPlace:` buffers allocate nothing.

extension Communicator {
    /// Waits until every process of the communicator has called it.
    ///
    /// The corresponding C function is `MPI_Barrier`.
    public func barrier() throws {
        try MPIC.barrier(handle)
    }

    // MARK: - Broadcast

    /// Copies the root's `buffer` into `buffer` on every other rank. Every rank
    /// passes a buffer of the same count.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    @inlinable
    public func broadcast<Buffer: ReceiveBuffer>(_ buffer: inout Buffer, root: Int) throws {
        try buffer.withUnsafeMutableElements { elements in try run(broadcastCall(elements, root: root, .blocking)) }
    }

    /// Returns the root's `value` on every rank.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    @inlinable
    public func broadcast<T: MPIElement>(_ value: T, root: Int) throws -> T {
        var buffer = CollectionOfOneBuffer(value)
        try broadcast(&buffer, root: root)
        return buffer.value
    }

    // MARK: - Scatter

    /// Splits the root's `send` into `size` blocks of `count` elements and
    /// returns block `rank` on each rank. `send` is read only at the root and
    /// must hold `count * size` elements there; other ranks may pass `[]`.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    @inlinable
    public func scatter<Send: SendBuffer>(_ send: Send, count: Int, root: Int) throws -> [Send.Element] {
        var result = zeroedArray(Send.Element.self, count: max(count, 0))
        try scatter(send, into: &result, root: root)
        return result
    }

    /// Returns element `rank` of the root's `send`, which must hold one
    /// element per rank there.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    @inlinable
    public func scatter<Send: SendBuffer>(_ send: Send, root: Int) throws -> Send.Element {
        try scatter(send, count: 1, root: root)[0]
    }

    /// Splits the root's `send` into `size` blocks as long as `receive` and
    /// writes block `rank` into `receive` on each rank.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    @inlinable
    public func scatter<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, root: Int
    ) throws where Send.Element == Receive.Element {
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(scatterCall(source, target, root: root, .blocking))
        }
    }

    /// Scatters in place: at the root, `buffer` holds all `size` blocks and
    /// keeps its own block where it is; elsewhere `buffer` receives one block.
    ///
    /// The corresponding C function is `MPI_Scatter` with `MPI_IN_PLACE`.
    @inlinable
    public func scatter<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer, root: Int) throws {
        try buffer.withUnsafeMutableElements { elements in try run(scatterCall(inPlace: elements, root: root, .blocking)) }
    }

    /// Sends `counts[i]` elements of the root's `send`, starting at
    /// `displacements[i]`, to rank `i`, and returns this rank's part.
    ///
    /// Every rank passes the same `counts` (each needs its own count);
    /// `send` and `displacements` are read only at the root, and `nil`
    /// displacements lay the blocks end to end. Blocks must lie inside `send`
    /// and must not overlap.
    ///
    /// The corresponding C function is `MPI_Scatterv`.
    public func scatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> [Send.Element] {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        var result = zeroedArray(Send.Element.self, count: own)
        try withCollectiveBuffers(send, &result) { source, target in
            try run(scattervCall(source, counts: counts, displacements: displacements, into: target, root: root, .blocking))
        }
        return result
    }

    // MARK: - Gather

    /// Collects every rank's `send` (all of the same count) at the root, in
    /// rank order; returns the `count * size` elements at the root and an
    /// empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Gather`.
    @inlinable
    public func gather<Send: SendBuffer>(_ send: Send, root: Int) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: rank == root ? count * size : 0)
        try gather(send, into: &result, root: root)
        return result
    }

    /// Collects one value from every rank at the root, in rank order; an
    /// empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Gather`.
    @inlinable
    public func gather<T: MPIElement>(_ value: T, root: Int) throws -> [T] {
        try gather(CollectionOfOneBuffer(value), root: root)
    }

    /// Collects every rank's `send` into the root's `receive`, which must hold
    /// `send.count * size` elements there (it is not used elsewhere).
    ///
    /// The corresponding C function is `MPI_Gather`.
    @inlinable
    public func gather<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, root: Int
    ) throws where Send.Element == Receive.Element {
        try withCollectiveBuffers(send, &receive) { source, target in
            try run(gatherCall(source, target, root: root, .blocking))
        }
    }

    /// Gathers in place: at the root, `buffer` holds `size` blocks and the
    /// root's own block is already in place; elsewhere `buffer` is the block sent.
    ///
    /// The corresponding C function is `MPI_Gather` with `MPI_IN_PLACE`.
    @inlinable
    public func gather<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer, root: Int) throws {
        try buffer.withUnsafeMutableElements { elements in try run(gatherCall(inPlace: elements, root: root, .blocking)) }
    }

    /// Collects `counts[i]` elements from rank `i` at the root, placing them at
    /// `displacements[i]` (end to end when `nil`); returns the gathered array
    /// at the root (gaps hold zeros) and an empty array elsewhere.
    ///
    /// Every rank passes the same `counts`, and its `send` must hold
    /// `counts[rank]` elements; `displacements` are read only at the root.
    ///
    /// The corresponding C function is `MPI_Gatherv`.
    public func gather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> [Send.Element] {
        let length = rank == root ? vectorLength(counts: counts, displacements: displacements) : 0
        var result = zeroedArray(Send.Element.self, count: length)
        try withCollectiveBuffers(send, &result) { source, target in
            try run(gathervCall(source, counts: counts, displacements: displacements, into: target, root: root, .blocking))
        }
        return result
    }

    // MARK: - All-gather

    /// Collects one value from every rank, in rank order, on every rank.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    @inlinable
    public func allGather<T: MPIElement>(_ value: T) throws -> [T] {
        try allGather(CollectionOfOneBuffer(value))
    }

    /// Collects every rank's `send` (all of the same count), in rank order,
    /// on every rank.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    @inlinable
    public func allGather<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count * size)
        try allGather(send, into: &result)
        return result
    }

    /// Collects every rank's `send` into `receive`, which must hold
    /// `send.count * size` elements.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    @inlinable
    public func allGather<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive
    ) throws where Send.Element == Receive.Element {
        try withCollectiveBuffers(send, &receive) { source, target in try run(allGatherCall(source, target, .blocking)) }
    }

    /// All-gathers in place: `buffer` holds `size` blocks, and each rank's own
    /// block is already in place.
    ///
    /// The corresponding C function is `MPI_Allgather` with `MPI_IN_PLACE`.
    @inlinable
    public func allGather<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer) throws {
        try buffer.withUnsafeMutableElements { elements in try run(allGatherCall(nil, elements, .blocking)) }
    }

    /// Collects `counts[i]` elements from rank `i` on every rank, placed at
    /// `displacements[i]` (end to end when `nil`; gaps hold zeros).
    ///
    /// Every rank passes the same `counts` and `displacements`, and its `send`
    /// must hold `counts[rank]` elements.
    ///
    /// The corresponding C function is `MPI_Allgatherv`.
    public func allGather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil
    ) throws -> [Send.Element] {
        let length = vectorLength(counts: counts, displacements: displacements)
        var result = zeroedArray(Send.Element.self, count: length)
        try withCollectiveBuffers(send, &result) { source, target in
            try run(allGathervCall(source, counts: counts, displacements: displacements, into: target, .blocking))
        }
        return result
    }

    // MARK: - All-to-all

    /// Sends block `i` of `send` to rank `i` and returns the blocks received,
    /// in rank order. `send` holds `size` blocks of equal count on every rank.
    ///
    /// The corresponding C function is `MPI_Alltoall`.
    @inlinable
    public func allToAll<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count)
        try allToAll(send, into: &result)
        return result
    }

    /// Sends block `i` of `send` to rank `i` and writes the blocks received
    /// into `receive`, as long as `send`.
    ///
    /// The corresponding C function is `MPI_Alltoall`.
    @inlinable
    public func allToAll<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive
    ) throws where Send.Element == Receive.Element {
        try withCollectiveBuffers(send, &receive) { source, target in try run(allToAllCall(source, target, .blocking)) }
    }

    /// All-to-all in place: block `i` of `buffer` goes to rank `i` and is
    /// replaced by the block rank `i` sent.
    ///
    /// The corresponding C function is `MPI_Alltoall` with `MPI_IN_PLACE`.
    @inlinable
    public func allToAll<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer) throws {
        try buffer.withUnsafeMutableElements { elements in try run(allToAllCall(nil, elements, .blocking)) }
    }

    /// Sends `sendCounts[i]` elements of `send` from `sendDisplacements[i]` to
    /// rank `i`, and returns what each rank `i` sent here: `receiveCounts[i]`
    /// elements placed at `receiveDisplacements[i]` (end to end when `nil`;
    /// gaps hold zeros). `receiveCounts[i]` must equal rank `i`'s `sendCounts[rank]`.
    ///
    /// The corresponding C function is `MPI_Alltoallv`.
    public func allToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> [Send.Element] {
        let length = vectorLength(counts: receiveCounts, displacements: receiveDisplacements)
        var result = zeroedArray(Send.Element.self, count: length)
        try withCollectiveBuffers(send, &result) { source, target in
            try run(allToAllvCall(source, sendCounts: sendCounts, sendDisplacements: sendDisplacements, into: target,
                                  receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements, .blocking))
        }
        return result
    }
}
