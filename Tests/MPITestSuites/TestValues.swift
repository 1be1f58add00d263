import MPI

/// Element types the collective tests run over, with a deterministic value
/// for each (rank, index) that keeps sums and products exact in every type.
protocol TestValue: MPIElement, Equatable {
    static func make(_ seed: Int) -> Self
}

extension Int8: TestValue { static func make(_ seed: Int) -> Int8 { Int8(truncatingIfNeeded: seed % 7 - 3) } }
extension Int16: TestValue { static func make(_ seed: Int) -> Int16 { Int16(truncatingIfNeeded: seed % 1000 - 500) } }
extension Int32: TestValue { static func make(_ seed: Int) -> Int32 { Int32(truncatingIfNeeded: seed % 100_000 - 50_000) } }
extension Int64: TestValue { static func make(_ seed: Int) -> Int64 { Int64(seed % 1_000_000) - 500_000 } }
extension Int: TestValue { static func make(_ seed: Int) -> Int { seed % 1_000_000 - 500_000 } }
extension UInt8: TestValue { static func make(_ seed: Int) -> UInt8 { UInt8(truncatingIfNeeded: seed % 13) } }
extension UInt16: TestValue { static func make(_ seed: Int) -> UInt16 { UInt16(truncatingIfNeeded: seed % 1000) } }
extension UInt32: TestValue { static func make(_ seed: Int) -> UInt32 { UInt32(truncatingIfNeeded: seed % 100_000) } }
extension UInt64: TestValue { static func make(_ seed: Int) -> UInt64 { UInt64(seed % 1_000_000) } }
extension UInt: TestValue { static func make(_ seed: Int) -> UInt { UInt(seed % 1_000_000) } }
extension Float: TestValue { static func make(_ seed: Int) -> Float { Float(seed % 1000 - 500) } }
extension Double: TestValue { static func make(_ seed: Int) -> Double { Double(seed % 100_000 - 50_000) / 4 } }
extension Bool: TestValue { static func make(_ seed: Int) -> Bool { seed % 3 == 0 } }
#if arch(x86_64) || arch(i386)
extension Float80: TestValue { static func make(_ seed: Int) -> Float80 { Float80(seed % 1000) / 8 } }
#endif

extension ValueAndRank: TestValue where Value: TestValue {
    static func make(_ seed: Int) -> ValueAndRank { ValueAndRank(value: Value.make(seed), rank: seed % 5) }
}

/// Rank `rank`'s contribution of `count` elements (different on every rank).
func contribution<T: TestValue>(_ type: T.Type, rank: Int, count: Int, salt: Int = 0) -> [T] {
    (0..<count).map { T.make($0 &* 31 &+ rank &* 1_009 &+ salt &* 7 &+ 11) }
}

/// Small factors (1, 2 or -1 where signed) so products stay exact.
func factors<T: TestValue & Numeric>(_ type: T.Type, rank: Int, count: Int) -> [T] {
    (0..<count).map { index in
        switch (index + rank) % 3 {
        case 0: return 2
        case 1: return 1
        default: return T(exactly: -1) ?? 1
        }
    }
}

/// The counts every operation runs with: none, one, an odd count.
let smallCounts = [0, 1, 7]
/// At least 1 MiB of Int64 per rank.
let largeCount = 131_072
