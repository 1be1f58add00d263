// heat2d: the 2-D heat equation on an n x n grid, split over a Cartesian grid
// of ranks, each owning a block and exchanging halos with its four
// neighbours every step. Columns wrap around (periodic in dimension 1) unless
// --periodic 0; rows have a fixed temperature of 0 outside the grid. Every
// --every steps an all-reduce gives the global residual. At the end rank 0
// gathers the field, runs the same steps serially and checks both agree.
//
// Run: mpirun -np 4 .build/release/heat2d [--n 256] [--steps 200] [--every 20]
//                                        [--method persistent|neighbor] [--periodic 1]
import Foundation
import MPI

struct Options {
    var n = 128
    var steps = 200
    var every = 20
    var method = HaloMethod.persistent
    var periodicColumns = true

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else { Options.fail("\(name) needs a value") }
            switch name {
            case "--n": n = Options.positive(name, value)
            case "--steps": steps = Options.positive(name, value)
            case "--every": every = Options.positive(name, value)
            case "--method":
                guard let method = HaloMethod(rawValue: value) else { Options.fail("--method must be persistent or neighbor, not \(value)") }
                self.method = method
            case "--periodic":
                guard value == "0" || value == "1" else { Options.fail("--periodic must be 0 or 1, not \(value)") }
                periodicColumns = value == "1"
            default: Options.fail("unknown option \(name)")
            }
        }
    }

    static func positive(_ name: String, _ value: String) -> Int {
        guard let number = Int(value), number > 0 else { fail("\(name) must be a positive integer, not \(value)") }
        return number
    }

    static func fail(_ message: String) -> Never {
        print("heat2d: \(message)")
        exit(2)
    }
}

/// Stable for the explicit scheme (alpha < 1/4).
let alpha = 0.2

let options = Options(Array(CommandLine.arguments.dropFirst()))

try MPI.run { world in
    let n = options.n
    let dimensions = try MPI.gridDimensions(processes: world.size, count: 2)
    guard n >= dimensions[0] && n >= dimensions[1] else {
        if world.rank == 0 { print("heat2d: --n \(n) is smaller than the grid of ranks \(dimensions)") }
        exit(2)
    }
    let grid = try world.cartesianGrid(dimensions: dimensions, periodic: [false, options.periodicColumns])
    let comm = grid.communicator

    // This rank's block: its share of the rows and of the columns.
    func block(at coordinates: [Int]) -> Block {
        let rows = share(n, parts: dimensions[0], index: coordinates[0])
        let columns = share(n, parts: dimensions[1], index: coordinates[1])
        return Block(rows: rows.count, columns: columns.count, firstRow: rows.first, firstColumn: columns.first, n: n)
    }
    var current = block(at: grid.coordinates)
    var next = current
    let exchange = try options.method.makeExchange(for: current, on: grid)

    var residuals = [Double]()
    try comm.barrier()
    let start = monotonicSeconds()
    for step in 1...options.steps {
        try exchange.exchange(&current)
        let change = current.step(into: &next, alpha: alpha)
        swap(&current, &next)
        if step % options.every == 0 {
            residuals.append(try comm.allReduce(change, .sum).squareRoot())
        }
    }
    let seconds = try comm.allReduce(monotonicSeconds() - start, .max)

    // Gather every block at rank 0 and place it by its rank's coordinates.
    let blocks = try (0..<comm.size).map { block(at: try grid.coordinates(of: $0)) }
    let counts = blocks.map { $0.rows * $0.columns }
    let gathered = try comm.gather(current.interior, counts: counts, root: 0)
    guard comm.rank == 0 else { return }
    var field = [Double](repeating: .nan, count: n * n)
    var offset = 0
    for block in blocks {
        for r in 0..<block.rows {
            for c in 0..<block.columns {
                field[(block.firstRow + r) * n + block.firstColumn + c] = gathered[offset + r * block.columns + c]
            }
        }
        offset += block.rows * block.columns
    }

    let serial = serialRun(n: n, steps: options.steps, every: options.every, alpha: alpha,
                           periodicColumns: options.periodicColumns)
    let maxDifference = zip(field, serial.field).map { abs($0 - $1) }.max() ?? 0
    let residualDifference = zip(residuals, serial.residuals).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
    let updates = Double(n * n * options.steps)
    print("heat2d: \(n) x \(n) grid, \(options.steps) steps, \(world.size) ranks as \(dimensions[0]) x \(dimensions[1]), "
          + "halo by \(options.method.rawValue), columns \(options.periodicColumns ? "periodic" : "fixed")")
    print("heat2d: residual every \(options.every) steps: \(residuals.map { String(format: "%.6e", $0) }.joined(separator: " "))")
    print("heat2d: parallel \(String(format: "%.3e", updates / seconds)) cell-updates/s, "
          + "serial \(String(format: "%.3e", updates / serial.seconds)) cell-updates/s")
    print("heat2d: max difference from the serial run \(String(format: "%.3e", maxDifference)), "
          + "residuals relative \(String(format: "%.3e", residualDifference))")
    guard field.allSatisfy({ $0.isFinite }), residuals.count == serial.residuals.count,
          maxDifference <= 1e-12, residualDifference <= 1e-9 else {
        print("heat2d: FAILED: the parallel result differs from the serial run")
        exit(1)
    }
    print("heat2d: matches the serial run")
}
