import CMPI

/// The kind of process topology a communicator carries.
public enum Topology: Sendable, Equatable {
    /// Made by ``Communicator/cartesianGrid(dimensions:periodic:reorder:)``.
    case cartesian
    /// Made by ``Communicator/graph(neighbors:reorder:)``.
    case graph
    /// Made by ``Communicator/distributedGraph(sources:destinations:sourceWeights:destinationWeights:reorder:)``
    /// or ``Communicator/distributedGraph(edges:weights:reorder:)``.
    case distributedGraph
}

/// A distributed graph's neighbours of this process, in the order the
/// neighbourhood collectives use them.
public struct DistributedGraphNeighbors: Sendable, Equatable {
    /// The ranks this process receives from (with repeats for repeated edges).
    public var sources: [Int]
    /// The ranks this process sends to.
    public var destinations: [Int]
    /// The weights of the incoming and outgoing edges; nil when the graph is unweighted.
    public var sourceWeights: [Int]?
    public var destinationWeights: [Int]?

    public init(sources: [Int], destinations: [Int], sourceWeights: [Int]? = nil, destinationWeights: [Int]? = nil) {
        self.sources = sources
        self.destinations = destinations
        self.sourceWeights = sourceWeights
        self.destinationWeights = destinationWeights
    }
}

extension Communicator {
    /// The kind of topology the communicator has, or nil for none.
    ///
    /// The corresponding C function is `MPI_Topo_test`.
    public var topology: Topology? {
        get throws {
            var status: CInt = 0
            try MPIC.topoTest(handle, &status)
            switch status {
            case cmpi_cart(): return .cartesian
            case cmpi_graph(): return .graph
            case cmpi_dist_graph(): return .distributedGraph
            default: return nil
            }
        }
    }

    /// The number of neighbours this process receives from and sends to in
    /// the communicator's topology (as the neighbourhood collectives count
    /// them), or nil without a topology.
    ///
    /// The corresponding C functions are `MPI_Dist_graph_neighbors_count`,
    /// `MPI_Graph_neighbors_count` and `MPI_Cartdim_get` (read once, when the
    /// topology is made).
    public var neighborDegrees: (in: Int, out: Int)? {
        neighborhood.map { ($0.sources.count, $0.destinations.count) }
    }

    /// The graph's node and edge counts (a graph topology only).
    ///
    /// The corresponding C function is `MPI_Graphdims_get`.
    public func graphDimensions() throws -> (nodes: Int, edges: Int) {
        try requireTopology(.graph, "MPI_Graphdims_get")
        var nodes: CInt = 0, edges: CInt = 0
        try MPIC.graphdimsGet(handle, &nodes, &edges)
        return (Int(nodes), Int(edges))
    }

    /// The whole graph as an adjacency list: the neighbours of every node
    /// (a graph topology only).
    ///
    /// The corresponding C function is `MPI_Graph_get`.
    public func graphAdjacency() throws -> [[Int]] {
        let (nodes, edges) = try graphDimensions()
        var index = [CInt](repeating: 0, count: nodes)
        var edgeList = [CInt](repeating: 0, count: max(edges, 1))
        try MPIC.graphGet(handle, CInt(nodes), CInt(edges), &index, &edgeList)
        var start = 0
        return index.map { end in
            defer { start = Int(end) }
            return edgeList[start..<Int(end)].map(Int.init)
        }
    }

    /// The neighbours of `rank` in the graph (a graph topology only).
    ///
    /// The corresponding C functions are `MPI_Graph_neighbors_count` and `MPI_Graph_neighbors`.
    public func graphNeighbors(of rank: Int) throws -> [Int] {
        try requireTopology(.graph, "MPI_Graph_neighbors")
        guard rank >= 0 && rank < size else {
            throw MPIError.invalidArgument("rank", rank, "must be a rank in 0..<\(size)", errorClass: .rank,
                                           operation: "MPI_Graph_neighbors")
        }
        var count: CInt = 0
        try MPIC.graphNeighborsCount(handle, CInt(rank), &count)
        var neighbors = [CInt](repeating: 0, count: max(Int(count), 1))
        try MPIC.graphNeighbors(handle, CInt(rank), count, &neighbors)
        return neighbors.prefix(Int(count)).map(Int.init)
    }

    /// This process's neighbours in a distributed graph, with the weights.
    ///
    /// The corresponding C functions are `MPI_Dist_graph_neighbors_count` and `MPI_Dist_graph_neighbors`.
    public var distributedGraphNeighbors: DistributedGraphNeighbors {
        get throws {
            try requireTopology(.distributedGraph, "MPI_Dist_graph_neighbors")
            return try readDistributedGraphNeighbors()
        }
    }

    internal func readDistributedGraphNeighbors() throws -> DistributedGraphNeighbors {
        var indegree: CInt = 0, outdegree: CInt = 0, weighted: CInt = 0
        try MPIC.distGraphNeighborsCount(handle, &indegree, &outdegree, &weighted)
        var sources = [CInt](repeating: 0, count: max(Int(indegree), 1))
        var sourceWeights = sources
        var destinations = [CInt](repeating: 0, count: max(Int(outdegree), 1))
        var destinationWeights = destinations
        try MPIC.distGraphNeighbors(handle, indegree, &sources, &sourceWeights, outdegree, &destinations,
                                    &destinationWeights)
        return DistributedGraphNeighbors(
            sources: sources.prefix(Int(indegree)).map(Int.init),
            destinations: destinations.prefix(Int(outdegree)).map(Int.init),
            sourceWeights: weighted != 0 ? sourceWeights.prefix(Int(indegree)).map(Int.init) : nil,
            destinationWeights: weighted != 0 ? destinationWeights.prefix(Int(outdegree)).map(Int.init) : nil)
    }

    internal func requireTopology(_ kind: Topology, _ operation: StaticString) throws {
        let actual = try topology
        guard actual == kind else {
            throw MPIError.invalidArgument("communicator", description,
                                           "must have a \(kind) topology, not \(actual.map { "\($0)" } ?? "none")",
                                           errorClass: .communicator, operation: operation)
        }
    }
}
