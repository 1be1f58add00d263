import MPI

// Process topologies: dims_create, Cartesian grids, graphs and distributed
// graphs, with their queries, against references computed on each rank.

func topologies(_ world: Communicator) throws {
    try gridDimensionCases()
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    for communicator in [world, try world.duplicate(), split] {
        try check(try communicator.topology == nil, "a plain communicator has no topology")
        try check(communicator.neighborDegrees == nil)
        try cartesianCases(communicator)
        try graphCases(communicator)
        try distributedGraphCases(communicator)
        try topologyErrors(communicator)
    }
}

/// Row-major coordinates of `rank` in `dimensions` (the last dimension varies fastest).
func rowMajorCoordinates(_ rank: Int, _ dimensions: [Int]) -> [Int] {
    var coordinates = [Int](repeating: 0, count: dimensions.count)
    var rest = rank
    for index in dimensions.indices.reversed() {
        coordinates[index] = rest % dimensions[index]
        rest /= dimensions[index]
    }
    return coordinates
}

func rowMajorRank(_ coordinates: [Int], _ dimensions: [Int]) -> Int {
    zip(coordinates, dimensions).reduce(0) { $0 * $1.1 + $1.0 }
}

private func gridDimensionCases() throws {
    for processes in 1...12 {
        if processes == 1 {
            try check(try MPI.gridDimensions(processes: 1, count: 0) == [])
        } else {
            try expectError(.argument, argument: "fixed") { _ = try MPI.gridDimensions(processes: processes, count: 0) }
        }
        for count in 1...3 {
            let dims = try MPI.gridDimensions(processes: processes, count: count)
            try check(dims.count == count)
            try check(dims.reduce(1, *) == processes, "dims \(dims) for \(processes)")
            try check(zip(dims, dims.dropFirst()).allSatisfy { $0 >= $1 }, "dims \(dims) must not increase")
        }
        let fixed = try MPI.gridDimensions(processes: processes, fixed: [nil, 1, nil])
        try check(fixed[1] == 1 && fixed.reduce(1, *) == processes && fixed[0] >= fixed[2], "fixed \(fixed)")
        if processes % 2 == 0 {
            let two = try MPI.gridDimensions(processes: processes, fixed: [2, nil])
            try check(two == [2, processes / 2], "fixed [2, nil] for \(processes): \(two)")
        }
        try check(try MPI.gridDimensions(processes: processes, fixed: [processes]) == [processes])
    }
    try expectError(.argument, argument: "processes") { _ = try MPI.gridDimensions(processes: 0, count: 2) }
    try expectError(.argument, argument: "count") { _ = try MPI.gridDimensions(processes: 4, count: -1) }
    try expectError(.argument, argument: "fixed[0]") { _ = try MPI.gridDimensions(processes: 4, fixed: [0, nil]) }
    try expectError(.argument, argument: "fixed") { _ = try MPI.gridDimensions(processes: 6, fixed: [4, nil]) }
    try expectError(.argument, argument: "fixed") { _ = try MPI.gridDimensions(processes: 6, fixed: [2, 2]) }
}

private func cartesianCases(_ communicator: Communicator) throws {
    let n = communicator.size
    let shapes: [([Int], [Bool])] = [
        ([n], [true]), ([n], [false]),
        (try MPI.gridDimensions(processes: n, count: 2), [true, false]),
        (try MPI.gridDimensions(processes: n, count: 2), [false, true]),
        ([n, 1], [false, true]), ([1, n], [true, true]),
        (try MPI.gridDimensions(processes: n, count: 3), [true, false, true]),
    ]
    for (dimensions, periodic) in shapes {
        let grid = try communicator.cartesianGrid(dimensions: dimensions, periodic: periodic)
        try check(try grid.communicator.topology == .cartesian)
        try check(grid.dimensions == dimensions && grid.periodic == periodic)
        try check(grid.size == n && grid.rank == communicator.rank, "no reorder keeps the ranks")
        try check(grid.coordinates == rowMajorCoordinates(grid.rank, dimensions),
                  "\(grid): expected \(rowMajorCoordinates(grid.rank, dimensions))")
        try check(grid.communicator.neighborDegrees! == (2 * dimensions.count, 2 * dimensions.count))
        for rank in 0..<n {
            let reference = rowMajorCoordinates(rank, dimensions)
            try check(try grid.coordinates(of: rank) == reference)
            try check(try grid.rank(at: reference) == rank)
            // Periodic dimensions wrap; others reject coordinates outside.
            for index in dimensions.indices {
                var outside = reference
                outside[index] += dimensions[index]
                if periodic[index] {
                    try check(try grid.rank(at: outside) == rank)
                } else {
                    try expectError(.argument, argument: "coordinates[\(index)]") { _ = try grid.rank(at: outside) }
                }
            }
        }
        for index in dimensions.indices {
            for displacement in [1, -1, 2] {
                let shift = try grid.shift(dimension: index, by: displacement)
                func neighbor(_ step: Int) -> Int {
                    var coordinates = grid.coordinates
                    let moved = coordinates[index] + step
                    if periodic[index] {
                        coordinates[index] = ((moved % dimensions[index]) + dimensions[index]) % dimensions[index]
                    } else if moved < 0 || moved >= dimensions[index] {
                        return MPI.processNull
                    } else {
                        coordinates[index] = moved
                    }
                    return rowMajorRank(coordinates, dimensions)
                }
                try check(shift.source == neighbor(-displacement) && shift.destination == neighbor(displacement),
                          "\(grid) shift \(index) by \(displacement): \(shift)")
            }
        }
        // Sub-grids: keep each dimension alone, and all but the first.
        for kept in dimensions.indices {
            let keeping = dimensions.indices.map { $0 == kept }
            let sub = try grid.subgrid(keeping: keeping)
            try check(sub.dimensions == [dimensions[kept]] && sub.periodic == [periodic[kept]])
            try check(sub.coordinates == [grid.coordinates[kept]] && sub.size == dimensions[kept])
            try check(sub.rank == grid.coordinates[kept], "sub-grid ranks follow the kept coordinate")
        }
        if dimensions.count > 1 {
            let sub = try grid.subgrid(keeping: dimensions.indices.map { $0 != 0 })
            try check(sub.coordinates == Array(grid.coordinates.dropFirst()))
            try check(sub.size == dimensions.dropFirst().reduce(1, *))
        }
        let duplicate = try grid.communicator.duplicate()
        try check(try duplicate.topology == .cartesian && duplicate.neighborDegrees! == (2 * dimensions.count, 2 * dimensions.count))
        try expectError(.argument, argument: "dimension") { _ = try grid.shift(dimension: dimensions.count) }
        try expectError(.argument, argument: "keeping") { _ = try grid.subgrid(keeping: []) }
    }
    // A partial grid leaves the last process out.
    if n > 1 {
        let partial = try communicator.partialCartesianGrid(dimensions: [n - 1], periodic: [false])
        try check((partial == nil) == (communicator.rank == n - 1))
        if let partial { try check(partial.size == n - 1 && partial.coordinates == [communicator.rank]) }
    }
    let mapped = try communicator.cartesianMappedRank(dimensions: [n], periodic: [true])
    try check((0..<n).contains(mapped), "MPI_Cart_map gave \(mapped)")
}

private func graphCases(_ communicator: Communicator) throws {
    let n = communicator.size
    // A ring, both directions (repeats at 1 and 2 processes).
    let neighbors = (0..<n).map { [($0 + 1) % n, ($0 + n - 1) % n] }
    let graph = try communicator.graph(neighbors: neighbors)
    try check(try graph.topology == .graph)
    try check(try graph.graphDimensions() == (n, 2 * n))
    try check(try graph.graphAdjacency() == neighbors)
    for rank in 0..<n { try check(try graph.graphNeighbors(of: rank) == neighbors[rank]) }
    try check(graph.neighborDegrees! == (2, 2))
    try check(try graph.duplicate().graphAdjacency() == neighbors)
    let mapped = try communicator.graphMappedRank(neighbors: neighbors)
    try check((0..<n).contains(mapped), "MPI_Graph_map gave \(mapped)")
    try expectError(.rank, argument: "neighbors[0]") { _ = try communicator.graph(neighbors: [[n]] + neighbors.dropFirst()) }
    try expectError(.argument, argument: "neighbors") { _ = try communicator.graph(neighbors: neighbors + [[0]]) }
    try expectError(.communicator, argument: "communicator") { _ = try communicator.graphDimensions() }
}

/// The irregular graph of the tests: rank r sends to r+1 and r+2 (mod size),
/// with weights 10r+1 and 10r+2.
func irregularDestinations(_ rank: Int, _ n: Int) -> [Int] { [(rank + 1) % n, (rank + 2) % n] }
func irregularSources(_ rank: Int, _ n: Int) -> [Int] { [(rank + n - 1) % n, (rank + 2 * n - 2) % n] }

private func distributedGraphCases(_ communicator: Communicator) throws {
    let n = communicator.size, rank = communicator.rank
    let sources = irregularSources(rank, n), destinations = irregularDestinations(rank, n)
    let sourceWeights = [10 * sources[0] + 1, 10 * sources[1] + 2], destinationWeights = [10 * rank + 1, 10 * rank + 2]
    let weighted = try communicator.distributedGraph(sources: sources, destinations: destinations,
                                                     sourceWeights: sourceWeights, destinationWeights: destinationWeights)
    try check(try weighted.topology == .distributedGraph)
    let found = try weighted.distributedGraphNeighbors
    try check(found == DistributedGraphNeighbors(sources: sources, destinations: destinations,
                                                 sourceWeights: sourceWeights, destinationWeights: destinationWeights),
              "\(found)")
    try check(weighted.neighborDegrees! == (2, 2))
    try check(try weighted.duplicate().distributedGraphNeighbors == found)

    let unweighted = try communicator.distributedGraph(sources: sources, destinations: destinations)
    let plain = try unweighted.distributedGraphNeighbors
    try check(plain.sources == sources && plain.destinations == destinations && plain.sourceWeights == nil)

    // No edges, but weighted (MPI_WEIGHTS_EMPTY).
    let empty = try communicator.distributedGraph(sources: [], destinations: [], sourceWeights: [], destinationWeights: [])
    try check(try empty.distributedGraphNeighbors.sources.isEmpty && empty.neighborDegrees! == (0, 0))

    // The general form: each rank gives its own outgoing edges; MPI may order them.
    let general = try communicator.distributedGraph(edges: [(source: rank, destinations: destinations)],
                                                    weights: [destinationWeights])
    let mine = try general.distributedGraphNeighbors
    try check(mine.sources.sorted() == sources.sorted() && mine.destinations.sorted() == destinations.sorted(), "\(mine)")
    try check(mine.destinationWeights?.sorted() == destinationWeights.sorted())

    try expectError(.rank, argument: "destinations[1]") {
        _ = try communicator.distributedGraph(sources: sources, destinations: [destinations[0], n])
    }
    try expectError(.rank, argument: "sources[0]") {
        _ = try communicator.distributedGraph(sources: [-1], destinations: destinations)
    }
    try expectError(.argument, argument: "sourceWeights") {
        _ = try communicator.distributedGraph(sources: sources, destinations: destinations, sourceWeights: [1],
                                              destinationWeights: destinationWeights)
    }
    try expectError(.rank, argument: "destinations[0]") {
        _ = try communicator.distributedGraph(edges: [(source: rank, destinations: [n + 3])])
    }
    try expectError(.communicator, argument: "communicator") { _ = try communicator.distributedGraphNeighbors }
}

private func topologyErrors(_ communicator: Communicator) throws {
    let n = communicator.size
    try expectError(.argument, argument: "dimensions") {
        _ = try communicator.cartesianGrid(dimensions: [n + 1], periodic: [false])
    }
    try expectError(.argument, argument: "dimensions") {
        _ = try communicator.cartesianGrid(dimensions: [n, 0], periodic: [false, false])
    }
    try expectError(.argument, argument: "dimensions") {
        _ = try communicator.partialCartesianGrid(dimensions: [n + 1], periodic: [false])
    }
    try expectError(.argument, argument: "periodic") {
        _ = try communicator.cartesianGrid(dimensions: [n], periodic: [])
    }
    let grid = try communicator.cartesianGrid(dimensions: [n], periodic: [false])
    try expectError(.argument, argument: "coordinates") { _ = try grid.rank(at: [0, 0]) }
    try expectError(.rank, argument: "rank") { _ = try grid.coordinates(of: n) }
}
