import MPI

// The plan every rank derives alike from the seed, round by round (the
// structure that keeps it free of deadlock is at the top of StressGenerator.swift).

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

