import ArgumentParser

/// OSU's options, shared by every benchmark.
struct BenchmarkOptions: ParsableArguments {
    @Option(name: .customShort("m"), help: "Message sizes in bytes: MIN:MAX, or MAX.")
    var sizes: String?

    @Option(name: .customShort("i"), help: "Timed iterations (default: OSU's, fewer above 8 KiB).")
    var iterations: Int?

    @Option(name: .customShort("x"), help: "Warm-up iterations (default: OSU's, fewer above 8 KiB).")
    var warmup: Int?

    @Option(name: .customShort("W"), help: "Window of messages in flight, for bandwidth tests.")
    var window: Int = 64

    @Flag(name: .customShort("f"), help: "Full output: minimum and maximum latency and iterations.")
    var full = false

    @Flag(name: .customLong("unsafe"),
          help: "Receive through unsafeReceive/unsafeIreceive (no truncation guard) in latency, bw, bibw, mbw_mr, multi_lat.")
    var unsafe = false

    @Option(help: "text (OSU's layout) or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument {
        case text, json
    }

    /// OSU switches to fewer iterations for messages larger than 8 KiB.
    static let largeMessageSize = 8192

    /// Powers of two from the minimum to the maximum size (0 first when the
    /// minimum is 0). `-m` takes MIN:MAX, MAX, MIN: or :MAX, as OSU does.
    func messageSizes(minimum defaultMinimum: Int, maximum defaultMaximum: Int) throws -> [Int] {
        var minimum = defaultMinimum, maximum = defaultMaximum
        if let sizes {
            let parts = sizes.split(separator: ":", omittingEmptySubsequences: false)
            let numbers = parts.map { $0.isEmpty ? nil : Int($0) }
            switch parts.count {
            case 1 where numbers[0] != nil: maximum = numbers[0]!
            case 2 where (parts[0].isEmpty || numbers[0] != nil) && (parts[1].isEmpty || numbers[1] != nil):
                if let first = numbers[0] { minimum = first }
                if let second = numbers[1] { maximum = second }
            default: throw ValidationError("-m takes MIN:MAX or MAX in bytes, not \(sizes)")
            }
        }
        guard minimum >= 0, maximum >= minimum else { throw ValidationError("-m \(minimum):\(maximum) is not a range") }
        var result = minimum == 0 ? [0] : []
        var size = max(minimum, 1)
        while size <= maximum {
            result.append(size)
            size *= 2
        }
        return result
    }

    /// Timed and warm-up iterations for `size`, OSU's defaults unless given.
    func counts(for size: Int, small: (Int, Int), large: (Int, Int)) -> (iterations: Int, warmup: Int) {
        let defaults = size > Self.largeMessageSize ? large : small
        return (iterations ?? defaults.0, warmup ?? defaults.1)
    }
}
