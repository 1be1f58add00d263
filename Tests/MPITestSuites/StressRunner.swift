import MPI

// Running the plan: each round's posts, blocking operations and completions,
// and the entry point, `mpi-test-programs stress`.

/// What a receive got, and when it was posted.
struct StressReceived {
    let postIndex: Int
    let receive: PlannedReceive
    let source: Int
    let tag: Int
    let bytes: [UInt8]
}

final class StressRun {
    let world: Communicator
    let seed: UInt64
    let messageTotal: Int
    let rank: Int
    let size: Int
    var planner: StressPlanner
    var round = 0

    /// Per peer: messages, bytes and digest sums sent to it / received from it.
    var sent: [UInt64]
    var received: [UInt64]
    /// What the plan says every pair exchanges (the same on every rank).
    var planned: [UInt64]
    var postIndex = 0
    var coverage = StressCoverage()

    init(world: Communicator, seed: UInt64, messages: Int) {
        self.world = world
        self.seed = seed
        self.messageTotal = messages
        rank = world.rank
        size = world.size
        planner = StressPlanner(seed: seed, size: size, tagUpperBound: MPI.tagUpperBound)
        sent = [UInt64](repeating: 0, count: 3 * size)
        received = [UInt64](repeating: 0, count: 3 * size)
        planned = [UInt64](repeating: 0, count: 2 * size * size)
    }

    func failure(_ what: String) -> StressFailure {
        StressFailure(description: "stress failed: seed \(seed), rank \(rank) of \(size), round \(round): \(what). "
                      + "Replay: \(stressReplayCommand(seed: seed, messages: messageTotal, ranks: size))")
    }

    func run() throws -> (messages: Int, bytes: Int, rounds: Int, seconds: Double) {
        let start = try MPI.wallTime()
        var done = 0, bytes = 0
        var g = SplitMix64(stressMix(seed, 0xC0FFEE))
        while done < messageTotal {
            // Mostly rounds of up to 300 messages, sometimes tiny ones.
            let count = min(messageTotal - done, g.percent(10) ? 1 + g.below(4) : 1 + g.below(300))
            let plan = planner.makeRound(round, messageCount: count)
            coverage.add(plan)
            for m in plan.messages {
                planned[2 * (m.source * size + m.destination)] += 1
                planned[2 * (m.source * size + m.destination) + 1] += UInt64(m.size)
            }
            try runRound(plan)
            done += count
            bytes += plan.bytes
            round += 1
        }
        try checkTotals()
        return (done, bytes, round, try MPI.wallTime() - start)
    }

    var planDigest: UInt64 { planner.digest }

    // MARK: One round

    enum Pending {
        case array(RequestSet<Any>.Slot<([UInt8], Status)>, postIndex: Int, PlannedReceive)
        case pointer(RequestSet<Any>.Slot<Status>, UnsafeMutableBufferPointer<UInt8>, postIndex: Int, PlannedReceive)
    }

    enum PendingCollective {
        case barrier(RequestSet<Any>.Slot<Void>)
        case sum(RequestSet<Any>.Slot<UInt64>)
        case broadcast(RequestSet<Any>.Slot<[UInt64]>)
        case reduce(RequestSet<Any>.Slot<[Int64]>)
    }

    static let guardByte: UInt8 = 0xA5

    func runRound(_ plan: RoundPlan) throws {
        let me = plan.ranks[rank]
        var set = RequestSet<Any>()
        var pending: [Pending] = []
        var sends: [RequestSet<Any>.Slot<Status>] = []
        var collective: PendingCollective? = nil
        var results: [StressReceived] = []
        results.reserveCapacity(me.expectedReceives)
        var roundSent: [UInt64] = [0, 0, 0]   // messages, bytes, digest sum

        func noteSent(_ m: PlannedMessage, digest: UInt64) {
            sent[3 * m.destination] += 1
            sent[3 * m.destination + 1] += UInt64(m.size)
            sent[3 * m.destination + 2] &+= digest
            roundSent[0] += 1
            roundSent[1] += UInt64(m.size)
            roundSent[2] &+= digest
        }

        // Phase A: post receives and isends, maybe start a nonblocking collective.
        for operation in me.phaseA {
            switch operation {
            case .receive(let r):
                let group = plan.groups[r.group]
                let index = postIndex
                postIndex += 1
                switch r.variant {
                case 0:
                    let request = try world.ireceive(UInt8.self, count: r.capacity, from: group.source, tag: group.tag)
                    pending.append(.array(set.append(request), postIndex: index, r))
                case 1:
                    let buffer = [UInt8](repeating: Self.guardByte, count: r.capacity)
                    let request = try world.ireceive(into: buffer, from: group.source, tag: group.tag)
                    pending.append(.array(set.append(request), postIndex: index, r))
                default:
                    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: r.capacity)
                    buffer.initialize(repeating: Self.guardByte)
                    let request = try world.ireceive(into: buffer, from: group.source, tag: group.tag)
                    pending.append(.pointer(set.append(request), buffer, postIndex: index, r))
                }
            case .isend(let index):
                let m = plan.messages[index]
                let (bytes, digest) = StressWire.message(m)
                noteSent(m, digest: digest)
                sends.append(set.append(try world.isend(bytes, to: m.destination, tag: m.tag)))
            case .nonblockingCollective:
                collective = try startCollective(plan, &set)
            }
        }

        if plan.afterPhaseA >= 0 { try blockingCollective(plan.afterPhaseA, plan, salt: 1) }

        // Phase B: blocking sends and receives, maybe a collective among them.
        for operation in me.phaseB {
            switch operation {
            case .send(let index, let variant):
                let m = plan.messages[index]
                let digest: UInt64
                if variant == 0 {
                    let message = StressWire.message(m)
                    digest = message.digest
                    try blockingSend(message.bytes, m)
                } else {
                    // From a slice at an odd offset inside a larger array.
                    let offset = 1 + m.size % 7
                    var storage = [UInt8](repeating: 0, count: m.size + offset + 3)
                    digest = storage.withUnsafeMutableBytes { raw in
                        StressWire.write(m, into: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + m.size)]))
                    }
                    try blockingSend(storage[offset..<(offset + m.size)], m)
                }
                noteSent(m, digest: digest)
            case .receive(let r):
                results.append(try blockingReceive(r, plan))
            case .collective:
                try blockingCollective(plan.withinPhaseB, plan, salt: 2)
            }
        }

        // Phase C: complete everything.
        switch me.completion {
        case 0:
            try set.waitForAll()
        case 1:
            while try set.waitForAny() != nil {}
        case 2:
            while try !set.waitForSome().isEmpty {}
        default:
            while try !set.testAll() { sched_yield() }
        }
        for slot in sends {
            let status = try set.take(slot).wait()
            if status.isCancelled { throw failure("an isend reports being cancelled") }
        }
        for entry in pending {
            switch entry {
            case .array(let slot, let index, let r):
                let (array, status) = try set.take(slot).wait()
                var bytes = array
                if r.variant == 1 {
                    try checkGuard(array.count, status.byteCount, r) { array[$0] }
                    bytes = Array(array[0..<min(status.byteCount, array.count)])
                }
                if bytes.count != status.byteCount {
                    throw failure("a nonblocking receive returned \(bytes.count) bytes, its status says \(status.byteCount)")
                }
                results.append(StressReceived(postIndex: index, receive: r, source: status.source, tag: status.tag,
                                              bytes: bytes))
            case .pointer(let slot, let buffer, let index, let r):
                let status = try set.take(slot).wait()
                defer { buffer.deallocate() }
                try checkGuard(buffer.count, status.byteCount, r) { buffer[$0] }
                results.append(StressReceived(postIndex: index, receive: r, source: status.source, tag: status.tag,
                                              bytes: Array(buffer[0..<min(status.byteCount, buffer.count)])))
            }
        }
        pending.removeAll()
        if let collective { try finishCollective(collective, plan, &set) }

        let roundReceived = try check(results, plan)

        // The round ends with an all-reduce of its totals: no rank can leave it
        // before every rank has received everything of this round.
        let totals = try world.allReduce(roundSent + roundReceived + [UInt64(me.expectedReceives)], .sum)
        if totals[0] != UInt64(plan.messages.count) || totals[1] != UInt64(plan.bytes)
            || totals[3] != totals[0] || totals[4] != totals[1] || totals[5] != totals[2] || totals[6] != totals[0] {
            throw failure("the round's totals disagree: planned \(plan.messages.count) messages, \(plan.bytes) bytes; "
                          + "sent \(totals[0]) messages, \(totals[1]) bytes (digest \(totals[2])); received \(totals[3]) "
                          + "messages, \(totals[4]) bytes (digest \(totals[5])); receives planned \(totals[6])")
        }
    }

    func blockingSend<Buffer: SendBuffer>(_ buffer: Buffer, _ m: PlannedMessage) throws {
        if m.mode == .synchronousSend {
            try world.synchronousSend(buffer, to: m.destination, tag: m.tag)
        } else {
            try world.send(buffer, to: m.destination, tag: m.tag)
        }
    }

    /// Nothing may be written past the message into a receive buffer.
    func checkGuard(_ capacity: Int, _ byteCount: Int, _ r: PlannedReceive, _ byte: (Int) -> UInt8) throws {
        var offset = byteCount
        while offset < capacity {
            if byte(offset) != Self.guardByte {
                throw failure("a \(byteCount)-byte message changed byte \(offset) of a \(capacity)-byte receive buffer")
            }
            offset += 1
        }
    }

    func blockingReceive(_ r: PlannedReceive, _ plan: RoundPlan) throws -> StressReceived {
        let group = plan.groups[r.group]
        let index = postIndex
        postIndex += 1
        func result(_ status: Status, _ bytes: [UInt8]) throws -> StressReceived {
            if bytes.count != status.byteCount {
                throw failure("a blocking receive returned \(bytes.count) bytes, its status says \(status.byteCount)")
            }
            return StressReceived(postIndex: index, receive: r, source: status.source, tag: status.tag, bytes: bytes)
        }
        switch r.variant {
        case 0:
            var buffer = [UInt8](repeating: Self.guardByte, count: r.capacity)
            let status = try world.receive(into: &buffer, from: group.source, tag: group.tag)
            try checkGuard(buffer.count, status.byteCount, r) { buffer[$0] }
            return try result(status, Array(buffer[0..<min(status.byteCount, buffer.count)]))
        case 1:
            let (bytes, status) = try world.receiveWithStatus(UInt8.self, from: group.source, tag: group.tag)
            return try result(status, bytes)
        case 2:
            let message = try world.matchedProbe(from: group.source, tag: group.tag)
            let status = message.status
            let bytes: [UInt8] = try message.receive()
            return try result(status, bytes)
        case 3:
            // Probe with the group's pattern, then receive exactly that
            // message by its source and tag (the first of its stream).
            let probed = try world.probe(from: group.source, tag: group.tag)
            var buffer = [UInt8](repeating: 0, count: probed.byteCount)
            let status = try world.receive(into: &buffer, from: probed.source, tag: probed.tag)
            if status.source != probed.source || status.tag != probed.tag || status.byteCount != probed.byteCount {
                throw failure("probed \(probed) but received \(status)")
            }
            return try result(status, buffer)
        default:
            // Polls with a nonblocking matched probe.
            while true {
                if let message = try world.matchedProbeIfAvailable(from: group.source, tag: group.tag) {
                    var buffer = [UInt8](repeating: Self.guardByte, count: r.capacity)
                    let status = try message.receive(into: &buffer)
                    try checkGuard(buffer.count, status.byteCount, r) { buffer[$0] }
                    return try result(status, Array(buffer[0..<min(status.byteCount, buffer.count)]))
                }
                sched_yield()
            }
        }
    }
}

/// How to run the same plan again (`make stress` runs 4 ranks).
func stressReplayCommand(seed: UInt64, messages: Int, ranks: Int) -> String {
    ranks == 4 ? "make stress SEED=\(seed) MESSAGES=\(messages)"
        : "mpirun -np \(ranks) .build/release/mpi-test-programs stress --seed \(seed) --messages \(messages)"
}

/// `mpi-test-programs stress [--seed S] [--messages N]`.
func stress(_ world: Communicator) throws {
    var seed: UInt64? = nil
    var messages = 4_000
    var arguments = CommandLine.arguments.dropFirst(2).makeIterator()
    while let argument = arguments.next() {
        switch argument {
        case "--seed":
            guard let value = arguments.next().flatMap({ UInt64($0) }) else {
                throw StressFailure(description: "stress: --seed needs an unsigned integer")
            }
            seed = value
        case "--messages":
            guard let value = arguments.next().flatMap({ Int($0) }), value >= 0 else {
                throw StressFailure(description: "stress: --messages needs a count")
            }
            messages = value
        default:
            throw StressFailure(description: "stress: unknown argument \(argument); "
                                + "usage: mpi-test-programs stress [--seed S] [--messages N]")
        }
    }
    if seed == nil {
        // From the clock, on rank 0, for every rank.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let fromClock = stressMix(UInt64(truncatingIfNeeded: now.tv_sec), UInt64(truncatingIfNeeded: now.tv_nsec))
        seed = try world.broadcast(fromClock % 1_000_000_000_000, root: 0)
    }
    let run = StressRun(world: world, seed: seed!, messages: messages)
    if world.rank == 0 {
        print("stress seed \(seed!): \(messages) messages at \(world.size) ranks "
              + "(replay: \(stressReplayCommand(seed: seed!, messages: messages, ranks: world.size)))")
        fflush(nil)   // seen even if the job then hangs or aborts
    }
    let outcome = try run.run()
    if world.rank == 0 {
        let megabytes = Double(outcome.bytes) / 1_000_000
        print("stress passed: seed \(seed!), \(outcome.messages) messages, \(outcome.bytes) bytes "
              + "(\((megabytes * 10).rounded() / 10) MB) in \(outcome.rounds) rounds, "
              + "\((outcome.seconds * 100).rounded() / 100) s; plan digest \(hex(run.planDigest)); "
              + "every message arrived once, intact, in order, and every pair's totals agree")
        print("stress coverage: \(run.coverage)")
    }
}
