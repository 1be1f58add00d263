import ArgumentParser
import MPI
import BenchmarkLoops

// Halo exchange on a periodic 2-D grid of ranks (MPI_Dims_create's shape):
// each exchange sends a block of `size` bytes to each of the four neighbours
// and receives one from each, by four persistent sends and four persistent
// receives started together, or by one neighbourhood all-to-all. The loops of
// mpi-bench-c's halo.c; timed as the collectives are.

/// The grid both halo benchmarks run on, and its neighbours in MPI's order.
private func haloGrid(_ world: Communicator) throws -> (grid: CartesianGrid, peers: [Int]) {
    let grid = try world.cartesianGrid(dimensions: try MPI.gridDimensions(processes: world.size, count: 2),
                                       periodic: [true, true])
    let rows = try grid.shift(dimension: 0, by: 1), columns = try grid.shift(dimension: 1, by: 1)
    return (grid, [rows.source, rows.destination, columns.source, columns.destination])
}

struct HaloPersistent: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "halo_persistent",
        abstract: "2-D halo exchange by persistent requests (MPI_Send_init, MPI_Recv_init, MPI_Startall, MPI_Waitall).")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        let (grid, peers) = try haloGrid(world)
        let comm = grid.communicator
        try collectiveSeries(comm, &report, options, title: "2-D Halo Exchange by Persistent Requests", minimumSize: 8,
                             maximumSize: 1 << 18, sendBlocks: 4, receiveBlocks: 4) { memory, size, iterations, warmup in
            // Block j goes to neighbour j with tag j; the block a neighbour
            // sends our way as its block j ^ 1 arrives in block j.
            var requests = PersistentRequestSet<UInt8>()
            for j in 0..<4 {
                let block = UnsafeBufferPointer(CollectiveMemory.bytes(UnsafeMutableRawBufferPointer(rebasing: memory.send[(j * size)...]), size))
                _ = requests.append(try comm.unsafePersistentSend(block, to: peers[j], tag: j))
            }
            for j in 0..<4 {
                let block = CollectiveMemory.bytes(UnsafeMutableRawBufferPointer(rebasing: memory.receive[(j * size)...]), size)
                _ = requests.append(try comm.unsafePersistentReceive(into: block, from: peers[j], tag: j ^ 1))
            }
            return try timeCollective(comm, size: size, iterations: iterations, warmup: warmup) {
                try requests.startAll()
                try requests.waitAll()
            }
        }
    }
}

struct HaloNeighbor: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "halo_neighbor", abstract: "2-D halo exchange by MPI_Neighbor_alltoall.")
    @OptionGroup var options: BenchmarkOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        let comm = try haloGrid(world).grid.communicator
        try collectiveSeries(comm, &report, options, title: "2-D Halo Exchange by MPI_Neighbor_alltoall", minimumSize: 8,
                             maximumSize: 1 << 18, sendBlocks: 4, receiveBlocks: 4) { memory, size, iterations, warmup in
            let send = CollectiveMemory.bytes(memory.send, 4 * size)
            var receive = CollectiveMemory.bytes(memory.receive, 4 * size)
            return try timeCollective(comm, size: size, iterations: iterations, warmup: warmup) {
                try comm.neighborAllToAll(send, into: &receive)
            }
        }
    }
}
