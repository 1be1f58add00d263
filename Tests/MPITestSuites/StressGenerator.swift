import MPI

// Randomized traffic with nothing lost: the generator every rank plans from.
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
