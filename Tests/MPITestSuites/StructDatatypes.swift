import MPI
import MPIMacros

// Structs as MPI datatypes (@MPIDatatype): layouts with padding, narrow
// fields between wide ones, nested structs, SIMD vectors and inline arrays.

@MPIDatatype
struct Padded: Equatable {
    var flag: Bool          // 1 byte, then 7 of padding
    var value: Double
    var small: Int8         // between wider fields
    var count: Int32
    var doubled: Double { value * 2 }   // computed: not part of the datatype
}

@MPIDatatype
struct Nested: Equatable {
    var inner: Padded
    var position: SIMD3<Double>         // 24 bytes of data in a stride of 32
    var corners: InlineArray<4, Float>
    var label: UInt16
    static let unit = 1                 // static: not part of the datatype

    static func == (a: Nested, b: Nested) -> Bool {
        a.inner == b.inner && a.position == b.position && a.label == b.label
            && (0..<4).allSatisfy { a.corners[$0] == b.corners[$0] }
    }
}

@MPIDatatype
struct Dense: Equatable {
    var x, y: Double
}

/// A struct whose datatype is described by hand, leaving one property out.
struct Incomplete: MPIElement {
    var kept: Double
    var forgotten: Int32
    static var mpiDatatype: Datatype {
        .structure(of: Incomplete.self) { $0.add(\.kept, named: "kept") }
    }
}

private func padded(_ i: Int, rank: Int) -> Padded {
    Padded(flag: i % 2 == 0, value: Double(rank * 1000 + i) + 0.5, small: Int8(truncatingIfNeeded: i), count: Int32(i))
}

private func nested(_ i: Int, rank: Int) -> Nested {
    var corners = InlineArray<4, Float>(repeating: 0)
    for c in 0..<4 { corners[c] = Float(i * 4 + c) }
    return Nested(inner: padded(i, rank: rank), position: [Double(i), Double(rank), -1], corners: corners,
                  label: UInt16(truncatingIfNeeded: rank * 7 + i))
}

func structDatatypes(_ world: Communicator) throws {
    // The MPI type against MemoryLayout: extent the stride, size the fields' bytes.
    try checkLayout(Padded.self, dataBytes: 1 + 8 + 1 + 4)
    try checkLayout(SIMD3<Double>.self, dataBytes: 24)
    try checkLayout(InlineArray<4, Float>.self, dataBytes: 16)
    try checkLayout(Nested.self, dataBytes: 14 + 24 + 16 + 2)
    try checkLayout(Dense.self, dataBytes: 16)

    let rank = world.rank, size = world.size
    let right = (rank + 1) % size, left = (rank + size - 1) % size
    // Round trips around the ring: 0, 1 and 1 Mi elements, into new arrays.
    for count in [0, 1, 1 << 20] {
        let mine = (0..<count).map { padded($0, rank: rank) }
        let request = try world.isend(mine, to: right, tag: count % 1000)
        let (theirs, status): ([Padded], Status) = try world.receiveWithStatus(from: left, tag: count % 1000)
        try request.wait()
        try check(theirs.count == count && status.count(of: Padded.self) == count,
                  "\(count) padded structs came as \(theirs.count) (status \(String(describing: status.count(of: Padded.self))))")
        try check(theirs == (0..<count).map { padded($0, rank: left) }, "padded structs from rank \(left) differ")
    }
    let nestedMine = (0..<100).map { nested($0, rank: rank) }
    let nestedRequest = try world.isend(nestedMine, to: right, tag: 7)
    let nestedTheirs: [Nested] = try world.receive(from: left, tag: 7)
    try nestedRequest.wait()
    try check(nestedTheirs == (0..<100).map { nested($0, rank: left) }, "nested structs from rank \(left) differ")

    // A struct without padding is received into a buffer, as any element type.
    var dense = [Dense](repeating: Dense(x: 0, y: 0), count: 3)
    let denseRequest = try world.isend((0..<3).map { Dense(x: Double(rank), y: Double($0)) }, to: right, tag: 8)
    try world.receive(into: &dense, from: left, tag: 8)
    try denseRequest.wait()
    try check(dense == (0..<3).map { Dense(x: Double(left), y: Double($0)) }, "dense structs differ: \(dense)")

    // A struct with padding is received into buffers through its datatype, which places each element
    // at its stride: blocking, matched, send-receive, nonblocking into arrays and into memory of one's own.
    for count in [1, 100, 30_000] {   // 14 bytes of data each: below and beyond the eager limits
        let theirs = (0..<count).map { padded($0, rank: left) }
        let sent = try world.isend((0..<count).map { padded($0, rank: rank) }, to: right, tag: 9)
        var buffer = [Padded](repeating: padded(0, rank: -1), count: count + 2)
        let status = try world.receive(into: &buffer, from: left, tag: 9)
        try sent.wait()
        try check(status.count == count && Array(buffer[0..<count]) == theirs && buffer[count] == padded(0, rank: -1),
                  "receive(into:) of \(count) padded structs: count \(String(describing: status.count))")
        let request = try world.ireceive(into: [Padded](repeating: padded(0, rank: -1), count: count), from: left, tag: 10)
        let again = try world.isend((0..<count).map { padded($0, rank: rank) }, to: right, tag: 10)
        let (array, arrayStatus) = try request.wait()
        try again.wait()
        try check(array == theirs && arrayStatus.count == count, "ireceive(into:) of \(count) padded structs")
        let pending = try world.ireceive(Padded.self, count: count + 5, from: left, tag: 11)
        let third = try world.isend((0..<count).map { padded($0, rank: rank) }, to: right, tag: 11)
        let (trimmed, _) = try pending.wait()
        try third.wait()
        try check(trimmed == theirs, "ireceive(count:) of \(count) padded structs: \(trimmed.count)")
        let matched = try world.isend((0..<count).map { padded($0, rank: rank) }, to: right, tag: 12)
        var target = [Padded](repeating: padded(0, rank: -1), count: count)
        try world.matchedProbe(from: left, tag: 12).receive(into: &target)
        try matched.wait()
        try check(target == theirs, "a matched message of \(count) padded structs into a buffer")
        var exchanged = [Padded](repeating: padded(0, rank: -1), count: count)
        try world.sendReceive((0..<count).map { padded($0, rank: rank) }, to: right, sendTag: 13,
                              into: &exchanged, from: left, receiveTag: 13)
        try check(exchanged == theirs, "sendReceive into a buffer of \(count) padded structs")
    }
    // Too long for the buffer: a truncation error, nothing written past it (guard elements after the
    // buffer, in memory of one's own), from the neighbour and from this rank itself.
    for source in Set([left, rank]) {
        let destination = source == rank ? rank : right
        for count in [4, 200, 40_000] {
            let capacity = count / 2
            let memory = UnsafeMutableBufferPointer<Padded>.allocate(capacity: capacity + 64)
            defer { memory.deallocate() }
            memory.initialize(repeating: padded(7, rank: -7))
            let sent = try world.isend((0..<count).map { padded($0, rank: rank) }, to: destination, tag: 14)
            try expectError(.truncate) {
                try world.ireceive(into: UnsafeMutableBufferPointer(rebasing: memory[0..<capacity]), from: source, tag: 14).wait()
            }
            let sentBlocking = try world.isend((0..<count).map { padded($0, rank: rank) }, to: destination, tag: 15)
            var short = UnsafeMutableBufferPointer(rebasing: memory[0..<capacity])
            try expectError(.truncate) { try world.receive(into: &short, from: source, tag: 15) }
            try sent.wait()
            try sentBlocking.wait()
            try check(memory[capacity...].allSatisfy { $0 == padded(7, rank: -7) },
                      "a truncated receive of \(count) padded structs from rank \(source) wrote past the buffer")
        }
    }

    // A message of other bytes is a whole number of elements or an error; the channel keeps working.
    let odd = try world.isend([UInt8](repeating: 1, count: 15), to: right, tag: 10)
    try expectError(.truncate) { let _: [Padded] = try world.receive(from: left, tag: 10) }
    try odd.wait()

    // Collectives place them by extent.
    let gathered = try world.allGather((0..<3).map { nested($0, rank: rank) })
    try check(gathered == (0..<size).flatMap { r in (0..<3).map { nested($0, rank: r) } }, "allGather of nested structs")
    let root = size - 1
    let broadcast = try world.broadcast(padded(5, rank: rank), root: root)
    try check(broadcast == padded(5, rank: root), "broadcast of a padded struct")
    // A custom reduction in Swift: the element with the least value, per position.
    let least = try world.allReduce((0..<4).map { padded($0, rank: rank) }, .custom(commutative: true) {
        $0.value < $1.value ? $0 : $1
    })
    try check(least == (0..<4).map { padded($0, rank: 0) }, "custom reduction over padded structs: \(least)")

    // A description that leaves out a stored property is an error naming the type and the property.
    let incomplete = try expectError(.type) { try world.send([Incomplete(kept: 1, forgotten: 2)], to: right, tag: 11) }
    try check(incomplete.message.contains("Incomplete") && incomplete.message.contains("forgotten"), "\(incomplete.message)")
}

/// The MPI datatype of `T` has lower bound 0, extent `MemoryLayout<T>.stride`
/// and `dataBytes` bytes of data.
private func checkLayout<T: MPIElement>(_ type: T.Type, dataBytes: Int) throws {
    let datatype = T.mpiDatatype
    let size = try datatype.size()
    let (lowerBound, extent) = try datatype.extent()
    try check(size == dataBytes, "\(T.self): MPI_Type_size \(size), expected \(dataBytes)")
    try check(lowerBound == 0 && extent == MemoryLayout<T>.stride,
              "\(T.self): lower bound \(lowerBound) and extent \(extent), stride \(MemoryLayout<T>.stride)")
}
