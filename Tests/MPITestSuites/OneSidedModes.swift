import MPI
import AllocationCounter

// One-sided communication (issue 16): the same ring exchange under every
// synchronization mode against its reference, request-based operations,
// local flushes, shared and dynamic windows, struct elements, random
// concurrent accumulates summing exactly, and the new checks.

func oneSidedModes(_ world: Communicator) throws {
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    for (name, comm) in [("world", world), ("split", split)] {
        for mode in RingMode.allCases { try ring(comm, name: name, mode: mode) }
        try requestBased(comm, name: name)
        try borrowedWindow(comm, name: name)
        try sharedWindow(comm, name: name)
        try dynamicWindow(comm, name: name)
        try structWindow(comm, name: name)
        try randomAccumulates(comm, name: name)
        try modesBadInput(comm, name: name)
    }
}

/// How a ring step synchronizes.
enum RingMode: CaseIterable {
    case fence, generalActiveTarget, generalActiveTargetPolled, lock, lockAll, flushLocal
}

/// A window over borrowed memory: puts land in the caller's own buffer, no copy.
private func borrowedWindow(_ comm: Communicator, name: String) throws {
    let memory = UnsafeMutableBufferPointer<Int16>.allocate(capacity: 3)
    defer { memory.deallocate() }
    _ = memory.initialize(repeating: -1)
    let window = try comm.window(borrowing: memory)
    try window.fenced { try window.put([Int16(comm.left), 5], to: comm.right, at: 1) }
    try window.free()   // before the memory goes
    try check(Array(memory) == [-1, Int16((comm.left - 1 + comm.size) % comm.size), 5],
              "\(name): borrowed window's memory holds \(Array(memory))")
}

/// Each rank puts a block into its right neighbour's window and gets its
/// left neighbour's constant block, three epochs in a row.
private func ring(_ comm: Communicator, name: String, mode: RingMode) throws {
    let count = 8
    let window = try comm.allocateWindow(of: Int32.self, count: 2 * count)
    window.withLocalElements { local in
        for index in 0..<count { local[count + index] = Int32(comm.rank * 100 + index) }
    }
    try comm.barrier()
    // Both neighbours, once each (one rank at 1 and 2 ranks).
    let neighbours = Array(Set([comm.left, comm.right])).sorted()
    for epoch in 0..<3 {
        let block = (0..<count).map { Int32(comm.rank * 1_000 + epoch * 10 + $0) }
        var fromLeft = [Int32](repeating: -1, count: count)
        try fromLeft.withUnsafeMutableBufferPointer { got in
            switch mode {
            case .fence:
                try window.fenced {
                    try window.put(block, to: comm.right, at: 0)
                    try window.get(into: got, from: comm.left, at: count)
                }
            case .generalActiveTarget:
                // Exposed to the left neighbour (who puts here), accessing the right one.
                try window.exposing(to: neighbours) {
                    try window.accessing(neighbours) {
                        try window.put(block, to: comm.right, at: 0)
                        try window.get(into: got, from: comm.left, at: count)
                    }
                }
            case .generalActiveTargetPolled:
                var exposure = try window.expose(to: neighbours)
                try window.accessing(neighbours) {
                    try window.put(block, to: comm.right, at: 0)
                    try window.get(into: got, from: comm.left, at: count)
                }
                var polls = 0
                while try !exposure.test() { polls += 1 }
                try exposure.wait()   // already ended: returns at once
            case .lock:
                try window.withLock(comm.right) { try window.put(block, to: comm.right, at: 0) }
                try window.withLock(comm.left, .shared) { try window.get(into: got, from: comm.left, at: count) }
                try comm.barrier()   // every put has completed at its target
            case .lockAll:
                try window.withLockAll {
                    try window.put(block, to: comm.right, at: 0)
                    try window.get(into: got, from: comm.left, at: count)
                    try window.flush(rank: comm.right)
                }
                try comm.barrier()
            case .flushLocal:
                try window.withLock(comm.right, .shared) {
                    var scratch = block
                    try scratch.withUnsafeBufferPointer { try window.put($0, to: comm.right, at: 0) }
                    try window.flushLocal(rank: comm.right)
                    scratch[0] = -7   // reusable after the local flush
                }
                try window.withLock(comm.left, .shared) {
                    try window.get(into: got, from: comm.left, at: count)
                    try window.flushLocal()
                    try check(got[0] == Int32(comm.left * 100), "\(name): flushLocal: get not arrived: \(got[0])")
                }
                try comm.barrier()
            }
        }
        try check(fromLeft == (0..<count).map { Int32(comm.left * 100 + $0) },
                  "\(name) \(mode): epoch \(epoch): got \(fromLeft.prefix(3))")
        let arrived = window.withLocalElements { Array($0.prefix(count)) }
        try check(arrived == (0..<count).map { Int32(comm.left * 1_000 + epoch * 10 + $0) },
                  "\(name) \(mode): epoch \(epoch): put arrived as \(arrived.prefix(3))")
        try comm.barrier()   // the next epoch's puts overwrite what was just read
    }
    try window.free()
}

/// rput/rget/raccumulate/rgetAccumulate inside lock-all, checked after waits and flushes.
private func requestBased(_ comm: Communicator, name: String) throws {
    let window = try comm.allocateWindow(of: Int64.self, count: comm.size + 1)
    try window.withLockAll {
        for target in 0..<comm.size {
            try window.rput([Int64(comm.rank + 1)], to: target, at: comm.rank).wait()
            try window.raccumulate([Int64(comm.rank + 1)], to: target, at: comm.size, .sum).wait()
        }
        try window.flush()
    }
    try comm.barrier()
    let expectedSum = Int64(comm.size * (comm.size + 1) / 2)
    try window.withLockAll {
        for target in 0..<comm.size {
            let values = try window.rget(comm.size + 1, from: target, at: 0).wait()
            try check(values == (0..<comm.size).map { Int64($0 + 1) } + [expectedSum],
                      "\(name): rget from \(target): \(values)")
            let before = try window.rgetAccumulate([0], to: target, at: comm.size, .noOperation).wait()
            try check(before == [expectedSum], "\(name): rgetAccumulate read \(before)")
            var one: Int64 = 0
            try withUnsafeMutablePointer(to: &one) { pointer in
                try window.rget(into: UnsafeMutableBufferPointer(start: pointer, count: 1), from: target, at: 0).wait()
            }
            try check(one == 1, "\(name): rget(into:) read \(one)")
        }
    }
    try comm.barrier()
    try window.fenced {
        try expectError(.rmaSync, argument: "rank") { _ = try window.rput([1], to: 0, at: 0) }
    }
    try window.free()
}

/// Each rank writes its own part of a shared window; after sync and a
/// barrier every rank reads every part with loads.
private func sharedWindow(_ comm: Communicator, name: String) throws {
    let count = comm.rank + 1   // a different count per rank
    let window = try comm.allocateSharedWindow(of: Double.self, count: count)
    try window.withLockAll {
        try window.withSharedElements(of: comm.rank) { mine in
            for index in mine.indices { mine[index] = Double(comm.rank * 10 + index) }
        }
        try window.sync()
        try comm.barrier()
        try window.sync()
        for rank in 0..<comm.size {
            let theirs = try window.withSharedElements(of: rank) { Array($0) }
            try check(theirs == (0...rank).map { Double(rank * 10 + $0) }, "\(name): shared part of \(rank): \(theirs)")
        }
    }
    // The shared memory is a window too: a put reaches the loads.
    try window.fenced { try window.put([-1], to: comm.right, at: 0) }
    let first = try window.withSharedElements(of: comm.rank) { $0[0] }
    try check(first == -1, "\(name): put into a shared window: \(first)")
    try comm.barrier()
    try window.free()
    let plain = try comm.allocateWindow(of: Double.self, count: 1)
    try expectError(.rmaShared) { try plain.withSharedElements(of: 0) { _ in } }
    try plain.free()
}

/// Each rank attaches a region, sends it round, the others put and get through it.
private func dynamicWindow(_ comm: Communicator, name: String) throws {
    let window = try comm.dynamicWindow(of: Int32.self)
    let region = try window.attach(count: 4)
    let regions = try comm.allGather(object: region)
    try check(regions[comm.rank] == region, "\(name): gathered regions \(regions)")
    try window.fenced {
        try window.put([Int32(comm.rank), 7], to: regions[comm.right], at: 2)
    }
    let mine = try window.withAttachedElements(region) { Array($0) }
    try check(mine == [0, 0, Int32(comm.left), 7], "\(name): dynamic region holds \(mine)")
    let got = try window.withLock(comm.left, .shared) { try window.get(4, from: regions[comm.left], at: 0) }
    let leftHolds = try got.values
    try check(leftHolds == [0, 0, Int32((comm.left - 1 + comm.size) % comm.size), 7],
              "\(name): dynamic get \(leftHolds)")
    try window.withLock(comm.right) {
        try expectError(.rmaRange, argument: "offset") { try window.put([1, 2], to: regions[comm.right], at: 3) }
        try expectError(.rmaRange, argument: "displacement") { try window.put([1], to: comm.right, at: 0) }
    }
    if comm.size > 1 {   // another rank's region is not this rank's to detach
        try expectError(.rmaAttach, argument: "region") { try window.detach(regions[comm.right]) }
    }
    try comm.barrier()   // nobody reaches the region any more
    try window.detach(region)
    try expectError(.rmaAttach, argument: "region") { try window.withAttachedElements(region) { _ in } }
    try window.free()
}

/// A padded struct as the window's element: put and get whole structs.
private func structWindow(_ comm: Communicator, name: String) throws {
    let window = try comm.allocateWindow(of: Padded.self, count: 2)
    let mine = Padded(flag: comm.rank % 2 == 0, value: Double(comm.rank) + 0.5, small: Int8(comm.rank), count: 3)
    let got = try window.fenced { () -> WindowValues<Padded> in
        try window.put([mine], to: comm.right, at: 1)
        return try window.get(1, from: comm.rank, at: 0)
    }
    let left = Padded(flag: comm.left % 2 == 0, value: Double(comm.left) + 0.5, small: Int8(comm.left), count: 3)
    let arrived = window.withLocalElements { $0[1] }
    try check(arrived == left, "\(name): struct put arrived as \(arrived)")
    let ownFirst = try got.values
    try check(ownFirst == [Padded(flag: false, value: 0, small: 0, count: 0)], "\(name): struct get \(ownFirst)")
    // Fields of different types: no accumulate (MPICH would abort), refused before MPI.
    try window.fenced {
        try expectError(.type, argument: "values") { try window.accumulate([mine], to: comm.right, at: 0, .replace) }
        try expectError(.type, argument: "values") { _ = try window.fetchAndOp(mine, on: comm.right, at: 0, .replace) }
    }
    // Fields of one type: an atomic replace of whole structs.
    let dense = try comm.allocateWindow(of: Dense.self, count: 1)
    try dense.fenced { try dense.accumulate([Dense(x: Double(comm.rank), y: 2)], to: comm.right, at: 0, .replace) }
    let replaced = dense.withLocalElements { $0[0] }
    try check(replaced == Dense(x: Double(comm.left), y: 2), "\(name): replace of a homogeneous struct: \(replaced)")
    try dense.free()
    try window.free()
}

/// Every rank accumulates random values into random places of every rank's
/// window at once; the windows hold exactly the sums the ranks expected.
private func randomAccumulates(_ comm: Communicator, name: String) throws {
    let slots = 16
    let window = try comm.allocateWindow(of: Int64.self, count: slots)
    var generator = SplitMix64(UInt64(comm.rank + 1) &* 0x9E37_79B9_7F4A_7C15)
    var expected = [Int64](repeating: 0, count: comm.size * slots)
    try window.withLockAll {
        for _ in 0..<200 {
            let target = Int(generator.next() % UInt64(comm.size))
            let slot = Int(generator.next() % UInt64(slots))
            let length = 1 + Int(generator.next() % UInt64(slots - slot))
            let values = (0..<length).map { _ in Int64(generator.next() % 1_000_000) - 500_000 }
            try window.accumulate(values, to: target, at: slot, .sum)
            for (offset, value) in values.enumerated() { expected[target * slots + slot + offset] += value }
        }
    }
    let totals = try comm.allReduce(expected, .sum)
    try comm.barrier()
    let held = window.withLocalElements { Array($0) }
    try check(held == Array(totals[(comm.rank * slots)..<((comm.rank + 1) * slots)]),
              "\(name): random accumulates: \(held.prefix(4)) vs \(totals[(comm.rank * slots)...].prefix(4))")
    try window.free()
}

/// What the new forms refuse before MPI sees it.
private func modesBadInput(_ comm: Communicator, name: String) throws {
    let window = try comm.allocateWindow(of: Int32.self, count: 2)
    try expectError(.rank, argument: "ranks") { try window.accessing([comm.size]) {} }
    try expectError(.rank, argument: "ranks") { _ = try window.expose(to: [0, 0]) }
    try expectError(.rmaSync, argument: "rank") { try window.flushLocal(rank: 0) }
    try expectError(.rmaSync) { try window.flushLocal() }
    try window.fenced {
        try expectError(.rmaSync, argument: "ranks") { try window.accessing([0]) {} }
    }
    try expectError(.rmaAttach) { _ = try window.attach(count: 1) }
    let dynamic = try comm.dynamicWindow(of: Int32.self)
    try expectError(.count, argument: "count") { _ = try dynamic.attach(count: 0) }
    try dynamic.free()
    try window.free()
}

/// One-sided operations over caller buffers allocate nothing per operation:
/// puts and accumulates of an unsafe buffer and of an array, gets into an
/// unsafe buffer, flushed, in a lock-all epoch (the pending list's capacity
/// is reused).
func oneSidedAllocations(_ world: Communicator) throws {
    try check(allocation_counter_is_active() != 0,
              "allocations are not counted in sanitizer builds (the sanitizer's malloc stays in place)")
    let window = try world.allocateWindow(of: Double.self, count: 64)
    let outgoing = [Double](repeating: 1, count: 64)
    var incoming = [Double](repeating: 0, count: 64)
    /// The allocations of `count` rounds of `operation` and a flush.
    func counted(_ count: Int, _ operation: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void) throws -> UInt64 {
        try incoming.withUnsafeMutableBufferPointer { into in
            try outgoing.withUnsafeBufferPointer { from in
                try window.withLockAll {
                    let before = swift_allocation_count()
                    for _ in 0..<count {
                        try operation(from, into)
                        try window.flush()
                    }
                    return swift_allocation_count() - before
                }
            }
        }
    }
    let operations: [(String, (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void)] = [
        ("put of an unsafe buffer", { from, _ in try window.put(from, to: world.right, at: 0) }),
        ("put of an array", { _, _ in try window.put(outgoing, to: world.right, at: 0) }),
        ("accumulate", { from, _ in try window.accumulate(from, to: world.left, at: 0, .sum) }),
        ("get into an unsafe buffer", { _, into in try window.get(into: into, from: world.left, at: 0) }),
    ]
    for (name, operation) in operations {
        _ = try counted(100, operation)
        let few = try counted(1_000, operation), many = try counted(3_000, operation)
        print("one-sided allocations: rank \(world.rank): \(name): Swift \(few) in 1000 rounds, \(many) in 3000")
        try check(few == 0 && many == 0, "Swift allocations in one-sided \(name): \(few) for 1000, \(many) for 3000")
    }
    try world.barrier()
    try window.free()
}
