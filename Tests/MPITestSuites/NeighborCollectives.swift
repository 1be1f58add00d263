import MPI

// Neighbourhood collectives on rings, grids and graphs, every form blocking
// and nonblocking, against references computed on each rank. At 1 and 2
// processes a periodic dimension's two neighbours are one process, and the
// graphs have repeated edges: there the standard fixes the slots (a block
// sent to the -1 neighbour arrives in the +1 slot; the k-th edge to a process
// matches the k-th edge from it), which some MPIs get wrong and the package
// corrects.

/// A topology under test and where each receive slot's block comes from.
private struct Neighbors {
    let name: String
    let communicator: Communicator
    let sources: [Int]
    let outdegree: Int
    /// The out-degree of rank `s`.
    let outdegreeOf: (Int) -> Int
    /// For receive slot i, the send slot of sources[i] whose block lands there.
    let senderSlot: (Int) -> Int
}

private func cartesianNeighbors(_ name: String, _ grid: CartesianGrid) throws -> Neighbors {
    var sources: [Int] = []
    for dimension in grid.dimensions.indices {
        let shift = try grid.shift(dimension: dimension)
        sources += [shift.source, shift.destination]
    }
    return Neighbors(name: name, communicator: grid.communicator, sources: sources, outdegree: sources.count,
                     outdegreeOf: { _ in sources.count }, senderSlot: { $0 ^ 1 })
}

private func graphNeighbors(_ name: String, _ communicator: Communicator, sources: [Int],
                            destinationsOf: @escaping (Int) -> [Int]) -> Neighbors {
    let rank = communicator.rank
    return Neighbors(
        name: name, communicator: communicator, sources: sources, outdegree: destinationsOf(rank).count,
        outdegreeOf: { destinationsOf($0).count },
        senderSlot: { slot in
            let sender = sources[slot]
            let k = sources[..<slot].filter { $0 == sender }.count
            return destinationsOf(sender).indices.filter { destinationsOf(sender)[$0] == rank }[k]
        })
}

func neighborCollectives(_ world: Communicator) throws {
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    for communicator in [world, try world.duplicate(), split] {
        let n = communicator.size, rank = communicator.rank
        var cases: [Neighbors] = []
        let ring = try communicator.cartesianGrid(dimensions: [n], periodic: [true])
        cases.append(try cartesianNeighbors("ring", ring))
        cases.append(try cartesianNeighbors("line", communicator.cartesianGrid(dimensions: [n], periodic: [false])))
        let dims = try MPI.gridDimensions(processes: n, count: 2)
        cases.append(try cartesianNeighbors("torus \(dims)", communicator.cartesianGrid(dimensions: dims, periodic: [true, true])))
        cases.append(try cartesianNeighbors("grid [1, n]", communicator.cartesianGrid(dimensions: [1, n], periodic: [true, false])))
        // A duplicate calibrates afresh.
        let ringCopy = try ring.communicator.duplicate()
        cases.append(Neighbors(name: "ring duplicate", communicator: ringCopy, sources: cases[0].sources, outdegree: 2,
                               outdegreeOf: { _ in 2 }, senderSlot: { $0 ^ 1 }))
        let irregular = try communicator.distributedGraph(
            sources: irregularSources(rank, n), destinations: irregularDestinations(rank, n),
            sourceWeights: irregularSources(rank, n).map { $0 + 1 }, destinationWeights: irregularDestinations(rank, n).map { $0 + 1 })
        cases.append(graphNeighbors("irregular graph", irregular, sources: irregularSources(rank, n),
                                    destinationsOf: { irregularDestinations($0, n) }))
        // Repeated edges at every size: r -> r+1 twice and r+2.
        func repeated(_ r: Int) -> [Int] { [(r + 1) % n, (r + 2) % n, (r + 1) % n] }
        func repeatedSources(_ r: Int) -> [Int] { [(r + n - 1) % n, (r + 2 * n - 2) % n, (r + n - 1) % n] }
        let multigraph = try communicator.distributedGraph(sources: repeatedSources(rank), destinations: repeated(rank))
        cases.append(graphNeighbors("graph with repeated edges", multigraph, sources: repeatedSources(rank),
                                    destinationsOf: repeated))
        // A sink-heavy graph: everyone sends to 0, 0 sends nowhere.
        let star = try communicator.distributedGraph(sources: rank == 0 ? Array(1..<n) : [], destinations: rank == 0 ? [] : [0])
        cases.append(graphNeighbors("star", star, sources: rank == 0 ? Array(1..<n) : [],
                                    destinationsOf: { $0 == 0 ? [] : [0] }))
        let ringGraph = try communicator.graph(neighbors: (0..<n).map { [($0 + 1) % n, ($0 + n - 1) % n] })
        cases.append(graphNeighbors("graph ring", ringGraph, sources: [(rank + 1) % n, (rank + n - 1) % n],
                                    destinationsOf: { [($0 + 1) % n, ($0 + n - 1) % n] }))
        for topology in cases { try exchanges(topology) }
        try neighborErrors(communicator, ring.communicator)
    }
}

private func value(_ sender: Int, _ slot: Int, _ element: Int) -> Double {
    Double(sender * 1000 + slot * 10 + element)
}

private func exchanges(_ t: Neighbors) throws {
    let c = t.communicator, rank = c.rank
    let label = "\(t.name) at rank \(rank) of \(c.size)"
    try check(c.neighborDegrees! == (t.sources.count, t.outdegree), "\(label): degrees \(c.neighborDegrees!)")
    let null = MPI.processNull

    // All-gather: the same block to everyone.
    let block = 3
    let gathered = (0..<block).map { value(rank, 0, $0) }
    let gatherReference = t.sources.flatMap { s in (0..<block).map { s == null ? 0 : value(s, 0, $0) } }
    try check(try c.neighborAllGather(gathered) == gatherReference, "\(label): neighborAllGather")
    try check(try c.ineighborAllGather(gathered).wait() == gatherReference, "\(label): ineighborAllGather")
    var into = [Double](repeating: 0, count: block * t.sources.count)
    try c.neighborAllGather(gathered, into: &into)
    try check(into == gatherReference, "\(label): neighborAllGather into")
    var startedGather = [Double](repeating: 0, count: block * t.sources.count)
    try startedGather.withUnsafeMutableBufferPointer { try c.ineighborAllGather(gathered, into: $0).wait() }
    try check(startedGather == gatherReference, "\(label): ineighborAllGather into")

    // All-gather-v: rank s sends s % 3 + 1 elements; slots reversed with a gap of one.
    let own = (0..<(rank % 3 + 1)).map { value(rank, 0, $0) }
    let counts = t.sources.map { $0 == null ? 0 : $0 % 3 + 1 }
    var displacements = [Int](repeating: 0, count: counts.count)
    var offset = 1
    for slot in counts.indices.reversed() { displacements[slot] = offset; offset += counts[slot] + 1 }
    var gathervReference = [Double](repeating: 0, count: counts.indices.map { displacements[$0] + counts[$0] }.max() ?? 0)
    for (slot, s) in t.sources.enumerated() where s != null {
        for e in 0..<counts[slot] { gathervReference[displacements[slot] + e] = value(s, 0, e) }
    }
    try check(try c.neighborAllGather(own, counts: counts, displacements: displacements) == gathervReference,
              "\(label): neighborAllGather v")
    try check(try c.ineighborAllGather(own, counts: counts, displacements: displacements).wait() == gathervReference,
              "\(label): ineighborAllGather v")
    let packed = t.sources.indices.flatMap { slot in (0..<counts[slot]).map { t.sources[slot] == null ? 0 : value(t.sources[slot], 0, $0) } }
    try check(try c.neighborAllGather(own, counts: counts) == packed, "\(label): neighborAllGather v packed")

    // All-to-all: block j to neighbour j.
    let send = (0..<t.outdegree).flatMap { j in (0..<block).map { value(rank, j, $0) } }
    let reference = t.sources.indices.flatMap { slot in
        (0..<block).map { t.sources[slot] == null ? 0 : value(t.sources[slot], t.senderSlot(slot), $0) }
    }
    // (Every rank makes the same calls. The forms that infer the block count
    // from `send` cannot where a rank sends nothing: the star.)
    if t.name != "star" {
        let result = try c.neighborAllToAll(send)
        try check(result == reference, "\(label): neighborAllToAll \(result) != \(reference)")
        try check(try c.ineighborAllToAll(send).wait() == reference, "\(label): ineighborAllToAll")
    }
    do {
        var receive = [Double](repeating: -1, count: reference.count)
        try c.neighborAllToAll(send, into: &receive)
        for slot in t.sources.indices where t.sources[slot] == null {
            for e in 0..<block { receive[slot * block + e] = 0 }  // untouched slots
        }
        try check(receive == reference, "\(label): neighborAllToAll into")
        var started = [Double](repeating: 0, count: reference.count)
        try started.withUnsafeMutableBufferPointer { try c.ineighborAllToAll(send, into: $0).wait() }
        try check(started == reference, "\(label): ineighborAllToAll into")
    }

    // All-to-all-v: rank s sends (s + j) % 3 elements to its neighbour j.
    let sendCounts = (0..<t.outdegree).map { (rank + $0) % 3 }
    let sendV = (0..<t.outdegree).flatMap { j in (0..<sendCounts[j]).map { value(rank, j, $0) } }
    let receiveCounts = t.sources.indices.map { slot in
        t.sources[slot] == null ? 0 : (t.sources[slot] + t.senderSlot(slot)) % 3
    }
    var receiveDisplacements = [Int](repeating: 0, count: receiveCounts.count)
    offset = 2
    for slot in receiveCounts.indices.reversed() { receiveDisplacements[slot] = offset; offset += receiveCounts[slot] + 1 }
    let length = receiveCounts.indices.map { receiveDisplacements[$0] + receiveCounts[$0] }.max() ?? 0
    var vReference = [Double](repeating: 0, count: length)
    for (slot, s) in t.sources.enumerated() where s != null {
        for e in 0..<receiveCounts[slot] { vReference[receiveDisplacements[slot] + e] = value(s, t.senderSlot(slot), e) }
    }
    let v = try c.neighborAllToAll(sendV, sendCounts: sendCounts, receiveCounts: receiveCounts,
                                   receiveDisplacements: receiveDisplacements)
    try check(v == vReference, "\(label): neighborAllToAll v \(v) != \(vReference)")
    try check(try c.ineighborAllToAll(sendV, sendCounts: sendCounts, receiveCounts: receiveCounts,
                                      receiveDisplacements: receiveDisplacements).wait() == vReference,
              "\(label): ineighborAllToAll v")
    // Send blocks laid out in reverse, received end to end into caller memory.
    var sendDisplacements = [Int](repeating: 0, count: sendCounts.count)
    offset = 0
    for j in sendCounts.indices.reversed() { sendDisplacements[j] = offset; offset += sendCounts[j] }
    var reversed = [Double](repeating: 0, count: offset)
    for j in sendCounts.indices { for e in 0..<sendCounts[j] { reversed[sendDisplacements[j] + e] = value(rank, j, e) } }
    var packedReceive = [Double](repeating: 0, count: receiveCounts.reduce(0, +))
    try c.neighborAllToAll(reversed, sendCounts: sendCounts, sendDisplacements: sendDisplacements,
                           into: &packedReceive, receiveCounts: receiveCounts)
    let packedReference = t.sources.indices.flatMap { slot in
        (0..<receiveCounts[slot]).map { value(t.sources[slot], t.senderSlot(slot), $0) }
    }
    try check(packedReceive == packedReference, "\(label): neighborAllToAll v into")
    var startedV = [Double](repeating: 0, count: packedReference.count)
    try startedV.withUnsafeMutableBufferPointer {
        try c.ineighborAllToAll(reversed, sendCounts: sendCounts, sendDisplacements: sendDisplacements, into: $0,
                                receiveCounts: receiveCounts).wait()
    }
    try check(startedV == packedReference, "\(label): ineighborAllToAll v into")

    // All-to-all-w: the v exchange again, over bytes with a datatype per neighbour.
    let stride = MemoryLayout<Double>.stride
    var packedSend = [Int](repeating: 0, count: sendCounts.count)
    offset = 0
    for j in sendCounts.indices { packedSend[j] = offset * stride; offset += sendCounts[j] }
    #if MPICH
    // MPICH 4.0.2 loses the w form's blocks where in- and out-degrees differ: a clear error instead.
    let wIsRefused = t.name == "star" && c.size > 1
    #else
    let wIsRefused = false
    #endif
    for nonblocking in [false, true] {
        var w = [Double](repeating: 0, count: length)
        let refused = try? expectError(.other) {
            try sendV.withUnsafeBytes { send in
                try w.withUnsafeMutableBytes { receive in
                    let arguments = (sendCounts, packedSend, [Datatype](repeating: Double.mpiDatatype, count: sendCounts.count),
                                     receiveCounts, receiveDisplacements.map { $0 * stride },
                                     [Datatype](repeating: Double.mpiDatatype, count: receiveCounts.count))
                    if nonblocking {
                        try c.ineighborAllToAll(bytes: send, sendCounts: arguments.0, sendDisplacements: arguments.1,
                                                sendTypes: arguments.2, into: receive, receiveCounts: arguments.3,
                                                receiveDisplacements: arguments.4, receiveTypes: arguments.5).wait()
                    } else {
                        try c.neighborAllToAll(bytes: send, sendCounts: arguments.0, sendDisplacements: arguments.1,
                                               sendTypes: arguments.2, into: receive, receiveCounts: arguments.3,
                                               receiveDisplacements: arguments.4, receiveTypes: arguments.5)
                    }
                }
            }
        }
        if wIsRefused {
            try check(refused?.message.contains("in-degree differs") == true, "\(label): the w form must refuse the star")
            continue
        }
        try check(refused == nil, "\(label): the w form threw")
        try check(w == vReference, "\(label): \(nonblocking ? "i" : "")neighborAllToAll w \(w) != \(vReference)")
    }
}

private func neighborErrors(_ plain: Communicator, _ ring: Communicator) throws {
    try expectError(.communicator, argument: "communicator") { _ = try plain.neighborAllGather([1.0]) }
    try expectError(.communicator, argument: "communicator") { _ = try plain.ineighborAllToAll([1.0]) }
    try expectError(.communicator, argument: "communicator") {
        _ = try plain.neighborAllToAll([1.0], sendCounts: [1], receiveCounts: [1])
    }
    var small = [Double](repeating: 0, count: 1)
    try expectError(.count, argument: "receive") { try ring.neighborAllGather([1.0, 2.0], into: &small) }
    try expectError(.count, argument: "receive") { try ring.neighborAllToAll([1.0, 2.0], into: &small) }
    try expectError(.count, argument: "send") { _ = try ring.neighborAllToAll([1.0, 2.0, 3.0]) }
    try expectError(.count, argument: "counts") { _ = try ring.neighborAllGather([1.0], counts: [1]) }
    try expectError(.count, argument: "counts[1]") { _ = try ring.neighborAllGather([1.0], counts: [1, -1]) }
    try expectError(.argument, argument: "displacements[0]") {
        _ = try ring.neighborAllGather([1.0], counts: [1, 1], displacements: [-1, 1])
    }
    try expectError(.argument, argument: "receiveDisplacements[0]") {
        _ = try ring.neighborAllToAll([1.0, 2.0], sendCounts: [1, 1], receiveCounts: [1, 1], receiveDisplacements: [-1, 0])
    }
    try expectError(.argument, argument: "sendDisplacements[1]") {
        _ = try ring.ineighborAllToAll([1.0, 2.0], sendCounts: [1, 1], sendDisplacements: [0, 2], receiveCounts: [1, 1])
    }
    try expectError(.argument, argument: "receiveDisplacements") {
        _ = try ring.neighborAllToAll([1.0, 2.0], sendCounts: [1, 1], receiveCounts: [1, 1], receiveDisplacements: [0, 0])
    }
    var bytes = [Double](repeating: 0, count: 2)
    try bytes.withUnsafeMutableBytes { receive in
        try [1.0, 2.0].withUnsafeBytes { send in
            let types = [Double.mpiDatatype, Double.mpiDatatype]
            try expectError(.argument, argument: "receiveDisplacements[1]") {
                try ring.neighborAllToAll(bytes: send, sendCounts: [1, 1], sendDisplacements: [0, 8], sendTypes: types,
                                          into: receive, receiveCounts: [1, 1], receiveDisplacements: [0, 16],
                                          receiveTypes: types)
            }
            try expectError(.argument, argument: "sendTypes") {
                _ = try ring.ineighborAllToAll(bytes: send, sendCounts: [1, 1], sendDisplacements: [0, 8], sendTypes: [],
                                               into: receive, receiveCounts: [1, 1], receiveDisplacements: [0, 8],
                                               receiveTypes: types)
            }
        }
    }
    var tooSmall = [Double](repeating: 0, count: 1)
    try expectError(.count, argument: "receive") {
        try ring.neighborAllToAll([1.0, 2.0], sendCounts: [1, 1], into: &tooSmall, receiveCounts: [1, 1])
    }
}
