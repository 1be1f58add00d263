import MPI
import MPIMacros

@MPIDatatype
struct Particle: Equatable {
    var position: SIMD3<Double>
    var charge: Float
    var id: Int32
    var alive: Bool
}

struct Task: Codable, Equatable, Sendable {
    var name: String
    var weights: [Double]
    var limits: [String: Int]
    var parent: Int?
}

try MPI.run { world in
    let rank = world.rank, size = world.size
    let right = (rank + 1) % size, left = (rank + size - 1) % size

    // Structs travel as MPI datatypes: no packing by hand.
    let mine = (0..<3).map { Particle(position: [Double($0), 0, 1], charge: -1, id: Int32(rank * 10 + $0), alive: $0 != 1) }
    let request = try world.isend(mine, to: right, tag: 1)
    let theirs: [Particle] = try world.receive(from: left, tag: 1)
    try request.wait()
    precondition(theirs.map(\.id) == (0..<3).map { Int32(left * 10 + $0) } && !theirs[1].alive)
    let everyone = try world.allGather(mine)
    precondition(everyone.count == 3 * size)
    let leastCharged = try world.allReduce(mine, .custom(commutative: true) { $0.charge < $1.charge ? $0 : $1 })
    precondition(leastCharged.count == 3)

    // Any Codable value is an object message, sized by the message itself.
    let task = Task(name: "rank \(rank)", weights: Array(repeating: 0.5, count: rank * 1000),
                    limits: ["steps": 10 * rank], parent: rank == 0 ? nil : rank - 1)
    // (Sends around the ring are nonblocking: a blocking send to oneself may wait forever in MPI.)
    let sent = try world.isend(object: task, to: right, tag: 2)
    let fromLeft: Task = try world.receiveObject(from: left, tag: 2)
    try sent.wait()
    precondition(fromLeft.name == "rank \(left)" && fromLeft.weights.count == left * 1000)

    let config: [String: String] = try world.broadcast(object: rank == 0 ? ["mode": "fast"] : nil, root: 0)
    precondition(config == ["mode": "fast"])
    let names: [String] = try world.allGather(object: "r\(rank)")
    precondition(names == (0..<size).map { "r\($0)" })
    let part: Task = try world.scatter(objects: rank == 0 ? (0..<size).map { Task(name: "part \($0)", weights: [], limits: [:], parent: nil) } : nil, root: 0)
    precondition(part.name == "part \(rank)")
    let all: [Task]? = try world.gather(object: task, root: 0)
    precondition((rank == 0) == (all != nil))

    // Nonblocking object receives work for any size.
    let pending = try world.ireceiveObject(Task.self, from: left, tag: 3)
    let bigSend = try world.isend(object: Task(name: "big", weights: Array(repeating: 1, count: 1 << 20), limits: [:], parent: nil), to: right, tag: 3)
    let big = try pending.wait()
    try bigSend.wait()
    precondition(big.weights.count == 1 << 20)

    // A message that is not the expected object is a thrown error, and the channel still works.
    let garbage = try world.isend([UInt8](repeating: 0xFF, count: 7), to: right, tag: 4)
    do {
        let _: Task = try world.receiveObject(from: left, tag: 4)
        preconditionFailure("garbage must not decode")
    } catch is DecodingError {} catch is MPIError {}
    try garbage.wait()
    let fine = try world.isend(object: "still fine", to: right, tag: 5)
    let received: String = try world.receiveObject(from: left, tag: 5)
    try fine.wait()
    precondition(received == "still fine")
}
