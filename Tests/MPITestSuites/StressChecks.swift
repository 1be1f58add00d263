import MPI

// What a rank checks: every received message against the plan, the totals
// of every pair at the end, and the collectives run between the messages.

extension StressRun {
    // MARK: Checks

    /// Checks what this rank received in the round against the plan; returns
    /// [messages, bytes, digest sum].
    func check(_ results: [StressReceived], _ plan: RoundPlan) throws -> [UInt64] {
        // The planned messages of each stream (source, tag) to this rank, in
        // the sender's order.
        var streams: [Int: [Int]] = [:]
        var streamOrder: [Int] = []
        for (index, m) in plan.messages.enumerated() where m.destination == rank {
            let key = m.source << 32 | m.tag
            if streams[key] == nil { streamOrder.append(key) }
            streams[key, default: []].append(index)
        }
        for key in streamOrder { streams[key]!.sort { plan.messages[$0].sequence < plan.messages[$1].sequence } }

        var cursor: [Int: Int] = [:]
        var totals: [UInt64] = [0, 0, 0]
        // Per group and source: the last sender position seen, for order across tags.
        var lastPosition: [Int: (position: Int, message: Int)] = [:]
        for got in results.sorted(by: { $0.postIndex < $1.postIndex }) {
            let group = plan.groups[got.receive.group]
            let pattern = "receive #\(got.postIndex) (source \(group.source == MPI.anySource ? "any" : "\(group.source)"), "
                + "tag \(group.tag == MPI.anyTag ? "any" : "\(group.tag)"))"
            if got.source < 0 || got.source >= size {
                throw failure("\(pattern) got a message from source \(got.source), tag \(got.tag)")
            }
            let key = got.source << 32 | got.tag
            guard let stream = streams[key] else {
                throw failure("\(pattern) got a message from source \(got.source), tag \(got.tag), "
                              + "but none was planned on that stream this round (\(got.bytes.count) bytes\(sequenceText(got.bytes)))")
            }
            let k = cursor[key, default: 0]
            cursor[key] = k + 1
            guard k < stream.count else {
                throw failure("source \(got.source), tag \(got.tag): more messages than the \(stream.count) planned "
                              + "this round (a duplicate?): \(pattern) got one of \(got.bytes.count) bytes\(sequenceText(got.bytes))")
            }
            let index = stream[k]
            let m = plan.messages[index]
            try checkMessage(m, got, pattern)
            if m.group != got.receive.group {
                throw failure("source \(m.source), tag \(m.tag), sequence \(m.sequence) was planned for another "
                              + "receive pattern than \(pattern)")
            }
            if let expected = got.receive.message, expected != index {
                let e = plan.messages[expected]
                throw failure("\(pattern) got source \(m.source), tag \(m.tag), sequence \(m.sequence); in MPI's "
                              + "non-overtaking order it had to get tag \(e.tag), sequence \(e.sequence)")
            }
            if group.receiveClass >= 2 {
                let orderKey = got.receive.group << 16 | m.source
                if let last = lastPosition[orderKey], last.position > m.sendPosition {
                    let earlier = plan.messages[last.message]
                    throw failure("source \(m.source): tag \(m.tag), sequence \(m.sequence) was sent before tag "
                                  + "\(earlier.tag), sequence \(earlier.sequence), but received after it, by receives "
                                  + "(\(pattern)) that match both: non-overtaking order broken")
                }
                lastPosition[orderKey] = (m.sendPosition, index)
            }
            let digest = StressWire.digest(m, body: m.size >= StressWire.headerBytes
                ? got.bytes.withUnsafeBytes { StressWire.checksum(UnsafeRawBufferPointer(rebasing: $0[StressWire.headerBytes...])) }
                : StressWire.emptyChecksum)
            received[3 * m.source] += 1
            received[3 * m.source + 1] += UInt64(m.size)
            received[3 * m.source + 2] &+= digest
            totals[0] += 1
            totals[1] += UInt64(m.size)
            totals[2] &+= digest
        }
        for key in streamOrder where cursor[key, default: 0] != streams[key]!.count {
            let m = plan.messages[streams[key]![cursor[key, default: 0]]]
            throw failure("source \(m.source), tag \(m.tag): sequence \(m.sequence) was lost: "
                          + "\(cursor[key, default: 0]) of \(streams[key]!.count) planned messages arrived")
        }
        if results.count != plan.ranks[rank].expectedReceives {
            throw failure("made \(results.count) receives, planned \(plan.ranks[rank].expectedReceives)")
        }
        return totals
    }

    func sequenceText(_ bytes: [UInt8]) -> String {
        bytes.count >= 4 ? ", sequence \(bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })" : ""
    }

    func checkMessage(_ m: PlannedMessage, _ got: StressReceived, _ pattern: String) throws {
        let stream = "source \(m.source), tag \(m.tag)"
        try got.bytes.withUnsafeBytes { raw in
            if raw.count >= 4 {
                let sequence = UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))
                if sequence != m.sequence {
                    throw failure("\(stream): sequence expected \(m.sequence), got \(sequence) (\(pattern), "
                                  + "\(raw.count) bytes; expected \(m.size) bytes)")
                }
            }
            if raw.count != m.size {
                throw failure("\(stream), sequence \(m.sequence): expected \(m.size) bytes, got \(raw.count) (\(pattern))")
            }
            if m.size >= StressWire.headerBytes {
                let source = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
                let destination = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 6, as: UInt16.self)))
                let tag = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
                if source != m.source || destination != m.destination || tag != m.tag || length != m.size {
                    throw failure("\(stream), sequence \(m.sequence): the header says source \(source), destination "
                                  + "\(destination), tag \(tag), length \(length) (\(pattern))")
                }
                let carried = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                let computed = StressWire.checksum(UnsafeRawBufferPointer(rebasing: raw[StressWire.headerBytes...]))
                if carried != computed {
                    throw failure("\(stream), sequence \(m.sequence): checksum mismatch, the header says "
                                  + "\(hex(carried)), the \(m.size - StressWire.headerBytes)-byte body gives \(hex(computed)) (\(pattern))")
                }
            } else if m.size > 0 {
                try withUnsafeTemporaryAllocation(byteCount: StressWire.headerBytes, alignment: 8) { header in
                    StressWire.writeHeader(header.baseAddress!, sequence: m.sequence, source: m.source,
                                           destination: m.destination, tag: m.tag, length: m.size,
                                           checksum: StressWire.emptyChecksum)
                    for offset in 0..<m.size where header[offset] != raw[offset] {
                        throw failure("\(stream), sequence \(m.sequence): byte \(offset) of \(m.size) is "
                                      + "\(raw[offset]), expected \(header[offset]) (\(pattern))")
                    }
                }
            }
        }
    }

    /// Every pair: what the sender sent, what the receiver received and what
    /// the plan says, all equal.
    func checkTotals() throws {
        let n = size * size
        var mine = [UInt64](repeating: 0, count: 6 * n)
        for peer in 0..<size {
            let out = rank * size + peer, into = peer * size + rank
            for field in 0..<3 {
                mine[3 * out + field] = sent[3 * peer + field]
                mine[3 * n + 3 * into + field] = received[3 * peer + field]
            }
        }
        let all = try world.allReduce(mine, .sum)
        for source in 0..<size {
            for destination in 0..<size {
                let pair = source * size + destination
                let s = all[(3 * pair)..<(3 * pair + 3)], r = all[(3 * n + 3 * pair)..<(3 * n + 3 * pair + 3)]
                let p = planned[(2 * pair)..<(2 * pair + 2)]
                if Array(s) != Array(r) || Array(s.prefix(2)) != Array(p) {
                    throw failure("rank \(source) to rank \(destination): planned \(p.first!) messages, \(p.last!) bytes; "
                                  + "sent \(s[s.startIndex]) messages, \(s[s.startIndex + 1]) bytes, digest \(hex(s.last!)); "
                                  + "received \(r[r.startIndex]) messages, \(r[r.startIndex + 1]) bytes, digest \(hex(r.last!))")
                }
            }
        }
        let lowest = try world.allReduce(planDigest, .min), highest = try world.allReduce(planDigest, .max)
        if lowest != highest { throw failure("the ranks planned differently (plan digests \(hex(lowest)) to \(hex(highest)))") }
    }

    // MARK: Collectives between and among the messages

    /// Values every rank can compute for checking collectives.
    func contribution(_ plan: RoundPlan, _ rank: Int, salt: Int) -> Int64 {
        Int64(truncatingIfNeeded: stressMix(plan.collectiveSeed, UInt64(rank * 8 + salt)) >> 8)
    }

    func broadcastData(_ plan: RoundPlan, salt: Int) -> [UInt64] {
        var g = SplitMix64(plan.collectiveSeed ^ UInt64(salt))
        return (0..<g.below(2_000)).map { _ in g.next() }
    }

    func blockingCollective(_ kind: Int, _ plan: RoundPlan, salt: Int) throws {
        switch kind {
        case 0:
            try world.barrier()
        case 1:
            let sum = try world.allReduce(contribution(plan, rank, salt: salt), .sum)
            let expected = (0..<size).reduce(Int64(0)) { $0 &+ contribution(plan, $1, salt: salt) }
            if sum != expected { throw failure("allReduce gave \(sum), expected \(expected)") }
        case 2:
            let expected = broadcastData(plan, salt: salt)
            var buffer = rank == plan.root ? expected : [UInt64](repeating: 0, count: expected.count)
            try world.broadcast(&buffer, root: plan.root)
            if buffer != expected { throw failure("broadcast from rank \(plan.root) delivered other data") }
        case 3:
            let all = try world.allGather(contribution(plan, rank, salt: salt))
            if all != (0..<size).map({ contribution(plan, $0, salt: salt) }) { throw failure("allGather gave \(all)") }
        default:
            // Every rank's planned receive count, summed: the round's message count.
            let counts = try world.allReduce([Int64(plan.ranks[rank].expectedReceives), 1], .sum)
            if counts != [Int64(plan.messages.count), Int64(size)] { throw failure("allReduce of counts gave \(counts)") }
        }
    }

    func startCollective(_ plan: RoundPlan, _ set: inout RequestSet<Any>) throws -> PendingCollective {
        switch plan.nonblocking {
        case 0:
            return .barrier(set.append(try world.ibarrier()))
        case 1:
            return .sum(set.append(try world.iallReduce(UInt64(plan.ranks[rank].expectedReceives), .sum)))
        case 2:
            let expected = broadcastData(plan, salt: 3)
            let buffer = rank == plan.root ? expected : [UInt64](repeating: 0, count: expected.count)
            return .broadcast(set.append(try world.ibroadcast(buffer, root: plan.root)))
        default:
            return .reduce(set.append(try world.iallReduce([contribution(plan, rank, salt: 4), 1], .sum)))
        }
    }

    func finishCollective(_ pending: PendingCollective, _ plan: RoundPlan, _ set: inout RequestSet<Any>) throws {
        switch pending {
        case .barrier(let slot):
            try set.take(slot).wait()
        case .sum(let slot):
            let total = try set.take(slot).wait()
            if total != UInt64(plan.messages.count) { throw failure("iallReduce gave \(total), expected \(plan.messages.count)") }
        case .broadcast(let slot):
            let data: [UInt64] = try set.take(slot).wait()
            if data != broadcastData(plan, salt: 3) { throw failure("ibroadcast from rank \(plan.root) delivered other data") }
        case .reduce(let slot):
            let sums: [Int64] = try set.take(slot).wait()
            let expected = [(0..<size).reduce(Int64(0)) { $0 &+ contribution(plan, $1, salt: 4) }, Int64(size)]
            if sums != expected { throw failure("iallReduce gave \(sums), expected \(expected)") }
        }
    }
}

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
