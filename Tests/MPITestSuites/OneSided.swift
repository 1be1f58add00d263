import MPI

// One-sided communication (issue 16, first part): windows allocated and
// exposing arrays, puts and gets under fences, accumulates and atomics under
// locks, and the checks made before MPI, over world, a duplicate and a split.

func oneSided(_ world: Communicator) throws {
    let duplicate = try world.duplicate()
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    for (name, comm) in [("world", world), ("duplicate", duplicate), ("split", split)] {
        try fencedRing(comm, name: name)
        try lockedCounters(comm, name: name)
        try oneSidedBadInput(comm, name: name)
    }
}

/// Each rank puts its block into its right neighbour's window and gets its
/// left neighbour's, under fences, several epochs in a row.
private func fencedRing(_ comm: Communicator, name: String) throws {
    let count = 16
    let window = try comm.allocateWindow(of: Double.self, count: 2 * count)
    for epoch in 0..<5 {
        let block = (0..<count).map { Double(comm.rank * 1_000 + epoch * 100 + $0) }
        let fromLeft = try window.fenced { () -> WindowValues<Double> in
            try window.put(block, to: comm.right, at: 0)
            return try window.get(count, from: comm.left, at: count)
        }
        // The get read the left neighbour's second half, which the epoch before wrote.
        let expectedGet = epoch == 0 ? [Double](repeating: 0, count: count)
            : (0..<count).map { Double(comm.left * 7 + (epoch - 1) * 3 + $0) }
        let got = try fromLeft.values
        try check(got == expectedGet, "\(name): epoch \(epoch): get \(got.prefix(3))")
        let received = window.withLocalElements { Array($0.prefix(count)) }
        try check(received == (0..<count).map { Double(comm.left * 1_000 + epoch * 100 + $0) },
                  "\(name): epoch \(epoch): put arrived as \(received.prefix(3))")
        // Set the second half locally for the next epoch's get (outside an epoch, the memory is the rank's).
        window.withLocalElements { local in
            for index in 0..<count { local[count + index] = Double(comm.rank * 7 + epoch * 3 + index) }
        }
        try comm.barrier()
    }
    try window.free()

    // A window over an array: the others write into this rank's copy.
    let exposed = try comm.window(exposing: [Int64](repeating: -1, count: comm.size))
    try exposed.fenced {
        for target in 0..<comm.size { try exposed.put([Int64(comm.rank)], to: target, at: comm.rank) }
    }
    let slots = exposed.withLocalElements { Array($0) }
    try check(slots == (0..<comm.size).map(Int64.init), "\(name): exposed window holds \(slots)")
    try exposed.free()
}

/// Every rank adds to counters on rank 0 under locks: accumulate, fetch-and-op
/// (each rank's tickets distinct), compare-and-swap (one winner).
private func lockedCounters(_ comm: Communicator, name: String) throws {
    let window = try comm.allocateWindow(of: Int64.self, count: comm.rank == 0 ? 3 : 0)
    let rounds = 20
    var tickets: [Int64] = []
    for round in 0..<rounds {
        try window.withLock(0, .shared) {
            try window.accumulate([Int64(comm.rank + 1)], to: 0, at: 0, .sum)
        }
        let ticket = try window.withLock(0) { try window.fetchAndOp(1, on: 0, at: 1, .sum) }
        tickets.append(try ticket.value)
        if round == 0 {
            let swap = try window.withLock(0) { try window.compareAndSwap(Int64(comm.rank + 100), expected: 0, on: 0, at: 2) }
            let before = try swap.value
            try check(before == 0 || before >= 100, "\(name): compare-and-swap saw \(before)")
        }
    }
    let allTickets = try comm.allGather(tickets).sorted()
    try check(allTickets == (0..<Int64(rounds * comm.size)).map { $0 },
              "\(name): fetch-and-op tickets not distinct: \(allTickets.prefix(8))")
    try comm.barrier()
    if comm.rank == 0 {
        let (sum, winner) = try window.withLock(0) { () -> (Int64, Int64) in
            let values = try window.getAccumulate([0, 0, 0], to: 0, at: 0, .noOperation)
            try window.flush(rank: 0)
            let read = try values.values
            return (read[0], read[2])
        }
        let expected = Int64(rounds) * Int64(comm.size * (comm.size + 1) / 2)
        try check(sum == expected, "\(name): accumulated \(sum), expected \(expected)")
        try check(winner >= 100 && winner < 100 + Int64(comm.size), "\(name): compare-and-swap left \(winner)")
    }
    try comm.barrier()
    try window.free()
}

/// What the package refuses before MPI sees it.
private func oneSidedBadInput(_ comm: Communicator, name: String) throws {
    let window = try comm.allocateWindow(of: Int32.self, count: 4)
    try expectError(.rmaSync, argument: "rank") { try window.put([1], to: 0, at: 0) }   // no epoch
    try window.fenced {
        try expectError(.rmaRange, argument: "displacement") { try window.put([1, 2], to: 0, at: 3) }
        try expectError(.rmaRange, argument: "displacement") { _ = try window.get(1, from: 0, at: -1) }
        try expectError(.rank, argument: "rank") { _ = try window.get(1, from: comm.size, at: 0) }
        let early = try window.get(1, from: comm.rank, at: 0)
        try expectError(.rmaSync, argument: "values") { _ = try early.values }
        try expectError(.rmaSync) { try window.free() }
    }
    try window.withLock(comm.rank) {
        try expectError(.rmaSync, argument: "rank") { try window.withLock(comm.rank) {} }
    }
    try expectError(.count, argument: "count") { _ = try comm.allocateWindow(of: Int32.self, count: -1) }
    try window.free()
    try window.free()   // a second free does nothing
}
