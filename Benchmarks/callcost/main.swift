// mpi-callcost: one MPI operation per iteration, N times, on rank 0 through
// the Swift API; rank 1 does its side with plain C calls. Run under
// callgrind at two iteration counts, the difference per iteration is the
// instructions one call costs; Benchmarks/scripts/callgrind.sh compares it
// with mpi-callcost-c, the same loops with rank 0 in C.
//
//   mpirun -np 2 mpi-callcost send|receive|isend-wait|ireceive-wait N
//   mpirun -np 2 mpi-callcost request-set ROUNDS    (64 sends and 64 receives a round)
//   mpirun -np 1 mpi-callcost allreduce N
//
// Every mode avoids waiting on the peer inside the counted loop (receives are
// posted, or messages queued, before a barrier), so the counts repeat.
import CMPI
import MPI
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, let iterations = Int(arguments[2]) else {
    print("usage: mpi-callcost send|receive|isend-wait|ireceive-wait|request-set|allreduce ITERATIONS")
    exit(2)
}
let mode = arguments[1]

// The loops callgrind counts (`--toggle-collect=*measured*`), one per
// operation, written as a user would: buffers are locals made before the loop.

@inline(never)
func measuredSends(_ world: Communicator, _ iterations: Int) throws {
    let value = [1.0]
    for _ in 0..<iterations { try world.send(value, to: 1, tag: 0) }
}

@inline(never)
func measuredReceives(_ world: Communicator, _ iterations: Int) throws {
    var value = [0.0]
    for _ in 0..<iterations { try world.receive(into: &value, from: 1, tag: 0) }
}

@inline(never)
func measuredIsendWaits(_ world: Communicator, _ iterations: Int) throws {
    let value = [1.0]
    for _ in 0..<iterations { try world.isend(value, to: 1, tag: 0).wait() }
}

@inline(never)
func measuredIreceiveWaits(_ world: Communicator, _ iterations: Int) throws {
    var value = [0.0]
    try value.withUnsafeMutableBufferPointer { buffer in
        for _ in 0..<iterations { try world.ireceive(into: buffer, from: 1, tag: 0).wait() }
    }
}

/// Requests in a set per round: half sends, half receives.
let setSize = 64

@inline(never)
func measuredRequestSets(_ world: Communicator, _ rounds: Int) throws {
    let value = [1.0]
    var incoming = [Double](repeating: 0, count: setSize)
    var set = RequestSet<Status>()
    set.reserveCapacity(2 * setSize)
    try incoming.withUnsafeMutableBufferPointer { incoming in
        for _ in 0..<rounds {
            for _ in 0..<setSize { set.append(try world.isend(value, to: 1, tag: 0)) }
            for index in 0..<setSize {
                set.append(try world.ireceive(into: UnsafeMutableBufferPointer(rebasing: incoming[index..<index + 1]),
                                              from: 1, tag: 0))
            }
            try set.waitForAll()
            set.removeAll()
        }
    }
}

@inline(never)
func measuredAllReduces(_ world: Communicator, _ iterations: Int) throws {
    let value = [1.0]
    var result = [0.0]
    for _ in 0..<iterations { try world.allReduce(value, into: &result, .sum) }
}

try MPI.run { world in
    var peerBuffer = [Double](repeating: 0, count: iterations)
    var requests = [RequestHandle](repeating: cmpi_request_null(), count: iterations)
    var one = 1.0
    switch (mode, world.rank) {
    case ("send", 0), ("isend-wait", 0):
        try world.barrier()
        try mode == "send" ? measuredSends(world, iterations) : measuredIsendWaits(world, iterations)
    case ("send", 1), ("isend-wait", 1):
        peerBuffer.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<iterations {
                _ = MPI_Irecv(buffer.baseAddress! + index, 1, cmpi_double(), 0, 0, cmpi_comm_world(), &requests[index])
            }
        }
        try world.barrier()
        _ = MPI_Waitall(CInt(iterations), &requests, cmpi_statuses_ignore())
    case ("receive", 0), ("ireceive-wait", 0):
        try world.barrier()
        try mode == "receive" ? measuredReceives(world, iterations) : measuredIreceiveWaits(world, iterations)
    case ("receive", 1), ("ireceive-wait", 1):
        for _ in 0..<iterations { _ = MPI_Send(&one, 1, cmpi_double(), 0, 0, cmpi_comm_world()) }
        try world.barrier()
    case ("request-set", 0):
        try world.barrier()
        try measuredRequestSets(world, iterations)
    case ("request-set", 1):
        let messages = iterations * setSize
        var peerBuffer = [Double](repeating: 0, count: messages)
        var requests = [RequestHandle](repeating: cmpi_request_null(), count: messages)
        peerBuffer.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<messages {
                _ = MPI_Irecv(buffer.baseAddress! + index, 1, cmpi_double(), 0, 0, cmpi_comm_world(), &requests[index])
            }
        }
        for _ in 0..<messages { _ = MPI_Send(&one, 1, cmpi_double(), 0, 0, cmpi_comm_world()) }
        try world.barrier()
        _ = MPI_Waitall(CInt(messages), &requests, cmpi_statuses_ignore())
    case ("allreduce", 0):
        try measuredAllReduces(world, iterations)
    default:
        print("usage: mpi-callcost send|receive|isend-wait|ireceive-wait|request-set (2 ranks)|allreduce (1 rank) ITERATIONS")
        MPI.abort(exitCode: 2)
    }
    try world.barrier()
}
