import Histogram

/// Per-iteration times of one message size, for the median and 99th percentile.
public struct IterationTimes {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000_000, numberOfSignificantValueDigits: .three)

    public init() {}

    /// Records one iteration that took `seconds` (no allocation).
    public mutating func record(seconds: Double) {
        _ = histogram.record(UInt64(max(0, seconds) * 1e9))
    }

    /// The median, in microseconds.
    public var median: Double { Double(histogram.valueAtPercentile(50)) / 1000 }
    /// The 99th percentile, in microseconds.
    public var p99: Double { Double(histogram.valueAtPercentile(99)) / 1000 }
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

    public init(
        size: Int, value: Double, median: Double, p99: Double, min: Double? = nil, max: Double? = nil,
        iterations: Int, messagesPerSecond: Double? = nil, overall: Double? = nil, compute: Double? = nil,
        pure: Double? = nil, overlap: Double? = nil
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
    }

    enum CodingKeys: String, CodingKey {
        case size, value, median, p99, min, max, iterations
        case messagesPerSecond = "messages_per_second"
        case overall, compute, pure, overlap
    }
}
