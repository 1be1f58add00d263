// mpi-callcost: one MPI operation per iteration, N times, on rank 0 through
// the Swift API; rank 1 does its side with plain C calls. Run under
// callgrind at two iteration counts, the difference per iteration is the
// instructions one call costs; Benchmarks/scripts/callgrind.sh compares it
// with mpi-callcost-c, the same loops with rank 0 in C.
//
//   mpirun -np 2 mpi-callcost MODE N     (MODE: see `modes` below)
//   mpirun -np 1 mpi-callcost allreduce N
//
// Every mode avoids waiting on the peer inside the counted loop (receives are
// posted, or messages queued, before a barrier), so the counts repeat.
import CMPI
import MPI
#if canImport(Glibc)
import Glibc
#endif

/// A request set's iteration: this many receives from rank 1 and as many sends to it.
let requestSetHalf = 64

/// The modes at 2 ranks, and how many messages each iteration sends to rank 1
/// and receives from it (rank 1 posts or queues them all before the loop).
let modes: [String: (toPeer: Int, fromPeer: Int)] = [
    "send": (1, 0),
    "isend-wait": (1, 0),
    "receive": (0, 1),
    "ireceive-wait": (0, 1),
    "ireceive-wait-pointer": (0, 1),
    "request-set": (requestSetHalf, requestSetHalf),
    "request-set-waitall": (requestSetHalf, requestSetHalf),
]
let usage = "usage: mpi-callcost \(modes.keys.sorted().joined(separator: "|")) (2 ranks)|allreduce (1 rank) ITERATIONS"

let arguments = CommandLine.arguments
guard arguments.count == 3, let iterations = Int(arguments[2]) else {
    print(usage)
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

/// `ireceive(into:)` an array, which the request owns until `wait` hands it
/// back (`consume`: otherwise the caller's copy would make MPI's target a copy).
@inline(never)
func measuredIreceiveWaits(_ world: Communicator, _ iterations: Int) throws {
    var value = [0.0]
    for _ in 0..<iterations {
        let (received, _) = try world.ireceive(into: consume value, from: 1, tag: 0).wait()
        value = received
    }
}

/// `ireceive(into:)` memory the caller owns.
@inline(never)
func measuredIreceivePointerWaits(_ world: Communicator, _ iterations: Int, _ value: UnsafeMutableBufferPointer<Double>) throws {
    for _ in 0..<iterations { try world.ireceive(into: value, from: 1, tag: 0).wait() }
}

/// 64 receives (each into its own element of `slots`) and 64 sends in one
/// set, reused: `waitForAll`, then `removeAll` keeps its storage (the bw
/// loop of mpi-bench).
@inline(never)
func measuredRequestSets(_ world: Communicator, _ iterations: Int, _ slots: UnsafeMutableBufferPointer<Double>) throws {
    let value = [1.0]
    var requests = RequestSet<Status>()
    requests.reserveCapacity(2 * requestSetHalf)
    for _ in 0..<iterations {
        for index in 0..<requestSetHalf {
            requests.append(try world.ireceive(into: UnsafeMutableBufferPointer(rebasing: slots[index...index]),
                                               from: 1, tag: 0))
        }
        for _ in 0..<requestSetHalf { requests.append(try world.isend(value, to: 1, tag: 0)) }
        try requests.waitForAll()
        requests.removeAll()
    }
}

/// The same requests in a new set each iteration, consumed by `waitAll`,
/// which returns the 128 statuses.
@inline(never)
func measuredRequestSetWaitAlls(_ world: Communicator, _ iterations: Int, _ slots: UnsafeMutableBufferPointer<Double>) throws {
    let value = [1.0]
    for _ in 0..<iterations {
        var requests = RequestSet<Status>()
        requests.reserveCapacity(2 * requestSetHalf)
        for index in 0..<requestSetHalf {
            requests.append(try world.ireceive(into: UnsafeMutableBufferPointer(rebasing: slots[index...index]),
                                               from: 1, tag: 0))
        }
        for _ in 0..<requestSetHalf { requests.append(try world.isend(value, to: 1, tag: 0)) }
        let statuses = try requests.waitAll()
        precondition(statuses.count == 2 * requestSetHalf)
    }
}

@inline(never)
func measuredAllReduces(_ world: Communicator, _ iterations: Int) throws {
    let value = [1.0]
    var result = [0.0]
    for _ in 0..<iterations { try world.allReduce(value, into: &result, .sum) }
}

try MPI.run { world in
    let slots = UnsafeMutableBufferPointer<Double>.allocate(capacity: requestSetHalf)
    slots.initialize(repeating: 0)
    defer { slots.deallocate() }
    if mode == "allreduce" && world.size == 1 {
        try measuredAllReduces(world, iterations)
    } else if let traffic = modes[mode], world.size == 2 {
        if world.rank == 0 {
            try world.barrier()
            switch mode {
            case "send": try measuredSends(world, iterations)
            case "isend-wait": try measuredIsendWaits(world, iterations)
            case "receive": try measuredReceives(world, iterations)
            case "ireceive-wait": try measuredIreceiveWaits(world, iterations)
            case "ireceive-wait-pointer": try measuredIreceivePointerWaits(world, iterations, UnsafeMutableBufferPointer(rebasing: slots[0...0]))
            case "request-set": try measuredRequestSets(world, iterations, slots)
            default: try measuredRequestSetWaitAlls(world, iterations, slots)
            }
        } else {
            // Rank 1: every receive posted, and every message to rank 0
            // queued there, before the barrier.
            let incoming = traffic.toPeer * iterations
            var peerBuffer = [Double](repeating: 0, count: max(incoming, 1))
            var requests = [RequestHandle](repeating: cmpi_request_null(), count: max(incoming, 1))
            var one = 1.0
            peerBuffer.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<incoming {
                    _ = MPI_Irecv(buffer.baseAddress! + index, 1, cmpi_double(), 0, 0, cmpi_comm_world(), &requests[index])
                }
            }
            for _ in 0..<(traffic.fromPeer * iterations) {
                _ = MPI_Send(&one, 1, cmpi_double(), 0, 0, cmpi_comm_world())
            }
            try world.barrier()
            _ = MPI_Waitall(CInt(incoming), &requests, cmpi_statuses_ignore())
        }
    } else {
        print(usage)
        MPI.abort(exitCode: 2)
    }
    try world.barrier()
}
