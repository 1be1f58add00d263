import CMPI

// Graph and distributed graph topologies (MPI 3.1 sections 7.5.3 and 7.5.4).

extension Communicator {
    /// A communicator whose processes form the graph `neighbors`: node `i`'s
    /// neighbours are `neighbors[i]`, for every node (`neighbors.count` at most
    /// the size; processes beyond it get none and are left out, which throws
    /// here on them). Neighbourhood collectives need a symmetric graph.
    ///
    /// The corresponding C function is `MPI_Graph_create`.
    public func graph(neighbors: [[Int]], reorder: Bool = false) throws -> Communicator {
        let operation: StaticString = "MPI_Graph_create"
        guard neighbors.count == size else {
            throw MPIError.invalidArgument("neighbors", "of \(neighbors.count) nodes",
                                           "must list the neighbours of each of the \(size) processes",
                                           errorClass: .argument, operation: operation)
        }
        var index: [CInt] = [], edges: [CInt] = []
        for (node, list) in neighbors.enumerated() {
            for neighbor in list {
                guard neighbor >= 0 && neighbor < neighbors.count else {
                    throw MPIError.invalidArgument("neighbors[\(node)]", neighbor,
                                                   "must be a node in 0..<\(neighbors.count)",
                                                   errorClass: .rank, operation: operation)
                }
                edges.append(CInt(neighbor))
            }
            index.append(CInt(edges.count))
        }
        if edges.isEmpty { edges.append(0) }
        var new = cmpi_comm_null()
        try MPIC.graphCreate(handle, CInt(neighbors.count), index, edges, reorder ? 1 : 0, &new)
        let communicator = try Communicator(adopting: new)
        // Every rank has the whole graph, so every rank decides alike.
        let repeated = neighbors.contains { Neighborhood.hasRepeats($0.map(CInt.init)) }
        let own = try communicator.graphNeighbors(of: communicator.rank).map(CInt.init)
        communicator.neighborhood = Neighborhood(kind: .graph, sources: own, destinations: own,
                                                 hasRepeatedNeighbors: repeated)
        try communicator.calibrateNeighborSlots()
        return communicator
    }

    /// The rank this process would have in the graph `neighbors`, as MPI
    /// would map it (``MPI/processNull`` when outside it).
    ///
    /// The corresponding C function is `MPI_Graph_map`.
    public func graphMappedRank(neighbors: [[Int]]) throws -> Int {
        var index: [CInt] = [], edges: [CInt] = []
        for (node, list) in neighbors.enumerated() {
            for neighbor in list {
                guard neighbor >= 0 && neighbor < neighbors.count else {
                    throw MPIError.invalidArgument("neighbors[\(node)]", neighbor, "must be a node in 0..<\(neighbors.count)",
                                                   errorClass: .rank, operation: "MPI_Graph_map")
                }
                edges.append(CInt(neighbor))
            }
            index.append(CInt(edges.count))
        }
        guard !neighbors.isEmpty, neighbors.count <= size else {
            throw MPIError.invalidArgument("neighbors", "of \(neighbors.count) nodes", "must have 1...\(size) nodes",
                                           errorClass: .argument, operation: "MPI_Graph_map")
        }
        if edges.isEmpty { edges.append(0) }
        var result: CInt = 0
        try MPIC.graphMap(handle, CInt(neighbors.count), index, edges, &result)
        return result == cmpi_undefined() ? MPI.processNull : Int(result)
    }

    /// A communicator with a distributed graph topology in which this process
    /// receives from `sources` and sends to `destinations` (each rank gives
    /// its own; the edges must agree across ranks). Weights are optional; nil
    /// means unweighted.
    ///
    /// The corresponding C function is `MPI_Dist_graph_create_adjacent`.
    public func distributedGraph(
        sources: [Int], destinations: [Int], sourceWeights: [Int]? = nil, destinationWeights: [Int]? = nil,
        reorder: Bool = false
    ) throws -> Communicator {
        let operation: StaticString = "MPI_Dist_graph_create_adjacent"
        let sources32 = try neighborRanks(sources, "sources", operation: operation)
        let destinations32 = try neighborRanks(destinations, "destinations", operation: operation)
        let sourceWeights32 = try weights(sourceWeights, "sourceWeights", count: sources.count, operation: operation)
        let destinationWeights32 = try weights(destinationWeights, "destinationWeights", count: destinations.count,
                                               operation: operation)
        if (sourceWeights == nil) != (destinationWeights == nil) {
            throw MPIError.invalidArgument(sourceWeights == nil ? "sourceWeights" : "destinationWeights", "nil",
                                           "must be given for both directions or neither", errorClass: .argument,
                                           operation: operation)
        }
        var new = cmpi_comm_null()
        try withWeights(sourceWeights32, count: sources.count) { sw in
            try withWeights(destinationWeights32, count: destinations.count) { dw in
                try MPIC.distGraphCreateAdjacent(handle, CInt(sources.count), nonEmpty(sources32), sw,
                                                 CInt(destinations.count), nonEmpty(destinations32), dw,
                                                 cmpi_info_null(), reorder ? 1 : 0, &new)
            }
        }
        let communicator = try Communicator(adopting: new)
        try communicator.recordDistributedGraphNeighborhood()
        return communicator
    }

    /// A communicator with a distributed graph topology made from any edges
    /// any rank knows: each `edges` entry adds edges from `source` to each of
    /// its `destinations` (`weights`, when given, holds one weight per
    /// destination, entry by entry).
    ///
    /// The corresponding C function is `MPI_Dist_graph_create`.
    public func distributedGraph(
        edges: [(source: Int, destinations: [Int])], weights: [[Int]]? = nil, reorder: Bool = false
    ) throws -> Communicator {
        let operation: StaticString = "MPI_Dist_graph_create"
        let sources32 = try neighborRanks(edges.map(\.source), "sources", operation: operation)
        var degrees: [CInt] = [], destinations32: [CInt] = []
        for entry in edges {
            destinations32 += try neighborRanks(entry.destinations, "destinations", operation: operation)
            degrees.append(CInt(entry.destinations.count))
        }
        var weights32: [CInt]? = nil
        if let weights {
            guard weights.count == edges.count, zip(weights, edges).allSatisfy({ $0.count == $1.destinations.count }) else {
                throw MPIError.invalidArgument("weights", weights, "must have one weight per destination of each entry",
                                               errorClass: .argument, operation: operation)
            }
            weights32 = try self.weights(weights.flatMap { $0 }, "weights", count: destinations32.count,
                                         operation: operation)
        }
        var new = cmpi_comm_null()
        try withWeights(weights32, count: destinations32.count) { w in
            try MPIC.distGraphCreate(handle, CInt(edges.count), nonEmpty(sources32), nonEmpty(degrees),
                                     nonEmpty(destinations32), w, cmpi_info_null(), reorder ? 1 : 0, &new)
        }
        let communicator = try Communicator(adopting: new)
        try communicator.recordDistributedGraphNeighborhood()
        return communicator
    }

    private func neighborRanks(_ ranks: [Int], _ name: String, operation: StaticString) throws -> [CInt] {
        try ranks.enumerated().map { index, rank in
            guard rank >= 0 && rank < size else {
                throw MPIError.invalidArgument("\(name)[\(index)]", rank,
                                               "must be a rank in 0..<\(size) (no such process)",
                                               errorClass: .rank, operation: operation)
            }
            return CInt(rank)
        }
    }

    private func weights(_ weights: [Int]?, _ name: String, count: Int, operation: StaticString) throws -> [CInt]? {
        guard let weights else { return nil }
        guard weights.count == count else {
            throw MPIError.invalidArgument(name, weights, "must have one weight per edge (\(count))",
                                           errorClass: .argument, operation: operation)
        }
        return try weights.enumerated().map { index, weight in
            guard weight >= 0, let value = CInt(exactly: weight) else {
                throw MPIError.invalidArgument("\(name)[\(index)]", weight, "must be a non-negative C int",
                                               errorClass: .argument, operation: operation)
            }
            return value
        }
    }

    /// MPI_UNWEIGHTED for nil, MPI_WEIGHTS_EMPTY for no edges, else the weights.
    private func withWeights(_ weights: [CInt]?, count: Int, _ body: (UnsafePointer<CInt>?) throws -> Void) throws {
        guard let weights else { return try body(UnsafePointer(cmpi_unweighted())) }
        if count == 0 { return try body(UnsafePointer(cmpi_weights_empty())) }
        try weights.withUnsafeBufferPointer { try body($0.baseAddress) }
    }
}

/// At least one element, so that MPI never gets a null array.
private func nonEmpty(_ values: [CInt]) -> [CInt] { values.isEmpty ? [0] : values }
