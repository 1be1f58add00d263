import MPI
import Foundation
import BenchmarkLoops

/// What a benchmark prints: OSU's text layout, or JSON (Benchmarks/README.md).
struct Report: Encodable {
    var benchmark: String
    var implementation = "swift"
    var ranks: Int
    var unit = "us"
    var rows: [Row] = []
    private var options: BenchmarkOptions.OutputFormat
    private var full: Bool
    private var title: String = ""

    enum CodingKeys: String, CodingKey { case benchmark, implementation, ranks, unit, rows }

    init(name: String, ranks: Int, options: BenchmarkOptions) {
        self.benchmark = name
        self.ranks = ranks
        self.options = options.format
        self.full = options.full
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
            Swift.print("# \(title) (swift-mpi)")
            Swift.print("# truncation guard: \(MPI.truncationGuard)")
            Swift.print(header)
            for row in rows { Swift.print(line(row)) }
        }
    }

    private var header: String {
        switch benchmark {
        case "latency", "multi_lat": return "# Size          Latency (us)"
        case "bw", "bibw": return "# Size      Bandwidth (MB/s)"
        case "mbw_mr": return "# Size                  MB/s        Messages/s"
        case "iallreduce":
            return "# Size           Overall(us)       Compute(us)    Pure Comm.(us)        Overlap(%)"
        default:
            return full ? "# Size       Avg Latency(us)   Min Latency(us)   Max Latency(us)  Iterations"
                        : "# Size       Avg Latency(us)"
        }
    }

    private func line(_ row: Row) -> String {
        let size = String(row.size).padding(toLength: 10, withPad: " ", startingAt: 0)
        func column(_ value: Double, width: Int = 18) -> String { String(format: "%\(width).2f", value) }
        switch benchmark {
        case "latency", "multi_lat", "bw", "bibw": return size + column(row.value)
        case "mbw_mr": return size + column(row.value) + column(row.messagesPerSecond ?? 0)
        case "iallreduce":
            return size + column(row.overall ?? 0) + column(row.compute ?? 0) + column(row.pure ?? 0) + column(row.overlap ?? 0)
        default:
            guard full else { return size + column(row.value) }
            return size + column(row.value) + column(row.min ?? 0) + column(row.max ?? 0)
                + String(row.iterations).leftPadded(to: 12)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
