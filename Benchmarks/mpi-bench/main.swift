// mpi-bench: OSU-method micro-benchmarks written against the public API.
//
//   mpirun -np 2 mpi-bench latency [-m MIN:MAX] [-i ITERATIONS] [-x WARMUP]
//
// latency: ping-pong between ranks 0 and 1; one-way latency is half the
// round trip, averaged over the timed iterations (OSU 7.x's osu_latency).
import MPI
import Foundation

struct LatencyOptions {
    var minimumSize = 0
    var maximumSize = 1 << 22
    var iterations = 10_000
    var warmup = 1_000
    /// OSU switches to fewer iterations above 8 KiB.
    let largeMessageSize = 8192
    var largeIterations = 1_000
    var largeWarmup = 100

    init(_ arguments: ArraySlice<String>) throws {
        var arguments = arguments
        while let option = arguments.popFirst() {
            guard let value = arguments.popFirst() else { throw usage("missing value for \(option)") }
            switch option {
            case "-m":
                let parts = value.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard parts.count <= 2, let first = parts.first, let minimum = first else { throw usage("bad -m \(value)") }
                if parts.count == 2 {
                    guard let maximum = parts[1] else { throw usage("bad -m \(value)") }
                    minimumSize = minimum
                    maximumSize = maximum
                } else {
                    maximumSize = minimum
                }
            case "-i":
                guard let count = Int(value), count > 0 else { throw usage("bad -i \(value)") }
                iterations = count
                largeIterations = count
            case "-x":
                guard let count = Int(value), count >= 0 else { throw usage("bad -x \(value)") }
                warmup = count
                largeWarmup = count
            default:
                throw usage("unknown option \(option)")
            }
        }
    }
}

struct UsageError: Error, CustomStringConvertible { let description: String }
func usage(_ problem: String) -> UsageError {
    UsageError(description: "\(problem)\nusage: mpi-bench latency [-m MIN:MAX] [-i ITERATIONS] [-x WARMUP]")
}

func latency(_ world: Communicator, _ options: LatencyOptions) throws {
    guard world.size >= 2 else { throw UsageError(description: "latency needs 2 ranks") }
    if world.rank == 0 {
        print("# OSU MPI Latency Test (swift-mpi)")
        print("# Size          Latency (us)")
    }
    var sizes = options.minimumSize == 0 ? [0] : []
    var size = max(options.minimumSize, 1)
    while size <= options.maximumSize { sizes.append(size); size *= 2 }

    let outgoing = [UInt8](repeating: 1, count: options.maximumSize)
    let incoming = [UInt8](repeating: 0, count: options.maximumSize)
    for size in sizes {
        let large = size > options.largeMessageSize
        let iterations = large ? options.largeIterations : options.iterations
        let warmup = large ? options.largeWarmup : options.warmup
        let message = outgoing[..<size]
        var target = incoming[..<size]
        try world.barrier()
        var start = 0.0
        for iteration in 0..<(iterations + warmup) {
            if iteration == warmup { start = try MPI.wallTime() }
            if world.rank == 0 {
                try world.send(message, to: 1, tag: 1)
                try world.receive(into: &target, from: 1, tag: 1)
            } else if world.rank == 1 {
                try world.receive(into: &target, from: 0, tag: 1)
                try world.send(message, to: 0, tag: 1)
            }
        }
        let elapsed = try MPI.wallTime() - start
        if world.rank == 0 {
            let microseconds = elapsed * 1e6 / Double(2 * iterations)
            let sizeColumn = String(size).padding(toLength: 8, withPad: " ", startingAt: 0)
            print("\(sizeColumn)\(String(format: "%18.2f", microseconds))")
        }
    }
}

let arguments = CommandLine.arguments.dropFirst()
guard let benchmark = arguments.first, benchmark == "latency" else {
    print(usage("name a benchmark").description)
    exit(2)
}
let options = try LatencyOptions(arguments.dropFirst())
try MPI.run { world in try latency(world, options) }
