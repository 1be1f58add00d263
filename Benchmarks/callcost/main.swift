// mpi-callcost: one MPI operation per iteration, N times, through the Swift
// API. Run under callgrind at two iteration counts, the difference per
// iteration is the instructions one call costs; Benchmarks/scripts/callgrind.sh
// compares it with mpi-callcost-c, the same loops in C.
//
//   mpirun -np 1 mpi-callcost MODE N     (MODE: see `modes` below)
//
// One rank that sends to and receives from itself (Open MPI's self
// transport): the receives its sends match are posted, and the messages its
// receives match are queued, with plain C calls before the counted loop. So
// nothing in the loop waits for another process, and the counts repeat even
// on a loaded machine (with a second rank, a send waits for that rank to
// drain shared memory, and callgrind counts the polling: under load a send
// counted thousands of instructions more, or fewer, from run to run).
import CMPI
import MPI
#if canImport(Glibc)
import Glibc
#endif

/// A request set's iteration: this many receives and as many sends.
let requestSetHalf = 64

/// The modes, and how many messages each iteration sends (to this rank, tag
/// `outgoing`) and receives (tag `incoming`); all are posted or queued before
/// the loop.
let modes: [String: (sends: Int, receives: Int)] = [
    "send": (1, 0),
    "isend-wait": (1, 0),
    "isend-wait-pointer": (1, 0),
    "receive": (0, 1),
    "unsafe-receive": (0, 1),
    "unsafe-ireceive-wait-pointer": (0, 1),
    "ireceive-wait": (0, 1),
    "ireceive-wait-pointer": (0, 1),
    "request-set": (requestSetHalf, requestSetHalf),
    "request-set-pointers": (requestSetHalf, requestSetHalf),
    "request-set-waitall": (requestSetHalf, requestSetHalf),
    // A halo exchange's step, its messages to this rank matched within the iteration.
    "persistent-set": (0, 0),
    "neighbor-alltoall": (0, 0),
    // One-sided, to this rank's own window under a shared lock taken before the loop:
    // 8 bytes put (or got) then a flush, or a window of 64 of them then one flush.
    "put-flush": (0, 0),
    "get-flush": (0, 0),
    "put-window": (0, 0),
    "get-window": (0, 0),
]
let usage = "usage: mpi-callcost \(modes.keys.sorted().joined(separator: "|"))|allreduce ITERATIONS (1 rank)"
let outgoing = 1, incoming = 2, halo = 3

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
    for _ in 0..<iterations { try world.send(value, to: world.rank, tag: outgoing) }
}

@inline(never)
func measuredReceives(_ world: Communicator, _ iterations: Int) throws {
    var value = [0.0]
    for _ in 0..<iterations { try world.receive(into: &value, from: world.rank, tag: incoming) }
}

@inline(never)
func measuredIsendWaits(_ world: Communicator, _ iterations: Int) throws {
    let value = [1.0]
    for _ in 0..<iterations { try world.isend(value, to: world.rank, tag: outgoing).wait() }
}

/// `isend` from memory the caller owns (borrowed: nothing to keep alive).
@inline(never)
func measuredIsendPointerWaits(_ world: Communicator, _ iterations: Int, _ value: UnsafeBufferPointer<Double>) throws {
    for _ in 0..<iterations { try world.isend(value, to: world.rank, tag: outgoing).wait() }
}

/// `unsafeReceive(into:)`: no truncation guard, the caller promises the size.
@inline(never)
func measuredUnsafeReceives(_ world: Communicator, _ iterations: Int) throws {
    var value = [0.0]
    for _ in 0..<iterations { try world.unsafeReceive(into: &value, from: world.rank, tag: incoming) }
}

/// `unsafeIreceive(into:)` memory the caller owns.
@inline(never)
func measuredUnsafeIreceivePointerWaits(_ world: Communicator, _ iterations: Int,
                                        _ value: UnsafeMutableBufferPointer<Double>) throws {
    for _ in 0..<iterations { try world.unsafeIreceive(into: value, from: world.rank, tag: incoming).wait() }
}

/// `ireceive(into:)` an array, which the request owns until `wait` hands it
/// back (`consume`: otherwise the caller's copy would make MPI's target a copy).
@inline(never)
func measuredIreceiveWaits(_ world: Communicator, _ iterations: Int) throws {
    var value = [0.0]
    for _ in 0..<iterations {
        let (received, _) = try world.ireceive(into: consume value, from: world.rank, tag: incoming).wait()
        value = received
    }
}

/// `ireceive(into:)` memory the caller owns.
@inline(never)
func measuredIreceivePointerWaits(_ world: Communicator, _ iterations: Int, _ value: UnsafeMutableBufferPointer<Double>) throws {
    for _ in 0..<iterations { try world.ireceive(into: value, from: world.rank, tag: incoming).wait() }
}

/// 64 receives (each into its own element of `slots`) and 64 sends of
/// `value` in one set, reused: `waitForAll`, then `removeAll` keeps its
/// storage (the bw loop of mpi-bench). Sent from an array, and from a
/// buffer pointer as C sends (an array's storage is retained and released
/// per request).
@inline(never)
func measuredRequestSets<Buffer: SendBuffer>(_ world: Communicator, _ iterations: Int,
                                             _ slots: UnsafeMutableBufferPointer<Double>, sending value: Buffer) throws {
    var requests = RequestSet<Status>()
    requests.reserveCapacity(2 * requestSetHalf)
    for _ in 0..<iterations {
        for index in 0..<requestSetHalf {
            requests.append(try world.ireceive(into: UnsafeMutableBufferPointer(rebasing: slots[index...index]),
                                               from: world.rank, tag: incoming))
        }
        for _ in 0..<requestSetHalf { requests.append(try world.isend(value, to: world.rank, tag: outgoing)) }
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
                                               from: world.rank, tag: incoming))
        }
        for _ in 0..<requestSetHalf { requests.append(try world.isend(value, to: world.rank, tag: outgoing)) }
        let statuses = try requests.waitAll()
        precondition(statuses.count == 2 * requestSetHalf)
    }
}

/// Four persistent receives and four persistent sends (to this rank, tag
/// `halo`), made before the loop; each iteration starts all eight and waits.
@inline(never)
func measuredPersistentSets(_ world: Communicator, _ iterations: Int, _ slots: UnsafeMutableBufferPointer<Double>,
                            _ one: UnsafeBufferPointer<Double>) throws {
    var requests = PersistentRequestSet<Double>()
    for index in 0..<4 {
        requests.append(try world.unsafePersistentReceive(into: UnsafeMutableBufferPointer(rebasing: slots[index...index]),
                                                          from: world.rank, tag: halo))
    }
    for _ in 0..<4 { requests.append(try world.unsafePersistentSend(one, to: world.rank, tag: halo)) }
    for _ in 0..<iterations {
        try requests.startAll()
        try requests.waitAll()
    }
}

/// One double to and from each of the four neighbours of a 1-rank periodic
/// 2-D grid (all of them this rank).
@inline(never)
func measuredNeighborAllToAlls(_ grid: Communicator, _ iterations: Int) throws {
    let send = [1.0, 2.0, 3.0, 4.0]
    var receive = [Double](repeating: 0, count: 4)
    for _ in 0..<iterations { try grid.neighborAllToAll(send, into: &receive) }
}

/// `operations` puts (or gets) of 8 bytes each, from (into) the caller's memory
/// at `j * 8` to (from) this rank's window at `j * 8`, then `flush(rank:)`: the
/// one-sided benchmarks' loop (BenchmarkLoops/OneSided.swift) at one rank. The
/// caller holds the shared lock (taken outside: a closure inside this function
/// would match callgrind's `*measured*` too and toggle the counting off).
@inline(never)
func measuredOneSided(_ window: Window<UInt8>, _ iterations: Int, _ memory: UnsafeMutableRawBufferPointer,
                      put: Bool, operations: Int) throws {
    let base = memory.baseAddress!.assumingMemoryBound(to: UInt8.self)
    for _ in 0..<iterations {
        for j in 0..<operations {
            let block = UnsafeMutableBufferPointer(start: base + j * 8, count: 8)
            if put {
                try window.put(UnsafeBufferPointer(block), to: 0, at: j * 8)
            } else {
                try window.get(into: block, from: 0, at: j * 8)
            }
        }
        try window.flush(rank: 0)
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
    guard world.size == 1, mode == "allreduce" || modes[mode] != nil else {
        print(usage)
        MPI.abort(exitCode: 2)
    }
    if mode == "allreduce" {
        try measuredAllReduces(world, iterations)
        return
    }
    // Every receive the loop's sends match posted, and every message its
    // receives match queued, before the loop.
    let traffic = modes[mode]!
    let sends = traffic.sends * iterations, receives = traffic.receives * iterations
    let landing = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(sends, 1))
    landing.initialize(repeating: 0)
    defer { landing.deallocate() }
    let one = UnsafeMutablePointer<Double>.allocate(capacity: 1)   // valid until the sends complete
    one.initialize(to: 1)
    defer { one.deallocate() }
    var requests = [RequestHandle](repeating: cmpi_request_null(), count: max(sends + receives, 1))
    for index in 0..<sends {
        _ = MPI_Irecv(landing.baseAddress! + index, 1, cmpi_double(), 0, CInt(outgoing), cmpi_comm_world(),
                      &requests[index])
    }
    for index in 0..<receives {
        _ = MPI_Isend(one, 1, cmpi_double(), 0, CInt(incoming), cmpi_comm_world(), &requests[sends + index])
    }
    switch mode {
    case "send": try measuredSends(world, iterations)
    case "isend-wait": try measuredIsendWaits(world, iterations)
    case "isend-wait-pointer": try measuredIsendPointerWaits(world, iterations, UnsafeBufferPointer(start: one, count: 1))
    case "receive": try measuredReceives(world, iterations)
    case "unsafe-receive": try measuredUnsafeReceives(world, iterations)
    case "unsafe-ireceive-wait-pointer":
        try measuredUnsafeIreceivePointerWaits(world, iterations, UnsafeMutableBufferPointer(rebasing: slots[0...0]))
    case "ireceive-wait": try measuredIreceiveWaits(world, iterations)
    case "ireceive-wait-pointer": try measuredIreceivePointerWaits(world, iterations, UnsafeMutableBufferPointer(rebasing: slots[0...0]))
    case "request-set": try measuredRequestSets(world, iterations, slots, sending: [1.0])
    case "request-set-pointers":
        try measuredRequestSets(world, iterations, slots, sending: UnsafeBufferPointer(start: one, count: 1))
    case "persistent-set": try measuredPersistentSets(world, iterations, slots, UnsafeBufferPointer(start: one, count: 1))
    case "neighbor-alltoall":
        let grid = try world.cartesianGrid(dimensions: [1, 1], periodic: [true, true])
        try measuredNeighborAllToAlls(grid.communicator, iterations)
    case "put-flush", "get-flush", "put-window", "get-window":
        let operations = mode.hasSuffix("window") ? requestSetHalf : 1
        let window = try world.allocateWindow(of: UInt8.self, count: 8 * requestSetHalf)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 * requestSetHalf, alignment: 8)
        memory.initializeMemory(as: UInt8.self, repeating: 1)
        defer { memory.deallocate() }
        try window.withLock(0, .shared) {
            try measuredOneSided(window, iterations, memory, put: mode.hasPrefix("put"), operations: operations)
        }
        try window.free()
    default: try measuredRequestSetWaitAlls(world, iterations, slots)
    }
    _ = MPI_Waitall(CInt(sends + receives), &requests, cmpi_statuses_ignore())
}
