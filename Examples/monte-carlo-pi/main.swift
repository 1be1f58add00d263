// monte-carlo-pi: throws random points into the unit square; the fraction
// that lands inside the quarter circle x² + y² < 1 is about π/4. Each rank
// throws its share with its own generator, and a reduction adds the counts.
// Run: mpirun -np 4 .build/release/monte-carlo-pi [samples] [seed]
//      (samples in total, default 4_000_000; seed default 2024)
import MPI

let arguments = CommandLine.arguments.dropFirst()
let samples = arguments.first.flatMap { Int($0) } ?? 4_000_000
let seed = arguments.dropFirst().first.flatMap { UInt64($0) } ?? 2024
precondition(samples > 0, "monte-carlo-pi: samples must be positive")

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator whose
/// output depends only on its seed, so every run with the same seed and
/// number of ranks gives the same estimate.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1): the top 53 bits, scaled.
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

try MPI.run { world in
    // Each rank needs its own stream: the same seed on every rank would throw
    // the same points size times over. The state advances by the odd constant
    // above, so the streams of seeds s and s + r start at least 7·10¹⁵ draws
    // apart for every r < 1000: ranks' streams never overlap.
    var generator = SplitMix64(seed: seed &+ UInt64(world.rank))

    // The first samples % size ranks throw one point more.
    let mine = samples / world.size + (world.rank < samples % world.size ? 1 : 0)
    var hits = 0
    for _ in 0..<mine {
        let x = generator.nextUnit(), y = generator.nextUnit()
        if x * x + y * y < 1 { hits += 1 }
    }

    // One reduction of two Ints: hits and samples thrown, both summed. Adding
    // the sample counts checks that the shares add up to `samples`.
    let totals = try world.reduce([hits, mine], .sum, root: 0)
    guard world.rank == 0 else { return }
    precondition(totals[1] == samples, "monte-carlo-pi: \(totals[1]) samples thrown, expected \(samples)")

    // hits is binomial with p = π/4: the estimate 4·hits/samples has standard
    // error 4·√(p(1-p)/samples). A correct run is off by more than 5 standard
    // errors with probability below 10⁻⁶.
    let estimate = 4 * Double(totals[0]) / Double(samples)
    let p = Double.pi / 4
    let standardError = 4 * (p * (1 - p) / Double(samples)).squareRoot()
    let error = estimate - Double.pi
    print("monte-carlo-pi: \(estimate) from \(samples) samples on \(world.size) ranks (seed \(seed))")
    print("monte-carlo-pi: error \(error), standard error \(standardError)")
    precondition(abs(error) < 5 * standardError,
                 "monte-carlo-pi: error \(error) is more than 5 standard errors (\(5 * standardError))")
    print("monte-carlo-pi: within 5 standard errors of pi")
}
