import MPI

// The two ways heat2d fills its halos each step. Both send edge j to
// neighbour j of the Cartesian grid (Block.edgeCounts) and receive halo j
// from it; at a non-periodic edge neighbour j is MPI.processNull and halo j
// keeps the fixed 0 it started with.

/// Fills a block's halo from its neighbours.
protocol HaloExchange: AnyObject {
    func exchange(_ block: inout Block) throws
}

enum HaloMethod: String, CaseIterable {
    /// Four persistent sends and four persistent receives, made once and
    /// started every step (MPI_Send_init, MPI_Recv_init, MPI_Startall, MPI_Waitall).
    case persistent
    /// One neighbourhood all-to-all over the grid communicator (MPI_Neighbor_alltoallv).
    case neighbor

    func makeExchange(for block: Block, on grid: CartesianGrid) throws -> HaloExchange {
        switch self {
        case .persistent: return try PersistentHalo(block: block, grid: grid)
        case .neighbor: return try NeighborHalo(block: block, grid: grid)
        }
    }
}

/// The neighbours in MPI's order for a 2-D grid: dimension 0's source and
/// destination of a shift by +1, then dimension 1's.
func neighbors(of grid: CartesianGrid) throws -> [Int] {
    let rows = try grid.shift(dimension: 0, by: 1), columns = try grid.shift(dimension: 1, by: 1)
    return [rows.source, rows.destination, columns.source, columns.destination]
}

final class PersistentHalo: HaloExchange {
    /// Sends are slots 0..<4, receives 4..<8 of one set.
    private var requests = PersistentRequestSet<Double>()
    private let counts: [Int]

    init(block: Block, grid: CartesianGrid) throws {
        counts = block.edgeCounts
        let peers = try neighbors(of: grid)
        for side in 0..<4 {
            _ = requests.append(try grid.communicator.persistentSend(
                [Double](repeating: 0, count: counts[side]), to: peers[side], tag: side))
        }
        for side in 0..<4 {
            // What a neighbour sends towards us as its edge j^1 is our halo j:
            // the row it sends up is the row below us.
            _ = requests.append(try grid.communicator.persistentReceive(
                into: [Double](repeating: 0, count: counts[side]), from: peers[side], tag: side ^ 1))
        }
    }

    func exchange(_ block: inout Block) throws {
        for side in 0..<4 {
            try requests.withMutableBuffer(at: side) { buffer in block.copyEdge(side, into: buffer) }
        }
        try requests.startAll()
        try requests.waitAll()
        for side in 0..<4 {
            try requests.withBuffer(at: 4 + side) { buffer in block.fillHalo(side, from: buffer) }
        }
    }
}

final class NeighborHalo: HaloExchange {
    private let communicator: Communicator
    private let counts: [Int]
    private let displacements: [Int]
    private var send: [Double]
    /// Receives into the same blocks every step: a block from MPI.processNull
    /// is never written and keeps its 0.
    private var receive: [Double]

    init(block: Block, grid: CartesianGrid) throws {
        communicator = grid.communicator
        let counts = block.edgeCounts
        self.counts = counts
        displacements = counts.indices.map { counts[..<$0].reduce(0, +) }
        send = [Double](repeating: 0, count: counts.reduce(0, +))
        receive = send
    }

    func exchange(_ block: inout Block) throws {
        let counts = counts, displacements = displacements
        send.withUnsafeMutableBufferPointer { send in
            for side in 0..<4 {
                block.copyEdge(side, into: UnsafeMutableBufferPointer(rebasing: send[displacements[side]..<(displacements[side] + counts[side])]))
            }
        }
        try communicator.neighborAllToAll(send, sendCounts: counts, sendDisplacements: displacements,
                                          into: &receive, receiveCounts: counts, receiveDisplacements: displacements)
        receive.withUnsafeBufferPointer { receive in
            for side in 0..<4 {
                block.fillHalo(side, from: UnsafeBufferPointer(rebasing: receive[displacements[side]..<(displacements[side] + counts[side])]))
            }
        }
    }
}
