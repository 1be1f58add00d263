import MPI
import AllocationCounter

/// Persistent sends and receives (MPI_Send_init, MPI_Ssend_init,
/// MPI_Recv_init, MPI_Start, MPI_Startall): ring exchanges started many
/// times with data changed between starts, a set, test, cancel, truncation
/// with guard bytes intact, and bad input. Over world, a duplicate and a split.
func persistentRequests(_ world: Communicator) throws {
    let duplicate = try world.duplicate()
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    for (name, communicator) in [("world", world), ("duplicate", duplicate), ("split", split)] {
        try persistentRing(communicator, name: name, iterations: name == "world" ? 1_000 : 200, synchronous: false)
        try persistentRing(communicator, name: name, iterations: 50, synchronous: true)
        try persistentHaloSet(communicator, name: name, steps: 100)
        try persistentSetEdges(communicator, name: name)
        try persistentTest(communicator, name: name)
        try persistentCancel(communicator, name: name)
        try persistentTruncation(communicator, name: name)
        try persistentBadInput(communicator, name: name)
    }
}

/// The value rank `rank` sends at `step`, element `index`.
private func ringValue(_ rank: Int, _ step: Int, _ index: Int) -> Double {
    Double(rank * 1_000_003 + step * 31 + index)
}

/// Sends to the right neighbour and receives from the left `iterations` times.
private func persistentRing(_ comm: Communicator, name: String, iterations: Int, synchronous: Bool) throws {
    let count = 64
    let send = synchronous
        ? try comm.persistentSynchronousSend([Double](repeating: 0, count: count), to: comm.right, tag: 7)
        : try comm.persistentSend([Double](repeating: 0, count: count), to: comm.right, tag: 7)
    let receive = try comm.persistentReceive(into: [Double](repeating: -1, count: count), from: comm.left, tag: 7)
    try check(!send.isActive && !receive.isActive, "\(name): a new persistent request is active")
    for step in 0..<iterations {
        try send.withMutableBuffer { buffer in
            for index in buffer.indices { buffer[index] = ringValue(comm.rank, step, index) }
        }
        try receive.start()
        try send.start()
        try check(receive.isActive && send.isActive, "\(name): started requests are not active")
        let status = try receive.wait()
        try send.wait()
        try check(status.source == comm.left && status.tag == 7 && status.count == count,
                  "\(name): step \(step): status \(status)")
        try receive.withBuffer { buffer in
            for index in buffer.indices where buffer[index] != ringValue(comm.left, step, index) {
                throw CheckFailure(description: "\(name): step \(step): element \(index) is \(buffer[index]), "
                                   + "expected \(ringValue(comm.left, step, index)) (synchronous: \(synchronous))")
            }
        }
    }
    try check(try receive.buffer.count == count, "\(name): buffer copy has the wrong count")
}

/// What a set keeps per request besides the common step: a request that joins
/// while active, receives finished in full (a 1-byte buffer goes through scratch
/// memory, a message shorter than the buffer leaves its tail), and a set dropped
/// while active (its requests are completed and freed).
private func persistentSetEdges(_ comm: Communicator, name: String) throws {
    var set = PersistentRequestSet<UInt8>()
    let early = try comm.persistentReceive(into: [UInt8](repeating: 0, count: 8), from: comm.left, tag: 21)
    try early.start()
    let earlyIndex = set.append(early)
    try check(set.isActive, "\(name): a set holding an active request is not active")
    try expectError(.request, argument: "requests[\(earlyIndex)]") { try set.startAll() }
    let one = set.append(try comm.persistentReceive(into: [UInt8](repeating: 0, count: 1), from: comm.left, tag: 22))
    let short = set.append(try comm.persistentReceive(into: [UInt8](repeating: 9, count: 6), from: comm.left, tag: 23))
    let earlySend = try comm.persistentSend([UInt8](1...8), to: comm.right, tag: 21)
    try earlySend.start()
    try earlySend.wait()
    try set.waitAll()   // completes the early receive; the others were never started
    try check(!set.isActive, "\(name): set still active after waitAll")
    try check(try set.withBuffer(at: earlyIndex) { Array($0) } == Array(1...8), "\(name): early receive data")
    let oneSend = try comm.persistentSend([UInt8(comm.right % 200 + 1)], to: comm.right, tag: 22)
    let shortSend = try comm.persistentSend([UInt8](10...13), to: comm.right, tag: 23)
    for step in 0..<3 {
        try set.startAll()
        try earlySend.start()
        try oneSend.start()
        try shortSend.start()
        try set.waitAll()
        try earlySend.wait()
        try oneSend.wait()
        try shortSend.wait()
        let oneValue = try set.withBuffer(at: one) { $0[0] }
        let shortValues = try set.withBuffer(at: short) { Array($0) }
        let shortStatus = try set.status(at: short), oneStatus = try set.status(at: one)
        try check(oneValue == UInt8(comm.rank % 200 + 1) && shortValues == [10, 11, 12, 13, 9, 9]
                  && shortStatus.count == 4 && oneStatus.source == comm.left,
                  "\(name): set edge step \(step): one \(oneValue), short \(shortValues), status \(shortStatus)")
    }
    // Dropped while active: its receive is cancelled and freed, and nothing hangs.
    var dropped = PersistentRequestSet<UInt8>()
    dropped.append(try comm.persistentReceive(into: [UInt8](repeating: 0, count: 4), from: comm.rank, tag: 24))
    try dropped.startAll()
    _ = consume dropped
    try comm.barrier()
}

/// A halo exchange: 2 sends and 2 receives (left and right; 4 when the ring
/// has room), packed and unpacked between steps.
private func persistentHaloSet(_ comm: Communicator, name: String, steps: Int) throws {
    let count = 32
    var set = PersistentRequestSet<Double>()
    let zeros = [Double](repeating: 0, count: count)
    let sendRight = set.append(try comm.persistentSend(zeros, to: comm.right, tag: 1))
    let sendLeft = set.append(try comm.persistentSend(zeros, to: comm.left, tag: 2))
    let fromLeft = set.append(try comm.persistentReceive(into: zeros, from: comm.left, tag: 1))
    let fromRight = set.append(try comm.persistentReceive(into: zeros, from: comm.right, tag: 2))
    try check(set.count == 4, "\(name): set count \(set.count)")
    for step in 0..<steps {
        try set.withMutableBuffer(at: sendRight) { buffer in
            for index in buffer.indices { buffer[index] = ringValue(comm.rank, step, index) }
        }
        try set.withMutableBuffer(at: sendLeft) { buffer in
            for index in buffer.indices { buffer[index] = -ringValue(comm.rank, step, index) }
        }
        try set.startAll()
        try check(set.isActive, "\(name): started set is not active")
        if step % 2 == 0 {
            try set.waitAll()
        } else {
            while try !set.testAll() {}
        }
        try check(!set.isActive, "\(name): completed set is still active")
        let fromLeftOK = try set.withBuffer(at: fromLeft) { buffer in
            buffer.indices.allSatisfy { buffer[$0] == ringValue(comm.left, step, $0) }
        }
        let fromRightOK = try set.withBuffer(at: fromRight) { buffer in
            buffer.indices.allSatisfy { buffer[$0] == -ringValue(comm.right, step, $0) }
        }
        try check(fromLeftOK && fromRightOK, "\(name): halo step \(step): wrong data (left \(fromLeftOK), right \(fromRightOK))")
        let status = try set.status(at: fromRight)
        try check(status.source == comm.right && status.tag == 2 && status.count == count,
                  "\(name): halo status \(status)")
    }
    // A start while active names the request; so does buffer access.
    try set.startAll()
    try expectError(.request, argument: "requests[0]") { try set.startAll() }
    try expectError(.request, argument: "requests[2]") { try set.withBuffer(at: 2) { _ in } }
    try expectError(.request, argument: "requests[1]") { try set.withMutableBuffer(at: 1) { _ in } }
    try set.waitAll()
    try expectError(.argument, argument: "index") { try set.withBuffer(at: 4) { _ in } }
}

/// test() returns nil until the operation completes, then its status.
private func persistentTest(_ comm: Communicator, name: String) throws {
    let send = try comm.persistentSend([Int32](repeating: Int32(comm.rank), count: 5), to: comm.right, tag: 3)
    let receive = try comm.persistentReceive(into: [Int32](repeating: -1, count: 8), tag: 3)
    for round in 0..<5 {
        try receive.start()
        try send.start()
        var status: Status?
        while status == nil { status = try receive.test() }
        while try send.test() == nil {}
        try check(!receive.isActive && status?.count == 5 && status?.source == comm.left,
                  "\(name): test round \(round): status \(String(describing: status))")
        try check(try receive.buffer == [Int32](repeating: Int32(comm.left), count: 5) + [-1, -1, -1],
                  "\(name): test round \(round): buffer \((try? receive.buffer) ?? [])")
    }
}

/// A receive nobody matches is cancelled, and can be started again.
private func persistentCancel(_ comm: Communicator, name: String) throws {
    let receive = try comm.persistentReceive(into: [Int](repeating: 0, count: 4), from: comm.rank, tag: 999)
    for round in 0..<3 {
        try receive.start()
        try receive.cancel()
        let status = try receive.wait()
        try check(status.isCancelled, "\(name): cancel round \(round): not cancelled: \(status)")
    }
    // Dropped while active: the deinit cancels and frees it.
    let dropped = try comm.persistentReceive(into: [Int](repeating: 0, count: 4), from: comm.rank, tag: 998)
    try dropped.start()
    _ = consume dropped
}

/// A message longer than the buffer throws .truncate at wait, with nothing
/// written past the buffer; the request then receives a fitting message.
private func persistentTruncation(_ comm: Communicator, name: String) throws {
    let guardBytes = 64 * 1024
    let guardValue: UInt8 = 0xAB
    for capacity in [0, 1, 2, 50, 2_500, 50_000] {
        let messageBytes = max(2 * capacity, 3)
        let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity + guardBytes)
        defer { memory.deallocate() }
        memory.initialize(repeating: guardValue)
        let target = UnsafeMutableBufferPointer(rebasing: memory[..<capacity])
        let receive = try comm.unsafePersistentReceive(into: target, from: comm.left, tag: 5)
        let long = try comm.persistentSend([UInt8](repeating: 0x11, count: messageBytes), to: comm.right, tag: 5)
        try receive.start()
        try long.start()
        let error = try expectError(.truncate) { try receive.wait() }
        try long.wait()
        try check(!receive.isActive && !error.message.isEmpty, "\(name): truncation left the request active")
        let overwritten = memory[capacity...].firstIndex { $0 != guardValue }
        try check(overwritten == nil, "\(name): persistent receive of \(messageBytes) bytes into \(capacity) "
                  + "wrote past the buffer, at byte \(overwritten.map { $0 - capacity } ?? 0) after it")
        // The same request then takes a message that fits, in order.
        let fitting = (0..<capacity).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ comm.left) }
        let exact = try comm.persistentSend((0..<capacity).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ comm.rank) },
                                            to: comm.right, tag: 5)
        try receive.start()
        try exact.start()
        let status = try receive.wait()
        try exact.wait()
        try check(status.count == capacity && Array(target) == fitting,
                  "\(name): after truncation, a fitting message of \(capacity) bytes arrived wrong")
        try check(memory[capacity...].allSatisfy { $0 == guardValue }, "\(name): guard bytes changed")
    }
    // The owned form: truncation is thrown the same way.
    let owned = try comm.persistentReceive(into: [Int64](repeating: 0, count: 3), from: comm.left, tag: 6)
    let send = try comm.persistentSend([Int64](repeating: 9, count: 10), to: comm.right, tag: 6)
    try owned.start()
    try send.start()
    try expectError(.truncate) { try owned.wait() }
    try send.wait()

    // In a set: waitAll names the truncated request, and the same set then
    // runs a fitting step (Open MPI frees a request that failed; it is made again).
    for messageCount in [10, 1_000] {
        var set = PersistentRequestSet<Int64>()
        set.append(try comm.persistentReceive(into: [Int64](repeating: 0, count: 4), from: comm.left, tag: 8))
        set.append(try comm.persistentReceive(into: [Int64](repeating: 0, count: 4), from: comm.left, tag: 9))
        let fits = try comm.persistentSend([Int64](repeating: 1, count: 4), to: comm.right, tag: 8)
        let tooLong = try comm.persistentSend([Int64](repeating: 2, count: messageCount), to: comm.right, tag: 9)
        let fitsToo = try comm.persistentSend([Int64](repeating: 3, count: 4), to: comm.right, tag: 9)
        try set.startAll()
        try fits.start()
        try tooLong.start()
        try expectError(.truncate, argument: "requests[1]") { try set.waitAll() }
        try fits.wait()
        try tooLong.wait()
        try check(!set.isActive, "\(name): a set that failed is still active")
        try check(try set.withBuffer(at: 0) { Array($0) } == [1, 1, 1, 1], "\(name): set receive 0 wrong")
        try fits.withMutableBuffer { $0.update(repeating: 5) }
        try set.startAll()
        try fits.start()
        try fitsToo.start()
        try set.waitAll()
        try fits.wait()
        try fitsToo.wait()
        try check(try set.withBuffer(at: 0) { Array($0) } == [5, 5, 5, 5]
                  && set.withBuffer(at: 1) { Array($0) } == [3, 3, 3, 3],
                  "\(name): the set's step after a truncation got the wrong data")
    }
}

/// Bad input throws before MPI sees it, naming the argument.
private func persistentBadInput(_ comm: Communicator, name: String) throws {
    let data = [Double](repeating: 1, count: 4)
    try expectError(.rank, argument: "destination") { _ = try comm.persistentSend(data, to: comm.size) }
    try expectError(.rank, argument: "destination") { _ = try comm.persistentSynchronousSend(data, to: -1) }
    try expectError(.rank, argument: "source") { _ = try comm.persistentReceive(into: data, from: comm.size + 3) }
    try expectError(.tag, argument: "tag") { _ = try comm.persistentSend(data, to: 0, tag: -5) }
    try expectError(.tag, argument: "tag") { _ = try comm.persistentReceive(into: data, from: 0, tag: -2) }
    let receive = try comm.persistentReceive(into: data, from: comm.rank, tag: 997)
    try receive.start()
    try expectError(.request, argument: "request") { try receive.start() }
    try expectError(.request, argument: "buffer") { try receive.withBuffer { _ in } }
    try expectError(.request, argument: "buffer") { try receive.withMutableBuffer { _ in } }
    try expectError(.request, argument: "buffer") { _ = try receive.buffer }
    try receive.cancel()
    try check(try receive.wait().isCancelled, "\(name): cancelled receive not cancelled")
    // Sending to MPI.processNull completes at once, and receiving from it gives an empty status.
    let null = try comm.persistentSend(data, to: MPI.processNull)
    let nullReceive = try comm.persistentReceive(into: data, from: MPI.processNull)
    try null.start()
    try nullReceive.start()
    try null.wait()
    let status = try nullReceive.wait()
    try check(status.source == MPI.processNull && status.count == 0, "\(name): receive from null: \(status)")
}

/// 1,000 start/wait cycles of a persistent send and receive pair, and of a
/// set, allocate nothing (ranks 0 and 1).
func persistentAllocations(_ world: Communicator) throws {
    try check(allocation_counter_is_active() != 0,
              "allocations are not counted in sanitizer builds (the sanitizer's malloc stays in place)")
    guard world.size >= 2, world.rank < 2 else { return }
    let peer = 1 - world.rank
    let send = try world.persistentSend([Double](repeating: 1, count: 128), to: peer, tag: 1)
    let receive = try world.persistentReceive(into: [Double](repeating: 0, count: 128), from: peer, tag: 1)
    func pairs(_ iterations: Int) throws -> UInt64 {
        let before = swift_allocation_count()
        for step in 0..<iterations {
            try send.withMutableBuffer { $0[0] = Double(step) }
            try receive.start()
            try send.start()
            try receive.wait()
            try send.wait()
            try receive.withBuffer { if $0[0] != Double(step) { fatalError("persistent allocations: wrong data") } }
        }
        return swift_allocation_count() - before
    }
    _ = try pairs(100)
    let pairAllocations = try pairs(1_000)

    var set = PersistentRequestSet<Double>()
    let zeros = [Double](repeating: 0, count: 128)
    let sendIndex = set.append(try world.persistentSend(zeros, to: peer, tag: 2))
    set.append(try world.persistentSend(zeros, to: peer, tag: 3))
    let receiveIndex = set.append(try world.persistentReceive(into: zeros, from: peer, tag: 2))
    set.append(try world.persistentReceive(into: zeros, from: peer, tag: 3))
    func steps(_ iterations: Int) throws -> UInt64 {
        let before = swift_allocation_count()
        for step in 0..<iterations {
            try set.withMutableBuffer(at: sendIndex) { $0[0] = Double(step) }
            try set.startAll()
            try set.waitAll()
            try set.withBuffer(at: receiveIndex) { if $0[0] != Double(step) { fatalError("persistent allocations: wrong data") } }
        }
        return swift_allocation_count() - before
    }
    _ = try steps(100)
    let setAllocations = try steps(1_000)
    print("persistent allocations: rank \(world.rank): Swift \(pairAllocations) in 1000 send/receive starts, "
          + "\(setAllocations) in 1000 set steps")
    try check(pairAllocations == 0 && setAllocations == 0,
              "Swift allocations: \(pairAllocations) in 1000 persistent send/receive cycles, "
              + "\(setAllocations) in 1000 startAll/waitAll steps")
}
