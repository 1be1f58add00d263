import MPI
import Foundation
import BenchmarkLoops

/// What a benchmark prints: OSU's text layout, or JSON (Benchmarks/README.md).
struct Report: Encodable {
    var benchmark: String
    var implementation = "swift"
    var ranks: Int
    var unit = "us"
    /// How the benchmark's receives are guarded: MPI.truncationGuard's case
    /// ("guarded" or "unneeded"), or "unsafe" with --unsafe (point-to-point).
    var truncationGuard: String
    var rows: [Row] = []
    /// Lines printed after the title in text (osu_mbw_mr's pairs and window).
    var headerLines: [String] = []
    /// The object benchmarks' payload (Objects.swift), and each row's encoded size in bytes (by row size).
    var payload: String?
    var encodedBytes: [String: Int] = [:]
    /// The particle benchmarks' layout: stride, the MPI type's size and extent.
    var layout: [String: Int]?
    private var options: BenchmarkOptions.OutputFormat
    private var full: Bool
    private var title: String = ""

    enum CodingKeys: String, CodingKey {
        case benchmark, implementation, ranks, unit, rows, payload, layout
        case truncationGuard = "truncation_guard"
        case encodedBytes = "encoded_bytes"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(benchmark, forKey: .benchmark)
        try container.encode(implementation, forKey: .implementation)
        try container.encode(ranks, forKey: .ranks)
        try container.encode(unit, forKey: .unit)
        try container.encode(rows, forKey: .rows)
        try container.encode(truncationGuard, forKey: .truncationGuard)
        try container.encodeIfPresent(payload, forKey: .payload)
        try container.encodeIfPresent(layout, forKey: .layout)
        if !encodedBytes.isEmpty { try container.encode(encodedBytes, forKey: .encodedBytes) }
    }

    static let pointToPoint: Set<String> = ["latency", "bw", "bibw", "mbw_mr", "multi_lat"]

    init(name: String, ranks: Int, options: BenchmarkOptions) {
        self.benchmark = name
        self.ranks = ranks
        self.options = options.format
        self.full = options.full
        if options.unsafe && Self.pointToPoint.contains(name) {
            truncationGuard = "unsafe"
        } else {
            switch MPI.truncationGuard {
            case .guarded: truncationGuard = "guarded"
            case .unneeded: truncationGuard = "unneeded"
            }
        }
    }


    mutating func describe(title: String, unit: String) {
        self.title = title
        self.unit = unit
    }

    mutating func append(_ row: Row) { rows.append(row) }

    func print() {
        switch options {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) {
                Swift.print(text)
            }
        case .text:
            Swift.print("# \(title) (swift-mpi, OSU 7.4's method)")
            if truncationGuard == "unsafe" {
                Swift.print("# truncation guard: unsafe (--unsafe: unsafeReceive, unsafeIreceive)")
            } else {
                Swift.print("# truncation guard: \(MPI.truncationGuard)")
            }
            for line in headerLines { Swift.print(line) }
            if let payload { Swift.print("# Payload: \(payload)") }
            if let layout { Swift.print("# Layout: \(layout.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))") }
            if benchmark != "barrier" { Swift.print("# Datatype: \(datatype).") }
            if benchmark == "iallreduce" { Swift.print("# Overall = Coll. Init + Compute + MPI_Wait\n") }
            Swift.print(header)
            for row in rows { Swift.print(line(row)) }
        }
    }

    /// The MPI datatype of the benchmark's elements (UInt8, or Float for reductions).
    private var datatype: String {
        if benchmark.hasPrefix("object-") { return payload?.hasSuffix("(typed [Double])") == true ? "MPI_DOUBLE" : "object (MPI_BYTE)" }
        if benchmark.hasPrefix("particle-") { return payload == "particles" ? "Particle (struct)" : "MPI_UINT8_T" }
        return ["reduce", "allreduce", "reduce_scatter", "iallreduce"].contains(benchmark) ? "MPI_FLOAT" : "MPI_UINT8_T"
    }

    // OSU 7.4's layout: sizes in 10 columns, figures in 18 (its configure's FIELD_WIDTH).
    private static func field(_ text: String, width: Int = 18) -> String { text.leftPadded(to: width) }

    private var header: String {
        let size = "# Size".padding(toLength: 10, withPad: " ", startingAt: 0)
        let full = self.full
            ? Self.field("Min Latency(us)") + Self.field("Max Latency(us)") + Self.field("Iterations", width: 12) : ""
        switch benchmark {
        case "latency", "multi_lat", "object-latency", "particle-latency": return size + Self.field("Avg Latency(us)")
        case "put_latency", "get_latency", "acc_latency": return size + Self.field("Latency (us)")
        case "bw", "bibw", "put_bw", "get_bw": return size + Self.field("Bandwidth (MB/s)")
        case "mbw_mr": return size + Self.field("MB/s") + Self.field("Messages/s")
        case "iallreduce":
            return size + Self.field("Overall(us)") + Self.field("Compute(us)") + Self.field("Pure Comm.(us)")
                + Self.field("Overlap(%)")
                + (self.full ? Self.field("Min Overall(us)") + Self.field("Max Overall(us)") + Self.field("Iterations", width: 12) : "")
        case "barrier": return "# Avg Latency(us)" + full
        default: return size + Self.field("Avg Latency(us)") + full
        }
    }

    private func line(_ row: Row) -> String {
        let size = String(row.size).padding(toLength: 10, withPad: " ", startingAt: 0)
        func column(_ value: Double, width: Int = 18) -> String { String(format: "%\(width).2f", value) }
        let full = self.full
            ? column(row.min ?? 0) + column(row.max ?? 0) + String(row.iterations).leftPadded(to: 12) : ""
        switch benchmark {
        case "latency", "multi_lat", "bw", "bibw", "object-latency", "particle-latency",
             "put_latency", "get_latency", "acc_latency", "put_bw", "get_bw":
            return size + column(row.value)
        case "mbw_mr": return size + column(row.value) + column(row.messagesPerSecond ?? 0)
        case "iallreduce":
            return size + column(row.overall ?? 0) + column(row.compute ?? 0) + column(row.pure ?? 0)
                + column(row.overlap ?? 0) + full
        case "barrier": return column(row.value, width: 17) + full
        default: return size + column(row.value) + full
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
