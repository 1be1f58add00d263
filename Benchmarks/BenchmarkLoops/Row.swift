#if canImport(Glibc)
import Glibc
#endif

/// The timed intervals of one message size (the ones OSU sums): stored raw
/// while timed (a `Double` into memory reserved before the loop, as the C
/// twin stores them), sorted afterwards for the median and 99th percentile.
public struct IterationTimes {
    private var seconds: [Double] = []

    /// Room for `capacity` iterations, so that recording them allocates nothing.
    public init(capacity: Int) {
        // Written now (as the C twin touches its array), so that no page of
        // it is first faulted in while timing; one allocation (appending a
        // repeated element would allocate per element in debug builds).
        seconds = [Double](repeating: 0, count: capacity)
        seconds.removeAll(keepingCapacity: true)
    }

    /// Records one iteration that took `seconds` (no allocation within the capacity).
    public mutating func record(seconds value: Double) {
        seconds.append(value)
    }

    /// The times in increasing order. Sorted with C's qsort, as the C twin
    /// sorts them: the standard library's sort allocates per comparison in
    /// debug builds, where a test counts the loops' allocations.
    private var sorted: [Double] {
        var sorted = seconds
        sorted.withUnsafeMutableBufferPointer { times in
            guard let base = times.baseAddress else { return }
            qsort(base, times.count, MemoryLayout<Double>.stride) { left, right in
                let a = left!.load(as: Double.self), b = right!.load(as: Double.self)
                return a < b ? -1 : a > b ? 1 : 0
            }
        }
        return sorted
    }

    /// The median in microseconds (the mean of the two middle values when
    /// the count is even), as the C twin's bench_percentiles computes it.
    public var median: Double {
        let sorted = self.sorted
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return (sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2) * 1e6
    }

    /// The 99th percentile in microseconds, by nearest rank (the ceil(0.99 n)-th smallest).
    public var p99: Double {
        let sorted = self.sorted
        guard !sorted.isEmpty else { return .nan }
        let rank = min(max((99 * sorted.count + 99) / 100, 1), sorted.count)
        return sorted[rank - 1] * 1e6
    }
}

/// One row of a benchmark's output (Benchmarks/README.md).
public struct Row: Codable {
    public var size: Int
    public var value: Double
    public var median: Double
    public var p99: Double
    public var min: Double?
    public var max: Double?
    public var iterations: Int
    public var messagesPerSecond: Double?
    public var overall: Double?
    public var compute: Double?
    public var pure: Double?
    public var overlap: Double?
    /// The sum of the timed intervals in seconds (not in the JSON): what
    /// osu_mbw_mr and osu_multi_lat average over the pairs.
    public var elapsed: Double = 0

    public init(
        size: Int, value: Double, median: Double, p99: Double, min: Double? = nil, max: Double? = nil,
        iterations: Int, messagesPerSecond: Double? = nil, overall: Double? = nil, compute: Double? = nil,
        pure: Double? = nil, overlap: Double? = nil, elapsed: Double = 0
    ) {
        self.size = size
        self.value = value
        self.median = median
        self.p99 = p99
        self.min = min
        self.max = max
        self.iterations = iterations
        self.messagesPerSecond = messagesPerSecond
        self.overall = overall
        self.compute = compute
        self.pure = pure
        self.overlap = overlap
        self.elapsed = elapsed
    }

    enum CodingKeys: String, CodingKey {
        case size, value, median, p99, min, max, iterations
        case messagesPerSecond = "messages_per_second"
        case overall, compute, pure, overlap
    }
}
