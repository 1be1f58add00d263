import MPI

// The async layer (Sources/MPI/Concurrency): every async operation against
// what was sent or a serial reference, over world, self and a duplicate;
// many operations in flight from several tasks at once; cancellation; the
// thread rules.

/// Point-to-point, probes, requests, sets, objects and message sequences, awaited.
@MPIActor
func asyncPointToPoint(_ world: Communicator) async throws {
    for comm in try communicators(of: world) {
        let rank = comm.rank, right = comm.right, left = comm.left

        // Typed receives of every form, each against what the left neighbour sent.
        async let sized: ([Double], Status) = comm.receiveWithStatus(Double.self, from: left, tag: 1)
        try await comm.isend([Double(rank), 0.5], to: right, tag: 1).wait()
        let (values, status) = try await sized
        try check(values == [Double(left), 0.5] && status.source == left && status.tag == 1, "receiveWithStatus: \(values) \(status)")

        let sending = try comm.isend([rank, rank * 10, rank * 100], to: right, tag: 2)
        var into = [Int](repeating: -1, count: 4)
        let intoStatus = try await comm.receive(into: &into, from: left, tag: 2)
        try await sending.wait()
        try check(into == [left, left * 10, left * 100, -1] && intoStatus.count == 3, "receive(into:): \(into)")

        let swapped: [Int] = try await comm.sendReceive([rank], to: right, sendTag: 3, from: left, receiveTag: 3)
        try check(swapped == [left], "sendReceive: \(swapped)")
        var replaced = [0, 0]
        try await comm.sendReceive([rank, -rank], to: right, sendTag: 4, into: &replaced, from: left, receiveTag: 4)
        try check(replaced == [left, -left], "sendReceive(into:): \(replaced)")
        var swappedInPlace = [rank, rank + 1, rank + 2]
        let replacedStatus = try await comm.sendReceive(replacing: &swappedInPlace, to: right, sendTag: 8, from: left, receiveTag: 8)
        try check(swappedInPlace == [left, left + 1, left + 2] && replacedStatus.count == 3, "sendReceive(replacing:): \(swappedInPlace)")

        // A synchronous send completes only once its receive has started: the receive is in flight first.
        async let synchronous: [Int32] = comm.receive(from: left, tag: 5)
        try await comm.synchronousSend([Int32(rank)], to: right, tag: 5)
        try check(try await synchronous == [Int32(left)], "synchronousSend")

        // Probes, then the probed message.
        let probeSend = try comm.isend([UInt8](repeating: UInt8(rank % 250), count: 7), to: right, tag: 6)
        let probed = try await comm.probe(from: left, tag: 6)
        try check(probed.source == left && probed.byteCount == 7, "probe: \(probed)")
        let message = try await comm.matchedProbe(from: MPI.anySource, tag: 6)
        let bytes = try message.receive(UInt8.self)
        try await probeSend.wait()
        try check(bytes == [UInt8](repeating: UInt8(left % 250), count: 7), "matchedProbe: \(bytes)")

        // Requests and sets: any, some and all, with receives posted before the sends.
        var receives = RequestSet<([Int], Status)>()
        for tag in 10..<18 { receives.append(try comm.ireceive(Int.self, count: 2, from: left, tag: tag)) }
        var sends = RequestSet<Status>()
        for tag in (10..<18).reversed() { sends.append(try comm.isend([tag, rank], to: right, tag: tag)) }
        var completed = Set<Int>()
        if let first = try await receives.waitForAny() { completed.insert(first) }
        completed.formUnion(try await receives.waitForSome())
        try await receives.waitForAll()
        let received = try await receives.waitAll()
        try check(received.enumerated().allSatisfy { $0.element.0 == [10 + $0.offset, left] }, "request set: \(received.map(\.0))")
        try check(!completed.isEmpty && completed.isSubset(of: Set(0..<8)), "waitForAny/Some: \(completed)")
        try check(try await sends.waitAll().count == 8, "sends")
        var emptySet = RequestSet<Status>()
        let noneAny = try await emptySet.waitForAny()
        let noneSome = try await emptySet.waitForSome()
        try check(noneAny == nil && noneSome.isEmpty, "empty set")

        // Objects, and a pending object awaited.
        struct Note: Codable, Equatable { var from: Int; var words: [String] }
        async let note: Note = comm.receiveObject(Note.self, from: left, tag: 20)
        try await comm.send(object: Note(from: rank, words: ["a", String(rank)]), to: right, tag: 20)
        try check(try await note == Note(from: left, words: ["a", String(left)]), "object")
        // (An object receive posts nothing until a message matches, and MPICH
        // completes a send to this same rank only once it is received.)
        let pending = try comm.ireceiveObject([Int].self, from: left, tag: 21)
        let objectSent = try comm.isend(object: Array(0...rank), to: right, tag: 21)
        try check(try await pending.wait() == Array(0...left), "pending object")
        try await objectSent.wait()

        // A sequence of messages, ended by a message with its end tag.
        let stream = try comm.isend([rank], to: right, tag: 30)
        let stream2 = try comm.isend([rank + 1], to: right, tag: 30)
        let end = try comm.isend([Int](), to: right, tag: 31)
        var sequence: [[Int]] = []
        for try await (values, _) in comm.messages(Int.self, from: left, endTag: 31) { sequence.append(values) }
        try await stream.wait(); try await stream2.wait(); try await end.wait()
        try check(sequence == [[left], [left + 1]], "messages: \(sequence)")

        // The null process completes at once.
        try check((try await comm.receive(Int.self, from: MPI.processNull, tag: 0)).isEmpty, "receive from processNull")
        try await comm.send([1], to: MPI.processNull)
    }

    // Bad input is the synchronous forms' error.
    try await expectAsyncError(.rank, argument: "destination") { try await world.send([1], to: world.size + 3) }
    try await expectAsyncError(.tag, argument: "tag") { try await world.send([1], to: 0, tag: -5) }
}

/// Many receives awaited at once from child tasks, completed in any order.
@MPIActor
func asyncManyInFlight(_ world: Communicator) async throws {
    let count = 64
    let left = world.left, right = world.right
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for tag in 0..<count {
            group.addTask { let v: [Int] = try await world.receive(from: left, tag: tag); return v[0] }
        }
        var sends = RequestSet<Status>()
        for tag in (0..<count).reversed() { sends.append(try world.isend([tag * 2], to: right, tag: tag)) }
        var sum = 0
        for try await value in group { sum += value }
        try await sends.waitAll()
        return sum
    }
    try check(total == count * (count - 1), "sum \(total)")

    // Several tasks each doing their own ring exchange on their own duplicate.
    let duplicates = try (0..<4).map { _ in try world.duplicate() }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, comm) in duplicates.enumerated() {
            group.addTask {
                for round in 0..<20 {
                    let value = [comm.rank, index, round]
                    async let incoming: [Int] = comm.receive(from: comm.left, tag: round)
                    try await comm.send(value, to: comm.right, tag: round)
                    let got = try await incoming
                    try check(got == [comm.left, index, round], "task \(index) round \(round): \(got)")
                    let sum = try await comm.allReduce(round, .sum)
                    try check(sum == round * comm.size, "task \(index) allReduce \(sum)")
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Task cancellation ends a receive nobody serves with CancellationError,
/// loses no message, and a cancelled send is still completed.
@MPIActor
func asyncCancellation(_ world: Communicator) async throws {
    let right = world.right, left = world.left
    // A typed receive (matched-probe polling) and a request wait, each cancelled.
    let waiting = Task { @MPIActor in try await world.receive(Int.self, from: left, tag: 77) }
    let waitingRequest = Task { @MPIActor () -> [Int] in
        let request = try world.ireceive(Int.self, count: 4, from: left, tag: 78)
        return try await request.wait().0
    }
    let waitingObject = Task { @MPIActor () -> String in try await world.receiveObject(String.self, from: left, tag: 79) }
    let waitingProbe = Task { @MPIActor () -> Status in try await world.probe(from: left, tag: 80) }
    try await world.barrier()
    waiting.cancel(); waitingRequest.cancel(); waitingObject.cancel(); waitingProbe.cancel()
    for (name, result) in [("receive", await waiting.result.map { _ in () }),
                           ("request", await waitingRequest.result.map { _ in () }),
                           ("object", await waitingObject.result.map { _ in () }),
                           ("probe", await waitingProbe.result.map { _ in () })] {
        guard case .failure(let error) = result, error is CancellationError else {
            throw CheckFailure(description: "cancelled \(name) ended with \(result), not CancellationError")
        }
    }
    // Nothing was consumed by the cancelled receives: these arrive intact.
    try await world.barrier()
    let sent = try world.isend([world.rank, 77], to: right, tag: 77)
    let value: [Int] = try await world.receive(from: left, tag: 77)
    try await sent.wait()
    try check(value == [left, 77], "after cancellation: \(value)")

    // A send in a cancelled task is waited for, not cancelled: its message arrives.
    let big = [Double](repeating: Double(world.rank), count: 1 << 18)      // 2 MiB: a rendezvous
    let sender = Task { @MPIActor in try await world.send(big, to: right, tag: 81) }
    sender.cancel()
    let arrived: [Double] = try await world.receive(from: left, tag: 81)
    try await sender.value
    try check(arrived.count == big.count && arrived.allSatisfy { $0 == Double(left) }, "cancelled send's message")
}

/// Async collectives against serial references, over world, self and a duplicate.
@MPIActor
func asyncCollectives(_ world: Communicator) async throws {
    for comm in try communicators(of: world) {
        let rank = comm.rank, size = comm.size
        let ranks = Array(0..<size)
        try await comm.barrier()
        for root in (size == 1 ? [0] : [0, size - 1]) {
            try check(try await comm.broadcast(rank == root ? 42.5 : 0, root: root) == 42.5, "broadcast value")
            var array = rank == root ? [1, 2, 3] : [0, 0, 0]
            try await comm.broadcast(&array, root: root)
            try check(array == [1, 2, 3], "broadcast array \(array)")
            let scattered = try await comm.scatter(rank == root ? ranks.flatMap { [$0, -$0] } : [], count: 2, root: root)
            try check(scattered == [rank, -rank], "scatter \(scattered)")
            try check(try await comm.scatter(rank == root ? ranks.map { $0 * 3 } : [], root: root) == rank * 3, "scatter one")
            let counts = ranks.map { $0 + 1 }
            let vector = try await comm.scatter(rank == root ? ranks.flatMap { Array(repeating: $0, count: $0 + 1) } : [],
                                                counts: counts, root: root)
            try check(vector == Array(repeating: rank, count: rank + 1), "scatterv \(vector)")
            let gathered = try await comm.gather([rank, rank], root: root)
            try check(gathered == (rank == root ? ranks.flatMap { [$0, $0] } : []), "gather \(gathered)")
            try check(try await comm.gather(Int32(rank), root: root) == (rank == root ? ranks.map(Int32.init) : []), "gather value")
            let gatheredV = try await comm.gather(Array(repeating: rank, count: rank + 1), counts: counts, root: root)
            try check(gatheredV == (rank == root ? ranks.flatMap { Array(repeating: $0, count: $0 + 1) } : []), "gatherv")
            let reduced = try await comm.reduce(rank, .sum, root: root)
            try check(reduced == (rank == root ? ranks.reduce(0, +) : nil), "reduce \(String(describing: reduced))")
            let reducedArray = try await comm.reduce([rank, 1], .max, root: root)
            try check(reducedArray == (rank == root ? [size - 1, 1] : []), "reduce array \(reducedArray)")
        }
        try check(try await comm.allGather(UInt8(rank)) == ranks.map(UInt8.init), "allGather value")
        try check(try await comm.allGather([rank, 7]) == ranks.flatMap { [$0, 7] }, "allGather")
        let counts = ranks.map { $0 % 2 + 1 }
        try check(try await comm.allGather(Array(repeating: rank, count: rank % 2 + 1), counts: counts)
                  == ranks.flatMap { Array(repeating: $0, count: $0 % 2 + 1) }, "allGatherv")
        try check(try await comm.allToAll(ranks.map { rank * 100 + $0 }) == ranks.map { $0 * 100 + rank }, "allToAll")
        let sendCounts = ranks.map { _ in rank + 1 }, receiveCounts = ranks.map { $0 + 1 }
        let sent = ranks.flatMap { _ in Array(repeating: rank, count: rank + 1) }
        try check(try await comm.allToAll(sent, sendCounts: sendCounts, receiveCounts: receiveCounts)
                  == ranks.flatMap { Array(repeating: $0, count: $0 + 1) }, "allToAllv")
        try check(try await comm.allReduce(Double(rank), .sum) == Double(ranks.reduce(0, +)), "allReduce value")
        try check(try await comm.allReduce([rank, -rank], .min) == [0, -(size - 1)], "allReduce array")
        try check(try await comm.reduceScatter(ranks.map { $0 + rank }, .sum) == [ranks.reduce(0, +) + size * rank],
                  "reduceScatter")
        try check(try await comm.reduceScatter(ranks.flatMap { [$0, $0] }, counts: ranks.map { _ in 2 }, .sum)
                  == [size * rank, size * rank], "reduceScatter counts")
        try check(try await comm.scan(rank, .sum) == (0...rank).reduce(0, +), "scan value")
        try check(try await comm.scan([1, rank], .sum) == [rank + 1, (0...rank).reduce(0, +)], "scan array")
        let exclusive = try await comm.exclusiveScan(rank + 1, .sum)
        try check(exclusive == (rank == 0 ? nil : (1...rank).reduce(0, +)), "exclusiveScan value \(String(describing: exclusive))")
        let exclusiveArray = try await comm.exclusiveScan([2], .sum)
        try check(rank == 0 || exclusiveArray == [2 * rank], "exclusiveScan array \(exclusiveArray)")
    }
    try await asyncCollectivesIntoArrays(world)
    try await expectAsyncError(.root, argument: "root") { _ = try await world.broadcast(1, root: world.size) }
}

/// The forms that write into the caller's array, and the array receive, against references.
@MPIActor
func asyncCollectivesIntoArrays(_ world: Communicator) async throws {
    for comm in try communicators(of: world) {
        let rank = comm.rank, size = comm.size, ranks = Array(0..<size)
        let root = size - 1
        var one = [-1]
        try await comm.scatter(rank == root ? ranks.map { $0 * 2 } : [], into: &one, root: root)
        try check(one == [rank * 2], "scatter into \(one)")
        var scatteredInPlace = rank == root ? ranks.map { $0 + 10 } : [-1]
        try await comm.scatter(inPlace: &scatteredInPlace, root: root)
        try check(rank == root ? scatteredInPlace == ranks.map { $0 + 10 } : scatteredInPlace == [rank + 10],
                  "scatter in place \(scatteredInPlace)")
        var gathered = [Int](repeating: -1, count: rank == root ? size : 0)
        try await comm.gather([rank], into: &gathered, root: root)
        try check(gathered == (rank == root ? ranks : []), "gather into \(gathered)")
        var gatheredInPlace = rank == root ? ranks.map { $0 == root ? root : -1 } : [rank]
        try await comm.gather(inPlace: &gatheredInPlace, root: root)
        try check(rank != root || gatheredInPlace == ranks, "gather in place \(gatheredInPlace)")
        var all = [Int](repeating: -1, count: size)
        try await comm.allGather([rank * 3], into: &all)
        try check(all == ranks.map { $0 * 3 }, "allGather into \(all)")
        var allInPlace = ranks.map { $0 == rank ? rank : -1 }
        try await comm.allGather(inPlace: &allInPlace)
        try check(allInPlace == ranks, "allGather in place \(allInPlace)")
        var exchanged = [Int](repeating: -1, count: size)
        try await comm.allToAll(ranks.map { rank * 10 + $0 }, into: &exchanged)
        try check(exchanged == ranks.map { $0 * 10 + rank }, "allToAll into \(exchanged)")
        var exchangedInPlace = ranks.map { rank * 10 + $0 }
        try await comm.allToAll(inPlace: &exchangedInPlace)
        try check(exchangedInPlace == ranks.map { $0 * 10 + rank }, "allToAll in place \(exchangedInPlace)")
        let total = ranks.reduce(0, +)
        var reduced = [0, 0]
        try await comm.reduce([rank, 1], into: &reduced, .sum, root: root)
        try check(rank != root || reduced == [total, size], "reduce into \(reduced)")
        var reducedInPlace = [rank, 1]
        try await comm.reduce(inPlace: &reducedInPlace, .sum, root: root)
        try check(rank != root || reducedInPlace == [total, size], "reduce in place \(reducedInPlace)")
        var allReduced = [0.0]
        try await comm.allReduce([Double(rank)], into: &allReduced, .sum)
        try check(allReduced == [Double(total)], "allReduce into \(allReduced)")
        var allReducedInPlace = [rank, -rank]
        try await comm.allReduce(inPlace: &allReducedInPlace, .max)
        try check(allReducedInPlace == [size - 1, 0], "allReduce in place \(allReducedInPlace)")
        var block = [0]
        try await comm.reduceScatter(ranks.map { $0 * rank }, into: &block, .sum)
        try check(block == [rank * total], "reduceScatter into \(block)")
        var blockInPlace = ranks.map { $0 * rank }
        try await comm.reduceScatter(inPlace: &blockInPlace, .sum)
        try check(blockInPlace[0] == rank * total, "reduceScatter in place \(blockInPlace)")
        var prefix = [0]
        try await comm.scan([rank], into: &prefix, .sum)
        try check(prefix == [(0...rank).reduce(0, +)], "scan into \(prefix)")
        var prefixInPlace = [rank]
        try await comm.scan(inPlace: &prefixInPlace, .sum)
        try check(prefixInPlace == [(0...rank).reduce(0, +)], "scan in place \(prefixInPlace)")
        var before = [-7]
        try await comm.exclusiveScan([rank + 1], into: &before, .sum)
        try check(rank == 0 || before == [(1...rank).reduce(0, +)], "exclusiveScan into \(before)")
        var beforeInPlace = [rank + 1]
        try await comm.exclusiveScan(inPlace: &beforeInPlace, .sum)
        try check(rank == 0 || beforeInPlace == [(1...rank).reduce(0, +)], "exclusiveScan in place \(beforeInPlace)")
        var broadcastInto = rank == root ? [4, 5, 6] : [0, 0, 0]
        try await comm.broadcast(&broadcastInto, root: root)
        try check(broadcastInto == [4, 5, 6], "broadcast into \(broadcastInto)")

        // The array receive: lent, not copied; a longer message is a truncation error.
        var landing = [Int](repeating: -1, count: 3)
        let sent = try comm.isend([rank, rank], to: comm.right, tag: 40)
        let status = try await comm.receive(into: &landing, from: comm.left, tag: 40)
        try await sent.wait()
        try check(landing == [comm.left, comm.left, -1] && status.count == 2, "receive into array \(landing)")
        let long = try comm.isend([1, 2, 3, 4], to: comm.right, tag: 41)
        var short = [Int](repeating: -1, count: 2)
        try await expectAsyncError(.truncate) { try await comm.receive(into: &short, from: comm.left, tag: 41) }
        try await long.wait()
        try check(short.count == 2, "truncated receive resized the array")
    }
}

/// The thread rules: below MPI_THREAD_MULTIPLE a synchronous call off the MPI
/// thread is a clear error, and an async call works from any task.
@MPIActor
func asyncThreadRules(_ world: Communicator) async throws {
    let provided = try MPI.providedThreadLevel()
    let offThread = await Task.detached { () -> String? in
        do {
            _ = try world.isend([1], to: MPI.processNull)
            return nil
        } catch {
            return "\(error)"
        }
    }.value
    if provided < .multiple {
        guard let offThread, offThread.contains("MPI thread") else {
            throw CheckFailure(description: "a synchronous call off the MPI thread at \(provided) gave \(offThread ?? "no error")")
        }
    } else {
        try check(offThread == nil, "at MPI_THREAD_MULTIPLE a call from another thread failed: \(offThread ?? "")")
    }
    // The same call awaited from a detached task runs on the MPI thread.
    try await Task.detached { try await world.send([1], to: MPI.processNull) }.value
    // A communicator whose last reference goes on another thread is freed on the MPI thread.
    let holder = SharedValue<Communicator?>(try world.duplicate())
    await Task.detached { holder.set(nil) }.value
    try await world.barrier()
    if world.rank == 0 { print("thread level: \(provided); off-thread call: \(offThread ?? "allowed")") }
}

/// Awaiting under a synchronous MPI.run below MPI_THREAD_MULTIPLE is refused with a clear error.
func asyncUnderSynchronousRun(_ world: Communicator) throws {
    let outcome = SharedValue<String?>(nil)
    let done = SharedValue(false)
    Task.detached {
        do {
            try await world.barrier()
            outcome.set("no error")
        } catch {
            outcome.set("\(error)")
        }
        done.set(true)
    }
    while !done.get() { usleep(1000) }
    let message = outcome.get() ?? ""
    try check(message.contains("await MPI.run"), "awaiting under a synchronous MPI.run: \(message)")
}

/// The task pool: order, chunk sizes, failures, early ends, roots and communicators.
@MPIActor
func taskPool(_ world: Communicator) async throws {
    let split = try world.split(color: world.rank % 2, key: -world.rank)
    for (comm, root) in [(world, 0), (world, world.size - 1), (split, 0)] {
        let pool = try TaskPool(comm, root: root)
        let isRoot = comm.rank == root
        try check(pool.workerCount == comm.size - 1, "workerCount")
        for chunkSize in [1, 3, 64] {
            for count in [0, 1, 100] {
                let inputs = Array(0..<count)
                let doubled = try await pool.map(isRoot ? inputs : [], chunkSize: chunkSize) { (n: Int) -> Int in 2 * n }
                try check(doubled == (isRoot ? inputs.map { 2 * $0 } : []), "map chunk \(chunkSize) count \(count)")
                var seen: [Int: String] = [:]
                for try await (index, text) in pool.mapUnordered(isRoot ? inputs : [], chunkSize: chunkSize, { (n: Int) -> String in
                    String(n)
                }) {
                    try check(seen[index] == nil, "index \(index) twice")
                    seen[index] = text
                }
                try check(seen == (isRoot ? Dictionary(uniqueKeysWithValues: inputs.map { ($0, String($0)) }) : [:]),
                          "mapUnordered chunk \(chunkSize) count \(count)")
            }
        }
        // Each task's rank: spread over the workers (or the root alone).
        let ranks = try await pool.map(isRoot ? Array(0..<40) : []) { (_: Int) -> Int in
            // Runs on the worker's MPI thread, where a synchronous MPI call is allowed.
            (try? Communicator.world.rank) ?? -1
        }
        if isRoot {
            try check(ranks.count == 40 && (comm.size == 1 || !ranks.contains(world.rank)), "task ranks \(ranks)")
        }

        // A failing task: the root gets a TaskPoolError naming it, the pool stays usable.
        struct Refused: Error, CustomStringConvertible { let n: Int; var description: String { "refused \(n)" } }
        do {
            _ = try await pool.map(isRoot ? Array(0..<50) : [], chunkSize: 2) { (n: Int) -> Int in
                if n == 17 { throw Refused(n: n) }
                return n
            }
            try check(!isRoot, "a failing task did not throw on the root")
        } catch let error as TaskPoolError {
            try check(isRoot && error.taskIndex == 17 && error.message == "refused 17" && !error.host.isEmpty
                      && (comm.size == 1 ? error.rank == root : error.rank != root),
                      "TaskPoolError: \(error)")
            try check("\(error)".contains("task 17") && "\(error)".contains("refused 17"), "description: \(error)")
        }
        let after = try await pool.map(isRoot ? [1, 2, 3] : []) { (n: Int) -> Int in n + 1 }
        try check(after == (isRoot ? [2, 3, 4] : []), "after a failure: \(after)")

        // The root stops early: the next map ends the unfinished one first.
        var taken = 0
        for try await _ in pool.mapUnordered(isRoot ? Array(0..<200) : [], chunkSize: 1, { (n: Int) -> Int in n }) {
            taken += 1
            if isRoot && taken == 3 { break }
        }
        let next = try await pool.map(isRoot ? [5] : []) { (n: Int) -> Int in n * n }
        try check(next == (isRoot ? [25] : []), "after an early end: \(next)")

        // Shutdown with an unfinished map pending, then the pool refuses work.
        let unfinished = pool.mapUnordered(isRoot ? Array(0..<100) : [], { (n: Int) -> Int in n })
        var iterator = unfinished.makeAsyncIterator()
        if isRoot { _ = try await iterator.next() } else { while try await iterator.next() != nil {} }
        try await pool.shutdown()
        do {
            _ = try await pool.map([1]) { (n: Int) -> Int in n }
            throw CheckFailure(description: "map after shutdown did not throw")
        } catch let error as MPIError {
            try check(error.message.contains("shut down"), "after shutdown: \(error)")
        }
        try await expectAsyncError(.argument, argument: "chunkSize") {
            let other = try TaskPool(comm, root: root)
            defer { Task { @MPIActor in try? await other.shutdown() } }
            _ = try await other.map([1], chunkSize: 0) { (n: Int) -> Int in n }
        }
        try await comm.barrier()
    }
}

/// A worker that crashes in a task ends the job (no fault tolerance in MPI 3.1).
@MPIActor
func taskPoolCrash(_ world: Communicator) async throws {
    let pool = try TaskPool(world, root: 0)
    // The last rank (a worker) crashes in its first task, as the fault suites' last rank does.
    let crashes = world.rank == world.size - 1
    _ = try await pool.map(world.rank == 0 ? Array(0..<100) : []) { (n: Int) -> Int in
        precondition(!crashes, "deliberate crash in a pool task")
        return n
    }
    throw CheckFailure(description: "the crash did not end the job")
}

/// Like ``expectError(_:argument:file:line:_:)`` for async bodies.
@MPIActor
func expectAsyncError(
    _ errorClass: MPIError.Class, argument: String? = nil,
    file: StaticString = #fileID, line: UInt = #line, _ body: @MPIActor () async throws -> Void
) async throws {
    do {
        try await body()
    } catch let error as MPIError {
        try check(error.errorClass == errorClass, "expected \(errorClass), got \(error.errorClass): \(error)", file: file, line: line)
        if let argument {
            try check(error.argument == argument, "expected the error to name \(argument): \(error)", file: file, line: line)
        }
        return
    }
    throw CheckFailure(description: "\(file):\(line): expected an MPIError of class \(errorClass), nothing was thrown")
}

/// A value shared between threads, under a pthread mutex.
final class SharedValue<Value: Sendable>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(&mutex, nil)
    }

    func get() -> Value {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return value
    }

    func set(_ newValue: Value) {
        pthread_mutex_lock(&mutex)
        value = newValue
        pthread_mutex_unlock(&mutex)
    }
}

/// Awaited object collectives: results, and the failures every rank (or only the refusing one) throws.
@MPIActor
func asyncObjectCollectives(_ world: Communicator) async throws {
    struct Item: Codable, Equatable { var rank: Int; var name: String; var values: [Double] }
    func item(_ rank: Int, _ salt: Int = 0) -> Item { Item(rank: rank, name: "rank \(rank)", values: (0..<(rank + salt) % 5).map(Double.init)) }
    for comm in try communicators(of: world) {
        let rank = comm.rank, size = comm.size, ranks = Array(0..<size)
        for root in (size == 1 ? [0] : [0, size - 1]) {
            let small: Item = try await comm.broadcast(object: rank == root ? item(root) : nil, root: root)
            try check(small == item(root), "broadcast small \(small)")
            let large: [Double] = try await comm.broadcast(object: rank == root ? (0..<300_000).map { Double($0 + root) } : nil,
                                                           root: root)
            try check(large.count == 300_000 && large[299_999] == Double(299_999 + root), "broadcast large")
            let gathered = try await comm.gather(object: item(rank, 1), root: root)
            try check(gathered == (rank == root ? ranks.map { item($0, 1) } : nil), "gather objects")
            let scattered: Item = try await comm.scatter(objects: rank == root ? ranks.map { item($0, 2) } : nil, root: root)
            try check(scattered == item(rank, 2), "scatter objects \(scattered)")

            // A root with nothing to send makes every rank throw, and the next collective still works.
            do {
                let _: Item = try await comm.broadcast(object: nil, root: root)
                throw CheckFailure(description: "a broadcast of nil did not throw")
            } catch let error as MPIError {
                try check(error.message.contains(rank == root ? "must be a value at the root" : "rank \(root)"), "\(error)")
            }
            do {
                let _: Item = try await comm.scatter(objects: rank == root ? [item(0)] + ranks.map { item($0) } : nil, root: root)
                throw CheckFailure(description: "a scatter of size + 1 objects did not throw")
            } catch let error as MPIError {
                try check(rank != root || error.argument == "objects.count", "\(error)")
            }
        }
        try check(try await comm.allGather(object: "r\(rank)") == ranks.map { "r\($0)" }, "allGather objects")
        let exchanged: [[Int]] = try await comm.allToAll(objects: ranks.map { [rank, $0] })
        try check(exchanged == ranks.map { [$0, rank] }, "allToAll objects \(exchanged)")

        // Over the last rank's receive limit: in a broadcast only that rank throws; in an all-gather every rank.
        let limit = MPI.receiveSizeLimit
        if rank == size - 1 && size > 1 { try MPI.setReceiveSizeLimit(1000) }
        do {
            let big: [Int] = try await comm.broadcast(object: rank == 0 ? Array(0..<10_000) : nil, root: 0)
            try check(rank != size - 1 || size == 1, "a rank over its limit received \(big.count)")
        } catch let error as MPIError {
            try check(rank == size - 1 && error.errorClass == .noMemory, "broadcast over the limit: \(error)")
        }
        do {
            _ = try await comm.allGather(object: Array(0..<200))
            try check(size == 1, "an all-gather over a rank's limit did not throw")
        } catch let error as MPIError {
            try check(size > 1 && error.errorClass == .noMemory, "allGather over the limit: \(error)")
        }
        try MPI.setReceiveSizeLimit(limit)
        try check(try await comm.allGather(object: rank) == ranks, "after the refusals")
    }
}
