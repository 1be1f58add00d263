import MPI

/// Persistent collectives (MPI-4's MPI_Xxx_init, Open MPI 4.1's MPIX_Xxx_init):
/// each started several times with data changed between starts, checked
/// against references each rank computes; or, where the library has none,
/// the clear error. Over world, a duplicate and a split.
func persistentCollectives(_ world: Communicator) throws {
    let duplicate = try world.duplicate()
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    if world.rank == 0 { print("persistent collectives supported: \(MPI.supportsPersistentCollectives)") }
    for (name, comm) in [("world", world), ("duplicate", duplicate), ("split", split)] {
        guard MPI.supportsPersistentCollectives else {
            let error = try expectError(.other) { _ = try comm.persistentBarrier() }
            try check(error.message.contains("MPI 4") && error.message.contains("MPIX"),
                      "\(name): unclear error: \(error.message)")
            try expectError(.other) { _ = try comm.persistentAllReduce([1.0], .sum) }
            continue
        }
        try persistentCollectiveCases(comm, name: name)
    }
}

private func persistentCollectiveCases(_ comm: Communicator, name: String) throws {
    let steps = 6, count = 5
    let ranks = 0..<comm.size

    let barrier = try comm.persistentBarrier()
    for _ in 0..<steps {
        try barrier.start()
        try barrier.wait()
    }

    // Broadcast from the last rank.
    let root = comm.size - 1
    let broadcast = try comm.persistentBroadcast([Int](repeating: -1, count: count), root: root)
    for step in 0..<steps {
        try broadcast.withMutableSendBuffer { buffer in
            for i in buffer.indices { buffer[i] = comm.rank == root ? step * 100 + i : -7 }
        }
        try broadcast.start()
        try broadcast.wait()
        try check(try broadcast.result == (0..<count).map { step * 100 + $0 },
                  "\(name): broadcast step \(step): \((try? broadcast.result) ?? [])")
    }

    // Reduce (sum) to rank 0.
    let reduce = try comm.persistentReduce([Int](repeating: 0, count: count), .sum, root: 0)
    try check(reduce.resultCount == (comm.rank == 0 ? count : 0), "\(name): reduce result count \(reduce.resultCount)")
    for step in 0..<steps {
        try reduce.withMutableSendBuffer { buffer in
            for i in buffer.indices { buffer[i] = comm.rank * (step + 1) + i }
        }
        try reduce.start()
        try reduce.wait()
        if comm.rank == 0 {
            let expected = (0..<count).map { i in ranks.reduce(0) { $0 + $1 * (step + 1) + i } }
            try check(try reduce.result == expected, "\(name): reduce step \(step): \((try? reduce.result) ?? []) != \(expected)")
        }
    }

    // All-reduce: max of Doubles, a Swift closure, the package's wrapping 8-bit sum, unsigned min.
    let maximum = try comm.persistentAllReduce([Double](repeating: 0, count: count), .max)
    let closure = try comm.persistentAllReduce([Int](repeating: 0, count: count),
                                               .custom(commutative: false) { lower, _ in lower })
    let smallSum = try comm.persistentAllReduce([UInt8](repeating: 0, count: count), .sum)
    let unsignedMin = try comm.persistentAllReduce([UInt32](repeating: 0, count: count), .min)
    for step in 0..<steps {
        try maximum.withMutableSendBuffer { b in for i in b.indices { b[i] = Double((comm.rank * 7 + step + i) % 5) } }
        try closure.withMutableSendBuffer { b in for i in b.indices { b[i] = comm.rank * 1_000 + step + i } }
        try smallSum.withMutableSendBuffer { b in for i in b.indices { b[i] = UInt8(truncatingIfNeeded: 200 + comm.rank + step + i) } }
        try unsignedMin.withMutableSendBuffer { b in for i in b.indices { b[i] = UInt32.max - UInt32(comm.rank + step + i) } }
        try maximum.start()
        try closure.start()
        try smallSum.start()
        try unsignedMin.start()
        try maximum.wait()
        while try !closure.test() {}
        try smallSum.wait()
        try unsignedMin.wait()
        let maxExpected = (0..<count).map { i in ranks.map { Double(($0 * 7 + step + i) % 5) }.max()! }
        // Associative and not commutative: the lowest rank's value, if MPI keeps rank order.
        let closureExpected = (0..<count).map { i in 0 + step + i }
        let sumExpected = (0..<count).map { i in ranks.reduce(UInt8(0)) { $0 &+ UInt8(truncatingIfNeeded: 200 + $1 + step + i) } }
        let minExpected = (0..<count).map { i in UInt32.max - UInt32(comm.size - 1 + step + i) }
        try check(try maximum.result == maxExpected, "\(name): all-reduce max step \(step): \((try? maximum.result) ?? [])")
        try check(try closure.result == closureExpected,
                  "\(name): all-reduce closure step \(step): \((try? closure.result) ?? []) != \(closureExpected)")
        try check(try smallSum.result == sumExpected, "\(name): all-reduce UInt8 sum step \(step): \((try? smallSum.result) ?? [])")
        try check(try unsignedMin.result == minExpected, "\(name): all-reduce UInt32 min step \(step): \((try? unsignedMin.result) ?? [])")
    }

    // All-gather.
    func gathered(_ rank: Int, _ step: Int, _ i: Int) -> Int32 { Int32(rank * 1000 + step * 10 + i) }
    let allGather = try comm.persistentAllGather([Int32](repeating: 0, count: count))
    try check(allGather.resultCount == count * comm.size, "\(name): all-gather result count")
    for step in 0..<steps {
        try allGather.withMutableSendBuffer { b in for i in b.indices { b[i] = gathered(comm.rank, step, i) } }
        try allGather.start()
        try allGather.wait()
        let expected = ranks.flatMap { r in (0..<count).map { gathered(r, step, $0) } }
        try check(try allGather.result == expected, "\(name): all-gather step \(step): \((try? allGather.result) ?? []) rank \(comm.rank)")
    }

    // All-to-all: block j of rank r's send goes to rank j.
    func exchanged(_ from: Int, _ to: Int, _ step: Int, _ k: Int) -> Int64 { Int64(from * 10_000 + to * 100 + step * 3 + k) }
    let block = 3
    let allToAll = try comm.persistentAllToAll([Int64](repeating: 0, count: block * comm.size))
    for step in 0..<steps {
        try allToAll.withMutableSendBuffer { b in
            for j in ranks { for k in 0..<block { b[j * block + k] = exchanged(comm.rank, j, step, k) } }
        }
        try allToAll.start()
        try allToAll.wait()
        let expected = ranks.flatMap { r in (0..<block).map { exchanged(r, comm.rank, step, $0) } }
        try check(try allToAll.result == expected, "\(name): all-to-all step \(step): \((try? allToAll.result) ?? [])")
    }

    // Bad input, and use while active.
    try expectError(.root, argument: "root") { _ = try comm.persistentBroadcast([1], root: comm.size) }
    try expectError(.root, argument: "root") { _ = try comm.persistentReduce([1], .sum, root: -1) }
    if comm.size > 1 {
        try expectError(.count, argument: "send.count") { _ = try comm.persistentAllToAll([Int](repeating: 0, count: comm.size + 1)) }
    }
    try maximum.start()
    try expectError(.request, argument: "request") { try maximum.start() }
    try expectError(.request, argument: "result") { _ = try maximum.result }
    try expectError(.request, argument: "buffer") { try maximum.withMutableSendBuffer { _ in } }
    try maximum.wait()
    try check(!maximum.isActive, "\(name): completed collective still active")
}
