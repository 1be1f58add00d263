import CMPI

// Neighbourhood collectives (MPI 3.1 section 7.6): all-gather and all-to-all
// over the neighbours of a communicator's process topology, blocking and
// nonblocking. Receive slot i holds the block from neighbour i in the
// topology's order (Cartesian: for each dimension the -1 then the +1
// neighbour; graphs: the order the edges were given), with the standard's
// slots for repeated neighbours even where the MPI misplaces them (see
// Neighborhood.swift). The degrees are read once, when the topology is made.

extension Communicator {
    // MARK: - All-gather

    /// Sends `send` to every outgoing neighbour and returns the blocks of
    /// every incoming neighbour (all of `send`'s count), slot by slot.
    ///
    /// The corresponding C function is `MPI_Neighbor_allgather`.
    public func neighborAllGather<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let neighborhood = try checkedNeighborhood("MPI_Neighbor_allgather")
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count * neighborhood.sources.count)
        try neighborAllGather(send, into: &result)
        return result
    }

    /// The same into `receive`, which must hold `send.count * indegree` elements.
    ///
    /// The corresponding C function is `MPI_Neighbor_allgather`.
    public func neighborAllGather<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive
    ) throws where Send.Element == Receive.Element {
        let operation: StaticString = "MPI_Neighbor_allgather"
        let neighborhood = try checkedNeighborhood(operation)
        try withCollectiveBuffers(send, &receive) { source, target in
            let (type, count) = try allGatherArguments(Send.Element.self, source.count, target.count, neighborhood,
                                                       operation: operation)
            try MPIC.neighborAllgather(source.mpiAddress, count, type, target.mpiAddress, count, type, handle)
        }
    }

    /// Sends `send` to every outgoing neighbour and returns `counts[i]`
    /// elements from incoming neighbour `i`, placed at `displacements[i]`
    /// (end to end when nil; gaps hold zeros).
    ///
    /// The corresponding C function is `MPI_Neighbor_allgatherv`.
    public func neighborAllGather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil
    ) throws -> [Send.Element] {
        let operation: StaticString = "MPI_Neighbor_allgatherv"
        let neighborhood = try checkedNeighborhood(operation)
        var result = zeroedArray(Send.Element.self, count: neighborLength(counts, displacements))
        try withCollectiveBuffers(send, &result) { source, target in
            let type = try Send.Element.checkedDatatype(operation)
            let count = try checkedCount(source.count, "send count", operation: operation)
            let (counts32, displacements32) = try neighborVector(
                counts, displacements, degree: neighborhood.sources.count, "counts", "displacements",
                bufferCount: target.count, bufferName: "the result", operation: operation)
            try MPIC.neighborAllgatherv(source.mpiAddress, count, type, target.mpiAddress, counts32, displacements32,
                                        type, handle)
        }
        return result
    }

    // MARK: - All-to-all

    /// Sends block `j` of `send` (which holds `outdegree` blocks of equal
    /// count) to outgoing neighbour `j`, and returns the `indegree` blocks
    /// received, slot by slot.
    ///
    /// The corresponding C function is `MPI_Neighbor_alltoall`.
    public func neighborAllToAll<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let neighborhood = try checkedNeighborhood("MPI_Neighbor_alltoall")
        let count = send.withUnsafeElements { $0.count }
        let block = neighborhood.destinations.isEmpty ? 0 : count / neighborhood.destinations.count
        var result = zeroedArray(Send.Element.self, count: block * neighborhood.sources.count)
        try neighborAllToAll(send, into: &result)
        return result
    }

    /// The same into `receive`, which must hold `indegree` blocks of the
    /// send blocks' count.
    ///
    /// The corresponding C function is `MPI_Neighbor_alltoall`.
    @inlinable
    public func neighborAllToAll<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive
    ) throws where Send.Element == Receive.Element {
        // Generic only down to the element's datatype, so that the call specializes at the caller.
        let type = try Send.Element.checkedDatatype("MPI_Neighbor_alltoall")
        try withCollectiveBuffers(send, &receive) { source, target in
            try neighborAllToAll(source.mpiAddress, source.count, into: target.mpiAddress, target.count, type)
        }
    }

    /// The all-to-all over `sendCount` and `receiveCount` elements of `type`.
    @usableFromInline
    internal func neighborAllToAll(_ source: UnsafeRawPointer, _ sendCount: Int, into target: UnsafeMutableRawPointer,
                                   _ receiveCount: Int, _ type: DatatypeHandle) throws {
        let operation: StaticString = "MPI_Neighbor_alltoall"
        let neighborhood = try checkedNeighborhood(operation)
        let block = try allToAllBlock(sendCount, receiveCount, neighborhood, operation: operation)
        guard neighborhood.hasRepeatedNeighbors, try !plainAllToAllIsStandard(neighborhood, .blocking) else {
            return try MPIC.neighborAlltoall(source, block, type, target, block, type, handle)
        }
        let v = equalBlocks(block, neighborhood, try neighborSlots(neighborhood, .blocking))
        try MPIC.neighborAlltoallv(source, v.sendCounts, v.sendDisplacements, type, target,
                                   v.receiveCounts, v.receiveDisplacements, type, handle)
    }

    /// Sends `sendCounts[j]` elements of `send` from `sendDisplacements[j]`
    /// to outgoing neighbour `j`, and returns `receiveCounts[i]` elements from
    /// incoming neighbour `i`, placed at `receiveDisplacements[i]` (end to end
    /// when nil; gaps hold zeros).
    ///
    /// The corresponding C function is `MPI_Neighbor_alltoallv`.
    public func neighborAllToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> [Send.Element] {
        var result = zeroedArray(Send.Element.self, count: neighborLength(receiveCounts, receiveDisplacements))
        try neighborAllToAll(send, sendCounts: sendCounts, sendDisplacements: sendDisplacements, into: &result,
                             receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements)
        return result
    }

    /// The same into `receive`.
    ///
    /// The corresponding C function is `MPI_Neighbor_alltoallv`.
    public func neighborAllToAll<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        into receive: inout Receive, receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws where Send.Element == Receive.Element {
        let operation: StaticString = "MPI_Neighbor_alltoallv"
        let neighborhood = try checkedNeighborhood(operation)
        let slots = neighborhood.hasRepeatedNeighbors ? try neighborSlots(neighborhood, .blocking) : nil
        try withCollectiveBuffers(send, &receive) { source, target in
            let v = try allToAllvArguments(Send.Element.self, source.count, sendCounts, sendDisplacements,
                                           target.count, receiveCounts, receiveDisplacements, neighborhood, slots,
                                           operation: operation)
            try MPIC.neighborAlltoallv(source.mpiAddress, v.sendCounts, v.sendDisplacements, v.type, target.mpiAddress,
                                       v.receiveCounts, v.receiveDisplacements, v.type, handle)
        }
    }

    // MARK: - Nonblocking

    /// Starts a neighbourhood all-gather; `wait` returns the blocks received.
    ///
    /// The corresponding C function is `MPI_Ineighbor_allgather`.
    public func ineighborAllGather<Send: SendBuffer>(_ send: Send) throws -> Request<[Send.Element]> {
        let operation: StaticString = "MPI_Ineighbor_allgather"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        var result = zeroedArray(Send.Element.self, count: source.count * neighborhood.sources.count)
        let target = result.withUnsafeMutableBufferPointer { $0 }
        let (type, count) = try allGatherArguments(Send.Element.self, source.count, target.count, neighborhood,
                                                   operation: operation)
        let storage = CollectiveStorage()
        storage.keep(send)
        storage.keep(result)
        var request = cmpi_request_null()
        try MPIC.ineighborAllgather(source.mpiAddress, count, type, target.mpiAddress, count, type, handle, &request)
        return neighborRequest(request, operation, Send.Element.self, storage, result)
    }

    /// Starts a neighbourhood all-gather-v (see ``neighborAllGather(_:counts:displacements:)``).
    ///
    /// The corresponding C function is `MPI_Ineighbor_allgatherv`.
    public func ineighborAllGather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil
    ) throws -> Request<[Send.Element]> {
        let operation: StaticString = "MPI_Ineighbor_allgatherv"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        var result = zeroedArray(Send.Element.self, count: neighborLength(counts, displacements))
        let target = result.withUnsafeMutableBufferPointer { $0 }
        let type = try Send.Element.checkedDatatype(operation)
        let count = try checkedCount(source.count, "send count", operation: operation)
        let (counts32, displacements32) = try neighborVector(
            counts, displacements, degree: neighborhood.sources.count, "counts", "displacements",
            bufferCount: target.count, bufferName: "the result", operation: operation)
        let storage = CollectiveStorage()
        storage.keep(send)
        storage.keep(result)
        var request = cmpi_request_null()
        try MPIC.ineighborAllgatherv(source.mpiAddress, count, type, target.mpiAddress, storage.keep(counts32),
                                     storage.keep(displacements32), type, handle, &request)
        return neighborRequest(request, operation, Send.Element.self, storage, result)
    }

    /// Starts a neighbourhood all-to-all (see ``neighborAllToAll(_:)``).
    ///
    /// The corresponding C function is `MPI_Ineighbor_alltoall`.
    public func ineighborAllToAll<Send: SendBuffer>(_ send: Send) throws -> Request<[Send.Element]> {
        let operation: StaticString = "MPI_Ineighbor_alltoall"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        let blockGuess = neighborhood.destinations.isEmpty ? 0 : source.count / neighborhood.destinations.count
        var result = zeroedArray(Send.Element.self, count: blockGuess * neighborhood.sources.count)
        let target = result.withUnsafeMutableBufferPointer { $0 }
        let storage = CollectiveStorage()
        storage.keep(send)
        storage.keep(result)
        let request = try startNeighborAllToAll(source, into: target, neighborhood, storage, operation: operation)
        return neighborRequest(request, operation, Send.Element.self, storage, result)
    }

    /// Starts a neighbourhood all-to-all-v (see
    /// ``neighborAllToAll(_:sendCounts:sendDisplacements:receiveCounts:receiveDisplacements:)``).
    ///
    /// The corresponding C function is `MPI_Ineighbor_alltoallv`.
    public func ineighborAllToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> Request<[Send.Element]> {
        let operation: StaticString = "MPI_Ineighbor_alltoallv"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        var result = zeroedArray(Send.Element.self, count: neighborLength(receiveCounts, receiveDisplacements))
        let target = result.withUnsafeMutableBufferPointer { $0 }
        let storage = CollectiveStorage()
        storage.keep(send)
        storage.keep(result)
        let request = try startNeighborAllToAllv(source, sendCounts, sendDisplacements, into: target, receiveCounts,
                                                 receiveDisplacements, neighborhood, storage, operation: operation)
        return neighborRequest(request, operation, Send.Element.self, storage, result)
    }

    /// Starts a neighbourhood all-gather into caller memory, which must stay
    /// valid (and hold `send.count * indegree` elements) until the request completes.
    ///
    /// The corresponding C function is `MPI_Ineighbor_allgather`.
    public func ineighborAllGather<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>
    ) throws -> Request<Void> {
        let operation: StaticString = "MPI_Ineighbor_allgather"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        let (type, count) = try allGatherArguments(Send.Element.self, source.count, receive.count, neighborhood,
                                                   operation: operation)
        let storage = CollectiveStorage()
        storage.keep(send)
        var request = cmpi_request_null()
        try MPIC.ineighborAllgather(source.mpiAddress, count, type, receive.mpiAddress, count, type, handle, &request)
        return neighborRequest(request, operation, Send.Element.self, storage, ())
    }

    /// Starts a neighbourhood all-to-all into caller memory, which must stay
    /// valid (and hold `indegree` blocks) until the request completes.
    ///
    /// The corresponding C function is `MPI_Ineighbor_alltoall`.
    public func ineighborAllToAll<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>
    ) throws -> Request<Void> {
        let operation: StaticString = "MPI_Ineighbor_alltoall"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        let storage = CollectiveStorage()
        storage.keep(send)
        let request = try startNeighborAllToAll(source, into: receive, neighborhood, storage, operation: operation)
        return neighborRequest(request, operation, Send.Element.self, storage, ())
    }

    /// Starts a neighbourhood all-to-all-v into caller memory, which must
    /// stay valid until the request completes.
    ///
    /// The corresponding C function is `MPI_Ineighbor_alltoallv`.
    public func ineighborAllToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        into receive: UnsafeMutableBufferPointer<Send.Element>, receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> Request<Void> {
        let operation: StaticString = "MPI_Ineighbor_alltoallv"
        let neighborhood = try checkedNeighborhood(operation)
        let source = send.withUnsafeElements { $0 }
        let storage = CollectiveStorage()
        storage.keep(send)
        let request = try startNeighborAllToAllv(source, sendCounts, sendDisplacements, into: receive, receiveCounts,
                                                 receiveDisplacements, neighborhood, storage, operation: operation)
        return neighborRequest(request, operation, Send.Element.self, storage, ())
    }
}

// MARK: - Checks and arguments

extension Communicator {
    /// Starts the all-to-all of `source` into `target` (whose memory and
    /// count arrays `storage` keeps), as the v form where MPI's plain one
    /// misplaces blocks on this topology.
    private func startNeighborAllToAll<Element: MPIElement>(
        _ source: UnsafeBufferPointer<Element>, into target: UnsafeMutableBufferPointer<Element>,
        _ neighborhood: Neighborhood, _ storage: CollectiveStorage, operation: StaticString
    ) throws -> RequestHandle {
        let viaV = try neighborhood.hasRepeatedNeighbors && !plainAllToAllIsStandard(neighborhood, .nonblocking)
        let slots = viaV ? try neighborSlots(neighborhood, .nonblocking) : nil
        let (type, block) = try allToAllArguments(Element.self, source.count, target.count, neighborhood,
                                                  operation: operation)
        var request = cmpi_request_null()
        if viaV {
            let v = equalBlocks(block, neighborhood, slots)
            try MPIC.ineighborAlltoallv(source.mpiAddress, storage.keep(v.sendCounts), storage.keep(v.sendDisplacements),
                                        type, target.mpiAddress, storage.keep(v.receiveCounts),
                                        storage.keep(v.receiveDisplacements), type, handle, &request)
        } else {
            try MPIC.ineighborAlltoall(source.mpiAddress, block, type, target.mpiAddress, block, type, handle, &request)
        }
        return request
    }

    /// Starts the all-to-all-v of `source` into `target`, the receive slots
    /// permuted where MPI misplaces blocks on this topology.
    private func startNeighborAllToAllv<Element: MPIElement>(
        _ source: UnsafeBufferPointer<Element>, _ sendCounts: [Int], _ sendDisplacements: [Int]?,
        into target: UnsafeMutableBufferPointer<Element>, _ receiveCounts: [Int], _ receiveDisplacements: [Int]?,
        _ neighborhood: Neighborhood, _ storage: CollectiveStorage, operation: StaticString
    ) throws -> RequestHandle {
        let slots = neighborhood.hasRepeatedNeighbors ? try neighborSlots(neighborhood, .nonblocking) : nil
        let v = try allToAllvArguments(Element.self, source.count, sendCounts, sendDisplacements, target.count,
                                       receiveCounts, receiveDisplacements, neighborhood, slots, operation: operation)
        var request = cmpi_request_null()
        try MPIC.ineighborAlltoallv(source.mpiAddress, storage.keep(v.sendCounts), storage.keep(v.sendDisplacements),
                                    v.type, target.mpiAddress, storage.keep(v.receiveCounts),
                                    storage.keep(v.receiveDisplacements), v.type, handle, &request)
        return request
    }

    private func neighborRequest<Element, Value>(
        _ request: RequestHandle, _ operation: StaticString, _ element: Element.Type, _ storage: CollectiveStorage,
        _ result: Value
    ) -> Request<Value> {
        Request(handle: request,
                PendingOperation(.collective, elementSize: MemoryLayout<Element>.stride, origin: RequestOrigin(operation),
                                 owner: storage),
                result: result)
    }

    /// The length a v-result needs: the end of its last block (0 for bad input, which the checks report).
    private func neighborLength(_ counts: [Int], _ displacements: [Int]?) -> Int {
        guard let displacements else { return counts.reduce(0) { $0 + max($1, 0) } }
        return zip(counts, displacements).reduce(0) { max($0, $1.1 >= 0 && $1.0 >= 0 ? $1.1 + $1.0 : 0) }
    }

    private func allGatherArguments<Element: MPIElement>(
        _ element: Element.Type, _ sendCount: Int, _ receiveCount: Int, _ neighborhood: Neighborhood,
        operation: StaticString
    ) throws -> (DatatypeHandle, CInt) {
        let type = try Element.checkedDatatype(operation)
        let count = try checkedCount(sendCount, "send count", operation: operation)
        let expected = sendCount * neighborhood.sources.count
        guard receiveCount == expected else {
            throw MPIError.invalidArgument("receive", "of \(receiveCount) elements",
                "must hold send count * indegree = \(sendCount) * \(neighborhood.sources.count) = \(expected)",
                errorClass: .count, operation: operation)
        }
        return (type, count)
    }

    private func allToAllArguments<Element: MPIElement>(
        _ element: Element.Type, _ sendCount: Int, _ receiveCount: Int, _ neighborhood: Neighborhood,
        operation: StaticString
    ) throws -> (DatatypeHandle, CInt) {
        (try Element.checkedDatatype(operation), try allToAllBlock(sendCount, receiveCount, neighborhood, operation: operation))
    }

    /// The equal block count of an all-to-all of `sendCount` and `receiveCount` elements, checked.
    private func allToAllBlock(_ sendCount: Int, _ receiveCount: Int, _ neighborhood: Neighborhood,
                               operation: StaticString) throws -> CInt {
        let outdegree = neighborhood.destinations.count, indegree = neighborhood.sources.count
        let block: Int
        if outdegree > 0 {
            guard sendCount % outdegree == 0 else {
                throw MPIError.invalidArgument("send", "of \(sendCount) elements",
                    "must hold outdegree = \(outdegree) blocks of equal count", errorClass: .count, operation: operation)
            }
            block = sendCount / outdegree
        } else {
            guard sendCount == 0 else {
                throw MPIError.invalidArgument("send", "of \(sendCount) elements",
                    "must be empty: this process has no outgoing neighbours", errorClass: .count, operation: operation)
            }
            block = indegree > 0 ? receiveCount / indegree : 0
        }
        guard receiveCount == block * indegree else {
            throw MPIError.invalidArgument("receive", "of \(receiveCount) elements",
                "must hold indegree * block = \(indegree) * \(block) = \(block * indegree)",
                errorClass: .count, operation: operation)
        }
        return try checkedCount(block, "block count", operation: operation)
    }

    /// Equal blocks as v-arguments, the receive slots moved to where MPI delivers.
    private func equalBlocks(_ block: CInt, _ neighborhood: Neighborhood, _ slots: [Int]?)
        -> (sendCounts: [CInt], sendDisplacements: [CInt], receiveCounts: [CInt], receiveDisplacements: [CInt]) {
        let outdegree = neighborhood.destinations.count, indegree = neighborhood.sources.count
        return ([CInt](repeating: block, count: outdegree), (0..<outdegree).map { CInt($0) * block },
                [CInt](repeating: block, count: indegree), (0..<indegree).map { CInt(slots?[$0] ?? $0) * block })
    }

    private func allToAllvArguments<Element: MPIElement>(
        _ element: Element.Type, _ sendBufferCount: Int, _ sendCounts: [Int], _ sendDisplacements: [Int]?,
        _ receiveBufferCount: Int, _ receiveCounts: [Int], _ receiveDisplacements: [Int]?,
        _ neighborhood: Neighborhood, _ slots: [Int]?, operation: StaticString
    ) throws -> (type: DatatypeHandle, sendCounts: [CInt], sendDisplacements: [CInt], receiveCounts: [CInt],
                 receiveDisplacements: [CInt]) {
        let type = try Element.checkedDatatype(operation)
        let send = try neighborVector(sendCounts, sendDisplacements, degree: neighborhood.destinations.count,
                                      "sendCounts", "sendDisplacements", bufferCount: sendBufferCount,
                                      bufferName: "send", operation: operation)
        var receive = try neighborVector(receiveCounts, receiveDisplacements, degree: neighborhood.sources.count,
                                         "receiveCounts", "receiveDisplacements", bufferCount: receiveBufferCount,
                                         bufferName: "receive", operation: operation)
        if let slots {
            // MPI fills slot a with the block the standard puts in slots[a].
            receive = (slots.map { receive.0[$0] }, slots.map { receive.1[$0] })
        }
        return (type, send.0, send.1, receive.0, receive.1)
    }

    /// Counts and displacements for `degree` neighbours: none negative, every
    /// block inside a buffer of `bufferCount` elements, none overlapping.
    private func neighborVector(
        _ counts: [Int], _ displacements: [Int]?, degree: Int, _ countsName: String, _ displacementsName: String,
        bufferCount: Int, bufferName: String, operation: StaticString
    ) throws -> ([CInt], [CInt]) {
        guard counts.count == degree else {
            throw MPIError.invalidArgument(countsName, counts,
                "must have one count for each of the \(degree) neighbours, not \(counts.count)",
                errorClass: .count, operation: operation)
        }
        let counts32 = try counts.enumerated().map { try checkedCount($1, "\(countsName)[\($0)]", operation: operation) }
        let starts: [Int]
        if let displacements {
            guard displacements.count == degree else {
                throw MPIError.invalidArgument(displacementsName, displacements,
                    "must have one displacement for each of the \(degree) neighbours, not \(displacements.count)",
                    errorClass: .argument, operation: operation)
            }
            starts = displacements
        } else {
            var offset = 0
            starts = counts.map { count in defer { offset += count }; return offset }
        }
        for (slot, start) in starts.enumerated() {
            guard start >= 0, start + counts[slot] <= bufferCount else {
                throw MPIError.invalidArgument(displacements == nil ? bufferName : "\(displacementsName)[\(slot)]",
                    displacements == nil ? "of \(bufferCount) elements" : "\(start)",
                    displacements == nil
                        ? "is too small for \(countsName), which add up to \(counts.reduce(0, +))"
                        : "with \(countsName)[\(slot)] = \(counts[slot]) runs outside \(bufferName) of \(bufferCount) elements",
                    errorClass: displacements == nil ? .count : .argument, operation: operation)
            }
        }
        if displacements != nil {
            let order = starts.indices.filter { counts[$0] > 0 }.sorted { starts[$0] < starts[$1] }
            for (earlier, later) in zip(order, order.dropFirst()) where starts[earlier] + counts[earlier] > starts[later] {
                throw MPIError.invalidArgument(displacementsName, starts,
                    "blocks of neighbours \(earlier) and \(later) overlap", errorClass: .argument, operation: operation)
            }
        }
        return (counts32, try starts.enumerated().map {
            try checkedCount($1, "\(displacementsName)[\($0)]", operation: operation)
        })
    }
}
