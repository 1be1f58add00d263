// The program of issue 2, verbatim: it must compile unchanged against the
// library and run correctly at 1 to 4 ranks.
import MPI

try MPI.run { world in
    let rank = world.rank, size = world.size
    let right = (rank + 1) % size, left = (rank + size - 1) % size

    // Blocking and typed: the element type is inferred, the incoming count is probed.
    try world.send([Double](repeating: Double(rank), count: 4), to: right, tag: 7)
    let fromLeft: [Double] = try world.receive(from: left, tag: 7)
    precondition(fromLeft == [Double](repeating: Double(left), count: 4))

    // Into the caller's buffer, with wildcards; the status tells who sent what.
    var buffer = [Int32](repeating: 0, count: 8)
    try world.send([Int32(rank)], to: right, tag: 1)
    let status = try world.receive(into: &buffer, from: MPI.anySource, tag: MPI.anyTag)
    precondition(status.source == left && status.tag == 1 && status.count == 1)
    precondition(buffer[0] == Int32(left))

    let swapped: [Int] = try world.sendReceive([rank], to: right, from: left)
    precondition(swapped == [left])

    // Nonblocking: a request owns its buffer until it completes, and completes once.
    let outgoing = try world.isend([UInt8](repeating: 42, count: 100_000), to: right, tag: 3)
    let incoming = try world.ireceive(UInt8.self, count: 100_000, from: left, tag: 3)
    let (bytes, _) = try incoming.wait()
    try outgoing.wait()
    precondition(bytes.count == 100_000 && bytes.allSatisfy { $0 == 42 })

    // Communicators the package creates are freed automatically.
    let halves = try world.split(color: rank % 2, key: -rank)
    precondition(halves.size == (size + 1 - rank % 2) / 2)

    // Bad input is a thrown error, never a crash or a hang.
    do {
        try world.send([1], to: size, tag: 0)
        preconditionFailure("a send to a rank outside the communicator must throw")
    } catch is MPIError {}
}
