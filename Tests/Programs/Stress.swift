import MPI

// Issue 5, item 2: randomized traffic with nothing lost.
//
//   mpi-test-programs stress [--seed S] [--messages N]
//
// Every rank derives the same plan from the seed, round by round: who sends
// what (0 bytes to 1 MiB) to whom with which tag and mode, and how each
// receiver receives it. Each message carries a header (sequence number per
// (source, destination, tag), source, destination, tag, length, checksum of
// the body) and seeded random bytes. Receivers check that every planned
// message arrives exactly once, intact, in MPI's non-overtaking order.
//
// Deadlock freedom and unambiguous matching come from the plan's structure:
//
// - A round has three phases. Phase A only posts: nonblocking receives,
//   `isend`s, maybe a nonblocking collective. Phase B does blocking sends and
//   blocking receives (and maybe a blocking collective) in a shuffled order.
//   Phase C completes the request set (wait-all, wait-any, wait-some or
//   test-all). An all-reduce of the round's totals ends the round, so that no
//   rank sends round r + 1 while another still receives round r.
// - A receiver takes its messages in groups, by the low two bits of the tag:
//   0 exact (source, tag); 1 (any source, tag); 2 (source, any tag), used for
//   every message of that source to that receiver in the round; 3 (any
//   source, any tag). The groups' receive patterns are disjoint, and the
//   any-any receives are posted after every other receive of the receiver, so
//   a wildcard can never take a message another receive is waiting for.
// - A group's first `posted` messages (in the sender's order) are matched by
//   receives posted in phase A, the rest by blocking receives in phase B.
//   Blocking sends go only to groups whose receives are all posted in phase A,
//   so a blocking send never waits for a blocking receive, and a blocking
//   receive only waits for an `isend` that was started in phase A.
//
// Checking: the receiver knows the order in which it posted its receives.
// MPI matches the messages of one stream (source, tag) to the receives that
// can take them in posting order, so the k-th receive (by posting order) that
// got a message of a stream must have got that stream's k-th message. Under
// (source, any tag) and (any source, any tag) receives, the messages of one
// source match the same receives whatever their tag, so their order across
// tags is checked too.

/// A failed stress check, naming everything needed to replay it.
struct StressFailure: Error, CustomStringConvertible {
    let description: String
}

/// SplitMix64 (Steele, Lea, Flood 2014): the deterministic generator every
/// rank runs to derive the same plan.
struct SplitMix64 {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n (the modulo bias is below 2^-40 for the n used here).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func inRange(_ range: Range<Int>) -> Int { range.lowerBound + below(range.count) }

    mutating func percent(_ p: Int) -> Bool { below(100) < p }

    mutating func shuffle<T>(_ array: inout [T]) {
        var index = array.count - 1
        while index > 0 {
            array.swapAt(index, below(index + 1))
            index -= 1
        }
    }

    /// Merges two sequences at random, keeping the order within each.
    mutating func merge<T>(_ first: [T], _ second: [T]) -> [T] {
        var result: [T] = []
        result.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count || j < second.count {
            if below(first.count - i + second.count - j) < first.count - i {
                result.append(first[i]); i += 1
            } else {
                result.append(second[j]); j += 1
            }
        }
        return result
    }
}

/// One value from two (for per-round and per-message seeds).
func stressMix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var generator = SplitMix64(a ^ (b &* 0xD1B5_4A32_D192_ED03))
    return generator.next()
}

// MARK: - Messages

/// Header layout, little-endian: sequence (UInt32) at 0, source (UInt16) at 4,
/// destination (UInt16) at 6, tag (UInt32) at 8, length in bytes (UInt32) at
/// 12, checksum of the body (UInt64) at 16; the body follows. Messages shorter
/// than the header carry its first bytes (an empty body's checksum), so even
/// a 4-byte message carries its sequence number; 0-byte messages carry nothing
/// and are checked by their place in their stream and their length.
enum StressWire {
    static let headerBytes = 24
    static let emptyChecksum = checksum(UnsafeRawBufferPointer(start: nil, count: 0))

    /// FNV-1a over 64-bit little-endian words (then over the tail bytes), with
    /// a xor-shift after each multiply so that every bit of a word reaches
    /// every bit of the hash (word-wise FNV alone carries high bits nowhere).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01B3
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) &* prime
            hash ^= hash >> 32
            offset += 8
        }
        while offset < count {
            hash = (hash ^ UInt64(bytes[offset])) &* prime
            offset += 1
        }
        return hash
    }

    static func writeHeader(
        _ out: UnsafeMutableRawPointer, sequence: UInt32, source: Int, destination: Int, tag: Int, length: Int,
        checksum: UInt64
    ) {
        out.storeBytes(of: sequence.littleEndian, toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: UInt16(source).littleEndian, toByteOffset: 4, as: UInt16.self)
        out.storeBytes(of: UInt16(destination).littleEndian, toByteOffset: 6, as: UInt16.self)
        out.storeBytes(of: UInt32(tag).littleEndian, toByteOffset: 8, as: UInt32.self)
        out.storeBytes(of: UInt32(length).littleEndian, toByteOffset: 12, as: UInt32.self)
        out.storeBytes(of: checksum.littleEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// Writes message `m` into `out` (exactly `m.size` bytes) and returns its
    /// digest: the body's checksum combined with its envelope, summed per
    /// rank pair to compare what was sent with what was received.
    static func write(_ m: PlannedMessage, into out: UnsafeMutableRawBufferPointer) -> UInt64 {
        precondition(out.count == m.size)
        if m.size >= headerBytes {
            var generator = SplitMix64(m.contentSeed)
            var offset = headerBytes
            while offset + 8 <= m.size {
                out.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            var last = generator.next()
            while offset < m.size {
                out[offset] = UInt8(truncatingIfNeeded: last)
                last >>= 8
                offset += 1
            }
            let body = checksum(UnsafeRawBufferPointer(rebasing: out[headerBytes...]))
            writeHeader(out.baseAddress!, sequence: m.sequence, source: m.source, destination: m.destination,
                        tag: m.tag, length: m.size, checksum: body)
            return digest(m, body: body)
        }
        if m.size > 0 {
            withUnsafeTemporaryAllocation(byteCount: headerBytes, alignment: 8) { header in
                writeHeader(header.baseAddress!, sequence: m.sequence, source: m.source, destination: m.destination,
                            tag: m.tag, length: m.size, checksum: emptyChecksum)
                out.copyMemory(from: UnsafeRawBufferPointer(rebasing: header[0..<m.size]))
            }
        }
        return digest(m, body: emptyChecksum)
    }

    static func digest(_ m: PlannedMessage, body: UInt64) -> UInt64 {
        stressMix(body ^ UInt64(m.size), UInt64(m.sequence) << 32 | UInt64(m.tag))
    }

    static func message(_ m: PlannedMessage) -> (bytes: [UInt8], digest: UInt64) {
        var digest: UInt64 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: m.size) { buffer, initialized in
            digest = write(m, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = m.size
        }
        return (bytes, digest)
    }
}

// MARK: - The plan

enum StressSendMode: Int { case isend, send, synchronousSend }

struct PlannedMessage {
    let source: Int
    let destination: Int
    let tag: Int
    let size: Int
    let contentSeed: UInt64
    var mode = StressSendMode.isend
    var sequence: UInt32 = 0
    /// Its place among its sender's sends this round (isends first, in plan
    /// order, then blocking sends in plan order).
    var sendPosition = 0
    var group = -1

    /// How its receiver receives it: the tag's low two bits (see the top).
    var receiveClass: Int { tag & 3 }
}

/// Messages one receiver takes with one receive pattern.
struct ReceiveGroup {
    let receiver: Int
    let receiveClass: Int
    /// The receive pattern: a rank or MPI.anySource, a tag or MPI.anyTag.
    let source: Int
    let tag: Int
    /// Message indices; single-source groups in the sender's order.
    var members: [Int] = []
    /// How many of the first members are taken by receives posted in phase A.
    var posted = 0
    var largest = 0

    /// Whether the k-th receive of the group gets the k-th member (one source:
    /// MPI's non-overtaking order), or whichever arrives (several sources).
    var isOrdered: Bool { source != MPI.anySource }
    var isFullyPosted: Bool { posted == members.count }
}

struct PlannedReceive {
    let group: Int
    /// For ordered groups, the message this receive must get.
    let message: Int?
    let capacity: Int
    let variant: Int
}

enum PhaseAOperation {
    case receive(PlannedReceive)
    case isend(Int)
    case nonblockingCollective
}

enum PhaseBOperation {
    case send(Int, variant: Int)
    case receive(PlannedReceive)
    case collective
}

struct RankPlan {
    var phaseA: [PhaseAOperation] = []
    var phaseB: [PhaseBOperation] = []
    var completion = 0
    var expectedReceives = 0
}

struct RoundPlan {
    let round: Int
    var messages: [PlannedMessage] = []
    var groups: [ReceiveGroup] = []
    var ranks: [RankPlan] = []
    /// Collective kinds (see StressRun.collective); -1 for none.
    var afterPhaseA = -1
    var withinPhaseB = -1
    var nonblocking = -1
    var root = 0
    var collectiveSeed: UInt64 = 0
    var bytes = 0
}

/// Derives the plan round by round; every rank runs it identically.
struct StressPlanner {
    let seed: UInt64
    let size: Int
    let largestTagBase: Int
    /// Next sequence number per stream (source, destination, tag).
    private var sequences: [StreamKey: UInt32] = [:]
    /// A digest of everything planned, to show that a replay plans the same.
    private(set) var digest: UInt64 = 0x5EED

    struct StreamKey: Hashable {
        let source: Int, destination: Int, tag: Int
    }

    struct GroupKey: Hashable {
        let receiver: Int, receiveClass: Int, source: Int, tag: Int
    }

    init(seed: UInt64, size: Int, tagUpperBound: Int) {
        self.seed = seed
        self.size = size
        // Tags are 4 * base + class, at most the tag upper bound (which MPI
        // promises is at least 32767); capped so that replays agree.
        largestTagBase = (min(tagUpperBound, Int(Int32.max)) - 3) / 4
    }

    /// Message sizes, skewed to small: 3% empty, 1% exactly 1 MiB, 1% just
    /// under it, 5% shorter than the header, the rest spread from 24 B up.
    static func messageSize(_ g: inout SplitMix64) -> Int {
        let mebibyte = 1 << 20
        switch g.below(1000) {
        case ..<30: return 0
        case ..<40: return mebibyte
        case ..<50: return mebibyte - g.inRange(1..<65_537)
        case ..<100: return g.inRange(1..<StressWire.headerBytes)
        case ..<620: return g.inRange(StressWire.headerBytes..<512)
        case ..<870: return g.inRange(512..<8_192)
        case ..<970: return g.inRange(8_192..<131_072)
        default: return g.inRange(131_072..<mebibyte)
        }
    }

    /// Mostly a few tags per class (so streams carry several messages per
    /// round), sometimes up to 64, rarely anything up to the upper bound.
    func tagBase(_ g: inout SplitMix64) -> Int {
        switch g.below(100) {
        case ..<75: return g.below(4)
        case ..<95: return g.below(64)
        default: return g.below(largestTagBase + 1)
        }
    }

    static func slack(_ g: inout SplitMix64) -> Int {
        switch g.below(10) {
        case ..<5: return 0
        case ..<8: return 1 + g.below(64)
        default: return 1 + g.below(4096)
        }
    }

    private mutating func fold(_ values: Int...) {
        for value in values { digest = stressMix(digest, UInt64(bitPattern: Int64(value))) }
    }

    mutating func makeRound(_ round: Int, messageCount: Int) -> RoundPlan {
        var g = SplitMix64(stressMix(seed, UInt64(round)))
        var plan = RoundPlan(round: round)
        plan.afterPhaseA = g.below(6) - 1        // -1 none, 0...4
        plan.withinPhaseB = g.below(8) - 3       // often none
        plan.nonblocking = g.below(6) - 2        // -2, -1 none, 0...3
        plan.root = g.below(size)
        plan.collectiveSeed = g.next()

        // (source, receiver) pairs that use one (source, any tag) group this round.
        let sourceAnyTag = (0..<(size * size)).map { _ in g.percent(12) }
        for _ in 0..<messageCount {
            let source = g.below(size), destination = g.below(size)
            let receiveClass: Int
            if sourceAnyTag[source * size + destination] {
                receiveClass = 2
            } else {
                receiveClass = [0, 0, 1, 3][g.below(4)]
            }
            let tag = 4 * tagBase(&g) + receiveClass
            let bytes = Self.messageSize(&g)
            plan.messages.append(PlannedMessage(source: source, destination: destination, tag: tag, size: bytes,
                                                contentSeed: g.next()))
            plan.bytes += bytes
        }

        // Groups, in order of first appearance (never a dictionary's order).
        var groupIndex: [GroupKey: Int] = [:]
        for index in plan.messages.indices {
            let m = plan.messages[index]
            let key: GroupKey
            switch m.receiveClass {
            case 0: key = GroupKey(receiver: m.destination, receiveClass: 0, source: m.source, tag: m.tag)
            case 1: key = GroupKey(receiver: m.destination, receiveClass: 1, source: MPI.anySource, tag: m.tag)
            case 2: key = GroupKey(receiver: m.destination, receiveClass: 2, source: m.source, tag: MPI.anyTag)
            default: key = GroupKey(receiver: m.destination, receiveClass: 3, source: MPI.anySource, tag: MPI.anyTag)
            }
            let group: Int
            if let existing = groupIndex[key] {
                group = existing
            } else {
                group = plan.groups.count
                groupIndex[key] = group
                plan.groups.append(ReceiveGroup(receiver: key.receiver, receiveClass: key.receiveClass,
                                                source: key.source, tag: key.tag))
            }
            plan.groups[group].members.append(index)
            plan.groups[group].largest = max(plan.groups[group].largest, m.size)
            plan.messages[index].group = group
        }

        // How many of each group's messages go to receives posted in phase A.
        for index in plan.groups.indices where plan.groups[index].receiveClass != 3 {
            let n = plan.groups[index].members.count
            switch plan.groups[index].receiveClass {
            case 1:
                plan.groups[index].posted = g.percent(60) ? n : 0
            default:
                let choice = g.below(4)
                plan.groups[index].posted = choice < 2 ? n : choice == 2 ? 0 : g.below(n + 1)
            }
        }
        // Any-any receives may be posted in phase A only after every other
        // receive of their receiver, so only if all of those are posted.
        for index in plan.groups.indices where plan.groups[index].receiveClass == 3 {
            let wanted = g.percent(60)
            let receiver = plan.groups[index].receiver
            let othersPosted = plan.groups.allSatisfy { $0.receiver != receiver || $0.receiveClass == 3 || $0.isFullyPosted }
            plan.groups[index].posted = wanted && othersPosted ? plan.groups[index].members.count : 0
        }

        // Blocking sends only into fully posted groups.
        for index in plan.messages.indices where plan.groups[plan.messages[index].group].isFullyPosted {
            plan.messages[index].mode = StressSendMode(rawValue: g.below(3))!
        }

        // Each sender's order: isends, then blocking sends; sequence numbers follow it.
        var sendOrder = [[Int]](repeating: [], count: size)
        for index in plan.messages.indices where plan.messages[index].mode == .isend {
            sendOrder[plan.messages[index].source].append(index)
        }
        for index in plan.messages.indices where plan.messages[index].mode != .isend {
            sendOrder[plan.messages[index].source].append(index)
        }
        for source in 0..<size {
            for (position, index) in sendOrder[source].enumerated() {
                let m = plan.messages[index]
                let key = StreamKey(source: m.source, destination: m.destination, tag: m.tag)
                let sequence = sequences[key, default: 0]
                sequences[key] = sequence &+ 1
                plan.messages[index].sequence = sequence
                plan.messages[index].sendPosition = position
            }
        }
        for index in plan.groups.indices {
            plan.groups[index].members.sort {
                (plan.messages[$0].source, plan.messages[$0].sendPosition)
                    < (plan.messages[$1].source, plan.messages[$1].sendPosition)
            }
        }

        for rank in 0..<size {
            plan.ranks.append(rankPlan(rank, &plan, &g))
        }

        fold(round, plan.afterPhaseA, plan.withinPhaseB, plan.nonblocking, plan.root, Int(truncatingIfNeeded: plan.collectiveSeed))
        for m in plan.messages {
            fold(m.source, m.destination, m.tag, m.size, m.mode.rawValue, Int(m.sequence), Int(truncatingIfNeeded: m.contentSeed))
        }
        for rank in plan.ranks {
            fold(rank.completion, rank.phaseA.count, rank.phaseB.count)
            for operation in rank.phaseA {
                switch operation {
                case .receive(let r): fold(1, r.group, r.message ?? -1, r.capacity, r.variant)
                case .isend(let m): fold(2, m)
                case .nonblockingCollective: fold(3)
                }
            }
            for operation in rank.phaseB {
                switch operation {
                case .receive(let r): fold(4, r.group, r.message ?? -1, r.capacity, r.variant)
                case .send(let m, let variant): fold(5, m, variant)
                case .collective: fold(6)
                }
            }
        }
        return plan
    }

    /// One rank's operations in the round.
    private func rankPlan(_ rank: Int, _ plan: inout RoundPlan, _ g: inout SplitMix64) -> RankPlan {
        var result = RankPlan()
        let mine = plan.groups.indices.filter { plan.groups[$0].receiver == rank }
        let ordinary = mine.filter { plan.groups[$0].receiveClass != 3 }
        let anyAny = mine.filter { plan.groups[$0].receiveClass == 3 }

        /// Receives for `slots` (group indices, in the order they will be
        /// posted or made), the k-th of a group taking member `first + k`.
        func receives(_ slots: [Int], firstMember: (Int) -> Int, variants: Int) -> [PlannedReceive] {
            var taken: [Int: Int] = [:]
            return slots.map { group in
                let k = taken[group, default: 0]
                taken[group] = k + 1
                let groupPlan = plan.groups[group]
                let message: Int? = groupPlan.isOrdered ? groupPlan.members[firstMember(group) + k] : nil
                let base = message.map { plan.messages[$0].size } ?? groupPlan.largest
                return PlannedReceive(group: group, message: message, capacity: base + Self.slack(&g),
                                      variant: g.below(variants))
            }
        }

        // Phase A: posted receives (any-any ones last) merged with this rank's isends.
        var postedSlots = ordinary.flatMap { [Int](repeating: $0, count: plan.groups[$0].posted) }
        g.shuffle(&postedSlots)
        postedSlots += anyAny.flatMap { [Int](repeating: $0, count: plan.groups[$0].posted) }
        let posted = receives(postedSlots, firstMember: { _ in 0 }, variants: 3)
        let isends = plan.messages.indices
            .filter { plan.messages[$0].source == rank && plan.messages[$0].mode == .isend }
            .sorted { plan.messages[$0].sendPosition < plan.messages[$1].sendPosition }
        result.phaseA = g.merge(posted.map { PhaseAOperation.receive($0) }, isends.map { PhaseAOperation.isend($0) })
        if plan.nonblocking >= 0 {
            result.phaseA.insert(.nonblockingCollective, at: g.below(result.phaseA.count + 1))
        }

        // Phase B: blocking receives merged with blocking sends, any-any receives last.
        var blockingSlots = ordinary.flatMap {
            [Int](repeating: $0, count: plan.groups[$0].members.count - plan.groups[$0].posted)
        }
        g.shuffle(&blockingSlots)
        blockingSlots += anyAny.flatMap {
            [Int](repeating: $0, count: plan.groups[$0].members.count - plan.groups[$0].posted)
        }
        let blocking = receives(blockingSlots, firstMember: { plan.groups[$0].posted }, variants: 5)
        let ordinaryCount = blocking.filter { plan.groups[$0.group].receiveClass != 3 }.count
        let blockingSends = plan.messages.indices
            .filter { plan.messages[$0].source == rank && plan.messages[$0].mode != .isend }
            .sorted { plan.messages[$0].sendPosition < plan.messages[$1].sendPosition }
            .map { PhaseBOperation.send($0, variant: g.below(2)) }
        result.phaseB = g.merge(blocking[..<ordinaryCount].map { PhaseBOperation.receive($0) }, blockingSends)
            + blocking[ordinaryCount...].map { PhaseBOperation.receive($0) }
        if plan.withinPhaseB >= 0 {
            result.phaseB.insert(.collective, at: g.below(result.phaseB.count + 1))
        }
        result.completion = g.below(4)
        result.expectedReceives = posted.count + blocking.count
        return result
    }
}

/// What the plan exercised, summed over rounds (the same on every rank).
struct StressCoverage: CustomStringConvertible {
    var modes = [0, 0, 0]
    var classes = [0, 0, 0, 0]
    var empty = 0, belowHeader = 0, mebibyte = 0, nearMebibyte = 0, toSelf = 0
    var posted = 0, blocking = 0
    var postedVariants = [0, 0, 0], blockingVariants = [0, 0, 0, 0, 0], blockingSendSlices = 0
    var collectives = 0, nonblocking = 0, completions = [0, 0, 0, 0]

    mutating func add(_ plan: RoundPlan) {
        for m in plan.messages {
            modes[m.mode.rawValue] += 1
            classes[m.receiveClass] += 1
            if m.size == 0 { empty += 1 }
            if m.size > 0 && m.size < StressWire.headerBytes { belowHeader += 1 }
            if m.size == 1 << 20 { mebibyte += 1 }
            if m.size < 1 << 20 && m.size >= (1 << 20) - 65_536 { nearMebibyte += 1 }
            if m.source == m.destination { toSelf += 1 }
        }
        collectives += 1 + (plan.afterPhaseA >= 0 ? 1 : 0) + (plan.withinPhaseB >= 0 ? 1 : 0)
        nonblocking += plan.nonblocking >= 0 ? 1 : 0
        for rank in plan.ranks {
            completions[rank.completion] += 1
            for case .receive(let r) in rank.phaseA {
                posted += 1
                postedVariants[r.variant] += 1
            }
            for operation in rank.phaseB {
                switch operation {
                case .receive(let r):
                    blocking += 1
                    blockingVariants[r.variant] += 1
                case .send(_, let variant):
                    blockingSendSlices += variant
                case .collective:
                    break
                }
            }
        }
    }

    var description: String {
        "sends: \(modes[0]) isend, \(modes[1]) send, \(modes[2]) synchronousSend (\(blockingSendSlices) of them from "
            + "slices at odd offsets), \(toSelf) to self; sizes: \(empty) empty, \(belowHeader) shorter than the header, "
            + "\(nearMebibyte) within 64 KiB under 1 MiB, \(mebibyte) of exactly 1 MiB; receive patterns: \(classes[0]) "
            + "(source, tag), \(classes[1]) (any source, tag), \(classes[2]) (source, any tag), \(classes[3]) "
            + "(any source, any tag); receives: \(posted) nonblocking (\(postedVariants[0]) new array, "
            + "\(postedVariants[1]) given array, \(postedVariants[2]) unsafe buffer), \(blocking) blocking "
            + "(\(blockingVariants[0]) into a buffer, \(blockingVariants[1]) new array, \(blockingVariants[2]) matched "
            + "probe, \(blockingVariants[3]) probe then receive, \(blockingVariants[4]) polled matched probe); "
            + "completions: \(completions[0]) waitForAll, \(completions[1]) waitForAny, \(completions[2]) "
            + "waitForSome, \(completions[3]) testAll; collectives: \(collectives) blocking, \(nonblocking) nonblocking"
    }
}

// MARK: - Running it

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
