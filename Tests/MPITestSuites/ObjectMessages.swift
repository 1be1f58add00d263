import MPI

// Object messages (Codable values) over several communicators: point-to-point
// blocking and nonblocking, every collective from every root, errors that
// name the sender, limits, and typed messages mixed in on the same tags.

struct Record: Codable, Equatable, Sendable {
    var name: String
    var weights: [Double]
    var limits: [String: Int]
    var parent: Int?
    var shape: Shape
    var tags: Set<String>
    var grid: [[Int8]]

    enum Shape: Codable, Equatable, Sendable {
        case circle(radius: Double)
        case polygon(sides: Int, label: String?)
        case none
    }

    /// A record that depends on `rank` and `salt`, `weights` doubles long.
    static func make(rank: Int, salt: Int, weights: Int = 3) -> Record {
        Record(name: "rank \(rank) salt \(salt) ✓", weights: (0..<weights).map { Double(rank * 1000 + salt) + Double($0) / 4 },
               limits: ["steps": rank * 10 + salt, "rank": rank], parent: rank == 0 ? nil : rank - 1,
               shape: salt % 3 == 0 ? .circle(radius: Double(salt)) : salt % 3 == 1 ? .polygon(sides: rank + 3, label: nil) : .none,
               tags: Set((0...rank).map { "t\($0)" }), grid: [[Int8(truncatingIfNeeded: rank)], [], [-1, 1]])
    }
}

/// The same keys as Record's first two, another type: decoding one as the other must fail.
struct Unrelated: Codable { var name: Int; var weights: String }

func objectMessages(_ world: Communicator) throws {
    var all = try communicators(of: world)
    all.append(try world.split(color: world.rank % 2, key: -world.rank))
    for comm in all {
        try objectPointToPoint(comm)
        try objectCollectives(comm)
    }
    try objectErrors(world)
    try objectLimits(world)
}

private func objectPointToPoint(_ comm: Communicator) throws {
    let rank = comm.rank, size = comm.size, right = comm.right, left = comm.left
    // Around the ring: values of several shapes and sizes (the 40,000 doubles go beyond eager limits).
    for (salt, weights) in [(0, 0), (1, 3), (2, 40_000)] {
        let sent = try comm.isend(object: Record.make(rank: rank, salt: salt, weights: weights), to: right, tag: 30 + salt)
        let (received, status) = try comm.receiveObjectWithStatus(Record.self, from: left, tag: 30 + salt)
        try sent.wait()
        try check(received == Record.make(rank: left, salt: salt, weights: weights), "record \(salt) from rank \(left) differs")
        try check(status.source == left && status.tag == 30 + salt && status.byteCount == (try ObjectEncoder().encode(received)).count,
                  "status \(status)")
    }
    // Leaves and empty values.
    let sentOptional = try comm.isend(object: [rank == 0 ? nil : rank, nil], to: right, tag: 40)
    let receivedOptional: [Int?] = try comm.receiveObject(from: left, tag: 40)
    try sentOptional.wait()
    try check(receivedOptional == [left == 0 ? nil : left, nil], "[Int?] came as \(receivedOptional)")
    let sentMap = try comm.isend(object: [rank: "r\(rank)", -1: ""], to: right, tag: 41)
    let map: [Int: String] = try comm.receiveObject(from: left, tag: 41)
    try sentMap.wait()
    try check(map == [left: "r\(left)", -1: ""], "[Int: String] came as \(map)")

    // Nonblocking receives posted before the message, of a large object (8 MiB).
    var pending = try comm.ireceiveObject([Double].self, from: left, tag: 42)
    try comm.barrier()
    let large = (0..<(1 << 20)).map { Double($0 + rank) }
    let sentLarge = try comm.isend(object: large, to: right, tag: 42)
    while try !pending.test() {}
    let receivedLarge = try pending.wait()
    try sentLarge.wait()
    try check(receivedLarge.count == 1 << 20 && receivedLarge.first == Double(left) && receivedLarge.last == Double((1 << 20) - 1 + left),
              "large array from rank \(left) differs")

    // Encoded once, sent to every rank; received from any source.
    var sends = try comm.isend(object: Record.make(rank: rank, salt: 5), to: Array(0..<size), tag: 43)
    var seen = Set<Int>()
    for _ in 0..<size {
        let (record, status) = try comm.receiveObjectWithStatus(Record.self, from: MPI.anySource, tag: 43)
        try check(record == Record.make(rank: status.source, salt: 5), "record from rank \(status.source) differs")
        seen.insert(status.source)
    }
    try sends.waitForAll()
    try check(seen == Set(0..<size), "records came from \(seen.sorted())")

    // Synchronous mode pairs with the matched probe of the receive (mpi4py PR #128 deadlocked here).
    if size >= 2 {
        if rank == 0 { try comm.synchronousSend(object: "ssend", to: 1, tag: 44) }
        if rank == 1 { try check(try comm.receiveObject(String.self, from: 0, tag: 44) == "ssend", "ssend object") }
    }
    // Typed and object messages on one tag, in order: each receive decides how it reads its message.
    let typed = try comm.isend([Int32(rank), 7], to: right, tag: 45)
    let object = try comm.isend(object: "after typed \(rank)", to: right, tag: 45)
    let typedReceived: [Int32] = try comm.receive(from: left, tag: 45)
    let objectReceived: String = try comm.receiveObject(from: left, tag: 45)
    try typed.wait()
    try object.wait()
    try check(typedReceived == [Int32(left), 7] && objectReceived == "after typed \(left)", "mixed typed and object messages")
}

private func objectCollectives(_ comm: Communicator) throws {
    let rank = comm.rank, size = comm.size
    for root in 0..<size {
        // Small (one block) and large (more blocks than the first) broadcasts.
        let small: [String: String] = try comm.broadcast(object: rank == root ? ["root": "\(root)"] : nil, root: root)
        try check(small == ["root": "\(root)"], "small broadcast from \(root): \(small)")
        let large: Record = try comm.broadcast(object: rank == root ? Record.make(rank: root, salt: 9, weights: 10_000) : nil, root: root)
        try check(large == Record.make(rank: root, salt: 9, weights: 10_000), "large broadcast from \(root) differs")

        // Large arrays, which receivers take straight into their own memory (Double, Float) or copy (Int16).
        let doubles: [Double] = try comm.broadcast(object: rank == root ? (0..<100_000).map { Double($0 * (root + 1)) } : nil, root: root)
        try check(doubles == (0..<100_000).map { Double($0 * (root + 1)) }, "broadcast of 100,000 doubles from \(root)")
        let floats: [[Float]] = try comm.broadcast(object: rank == root ? [[1], (0..<50_000).map { Float($0) }, []] : nil, root: root)
        try check(floats == [[1], (0..<50_000).map { Float($0) }, []], "broadcast of nested float arrays from \(root)")
        // Sent as [Int], decoded as [Int64] elsewhere (one element code): copied out of the array received in place.
        if rank == root {
            let sent: [Int] = try comm.broadcast(object: (0..<20_000).map { $0 - root }, root: root)
            try check(sent.count == 20_000, "the root's own [Int]")
        } else {
            let wide: [Int64] = try comm.broadcast(object: nil, root: root)
            try check(wide == (0..<20_000).map { Int64($0 - root) }, "broadcast of [Int] decoded as [Int64] from \(root)")
        }
        let shorts: [Int16] = try comm.broadcast(object: rank == root ? (0..<40_000).map { Int16(truncatingIfNeeded: $0) } : nil, root: root)
        try check(shorts == (0..<40_000).map { Int16(truncatingIfNeeded: $0) }, "broadcast of 40,000 Int16 from \(root)")

        let gathered = try comm.gather(object: Record.make(rank: rank, salt: root), root: root)
        try check((gathered != nil) == (rank == root), "gather at \(root): result on rank \(rank)")
        if let gathered {
            try check(gathered == (0..<size).map { Record.make(rank: $0, salt: root) }, "gather at \(root) differs")
        }
        let parts = rank == root ? (0..<size).map { Record.make(rank: $0, salt: root + 1, weights: $0 * 100) } : nil
        let part: Record = try comm.scatter(objects: parts, root: root)
        try check(part == Record.make(rank: rank, salt: root + 1, weights: rank * 100), "scatter from \(root) differs")
    }
    let names = try comm.allGather(object: "r\(rank)")
    try check(names == (0..<size).map { "r\($0)" }, "allGather: \(names)")
    let outgoing = (0..<size).map { "\(rank)->\($0)" + String(repeating: "x", count: $0 * 100) }
    let incoming = try comm.allToAll(objects: outgoing)
    try check(incoming == (0..<size).map { "\($0)->\(rank)" + String(repeating: "x", count: rank * 100) }, "allToAll: \(incoming.map(\.count))")

    // Bad input at one rank makes every rank throw, and the communicator goes on working.
    let root = size - 1
    let error = try expectError(rank == root ? .argument : .other) {
        let _: Int = try comm.broadcast(object: nil, root: root)
    }
    try check(error.message.contains(rank == root ? "object" : "rank \(root)"), "broadcast of nil: \(error)")
    try expectError(rank == root ? .count : .other) {
        let _: Int = try comm.scatter(objects: rank == root ? [1] + Array(repeating: 0, count: size) : nil, root: root)
    }
    try expectError(rank == root ? .count : .other) {
        _ = try comm.allToAll(objects: Array(repeating: 1, count: rank == root ? size + 1 : size))
    }
    let after: Int = try comm.broadcast(object: rank == 0 ? 42 : nil, root: 0)
    try check(after == 42, "broadcast after errors: \(after)")
}

/// Errors: messages that are not the expected object throw DecodingError naming the sender and tag, and are consumed.
private func objectErrors(_ world: Communicator) throws {
    let rank = world.rank, right = world.right, left = world.left
    func expectDecodingError(_ tag: Int, _ body: () throws -> Void) throws {
        do {
            try body()
            throw CheckFailure(description: "tag \(tag): expected a DecodingError, nothing was thrown")
        } catch let error as DecodingError {
            try check("\(error)".contains("from rank \(left) with tag \(tag)"), "the error names the sender and tag: \(error)")
        }
    }
    let garbage = try world.isend([UInt8](repeating: 0xFF, count: 7), to: right, tag: 50)
    try expectDecodingError(50) { _ = try world.receiveObject(Record.self, from: left, tag: 50) }
    try garbage.wait()
    let empty = try world.isend([UInt8](), to: right, tag: 51)
    try expectDecodingError(51) { _ = try world.receiveObject(Int.self, from: left, tag: 51) }
    try empty.wait()
    let wrongType = try world.isend(object: Record.make(rank: rank, salt: 0), to: right, tag: 52)
    try expectDecodingError(52) { _ = try world.receiveObject(Unrelated.self, from: left, tag: 52) }
    try wrongType.wait()
    var truncated = try ObjectEncoder().encode(Record.make(rank: rank, salt: 1))
    truncated.removeLast()
    let cut = try world.isend(truncated, to: right, tag: 53)
    try expectDecodingError(53) { _ = try world.ireceiveObject(Record.self, from: left, tag: 53).wait() }
    try cut.wait()
    // The channel still works, and typed data travels as before.
    let fine = try world.isend(object: Record.make(rank: rank, salt: 2), to: right, tag: 54)
    try check(try world.receiveObject(Record.self, from: left, tag: 54) == Record.make(rank: left, salt: 2), "after errors")
    try fine.wait()
    try expectError(.rank, argument: "source") { _ = try world.receiveObject(Int.self, from: MPI.processNull, tag: 0) }
    try expectError(.tag, argument: "tag") { try world.send(object: 1, to: right, tag: -5) }
}

/// MPI.receiveSizeLimit: an object beyond it is discarded and refused, point to point and in collectives.
private func objectLimits(_ world: Communicator) throws {
    guard world.size >= 2 else { return }
    let rank = world.rank
    let big = Record.make(rank: 0, salt: 3, weights: 10_000)   // about 80 kB encoded
    if rank == 1 { try MPI.setReceiveSizeLimit(10_000) }
    defer { try? MPI.setReceiveSizeLimit(MPI.defaultReceiveSizeLimit) }
    if rank == 0 {
        try world.send(object: big, to: 1, tag: 60)
        try world.send(object: "small", to: 1, tag: 61)
    } else if rank == 1 {
        try expectError(.noMemory, argument: "MPI.receiveSizeLimit") { _ = try world.receiveObject(Record.self, from: 0, tag: 60) }
        try check(try world.receiveObject(String.self, from: 0, tag: 61) == "small", "the message after a refused one")
    }
    // A broadcast: rank 1 refuses and throws, the others receive.
    do {
        let received: Record = try world.broadcast(object: rank == 0 ? big : nil, root: 0)
        try check(rank != 1 && received == big, "broadcast past rank 1's limit")
    } catch let error as MPIError {
        try check(rank == 1 && error.errorClass == .noMemory, "broadcast refused on rank \(rank): \(error)")
    }
    // A gather whose total exceeds the root's limit: every rank throws, naming the root.
    let error = try expectError(.noMemory, argument: "MPI.receiveSizeLimit") {
        _ = try world.gather(object: big, root: 1)
    }
    try check(error.message.contains(rank == 1 ? "this rank" : "rank 1"), "gather refused: \(error)")
    try check(try world.allGather(object: rank) == Array(0..<world.size), "allGather after refusals")
}
