// One rank's block of the field: `rows` x `columns` interior cells surrounded
// by a one-cell halo, stored row by row in (rows + 2) x (columns + 2) doubles.

/// How `count` cells split over `parts` ranks: the first `count % parts`
/// ranks get one more. Returns (first cell, number of cells) of part `index`.
func share(_ count: Int, parts: Int, index: Int) -> (first: Int, count: Int) {
    let base = count / parts, extra = count % parts
    return (index * base + min(index, extra), base + (index < extra ? 1 : 0))
}

/// The initial temperature of global cell (row, column) of an n x n grid:
/// smooth, with a hot spot off centre, so the halos carry real data.
func initialTemperature(row: Int, column: Int, n: Int) -> Double {
    let x = (Double(column) + 0.5) / Double(n), y = (Double(row) + 0.5) / Double(n)
    let dx = x - 0.3, dy = y - 0.6
    return 100 * (dx * dx + dy * dy < 0.04 ? 1 : 0) + 10 * x * (1 - y)
}

struct Block {
    let rows: Int
    let columns: Int
    /// The global row and column of interior cell (0, 0).
    let firstRow: Int
    let firstColumn: Int
    /// (rows + 2) x (columns + 2), halo included; the halo starts at 0, the
    /// fixed temperature outside a non-periodic edge.
    var cells: [Double]

    var stride: Int { columns + 2 }

    init(rows: Int, columns: Int, firstRow: Int, firstColumn: Int, n: Int) {
        self.rows = rows
        self.columns = columns
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        cells = [Double](repeating: 0, count: (rows + 2) * (columns + 2))
        for r in 0..<rows {
            for c in 0..<columns {
                cells[(r + 1) * (columns + 2) + c + 1] = initialTemperature(row: firstRow + r, column: firstColumn + c, n: n)
            }
        }
    }

    /// The four edges in the order MPI lists a 2-D Cartesian rank's
    /// neighbours: the row above (dimension 0, -1), the row below (+1), the
    /// column on the left (dimension 1, -1), the column on the right (+1).
    /// Edge j is sent to neighbour j, and the halo on side j is received from it.
    var edgeCounts: [Int] { [columns, columns, rows, rows] }

    /// Copies interior edge `side` into `buffer` (edgeCounts[side] doubles).
    func copyEdge(_ side: Int, into buffer: UnsafeMutableBufferPointer<Double>) {
        cells.withUnsafeBufferPointer { cells in
            switch side {
            case 0: for c in 0..<columns { buffer[c] = cells[stride + c + 1] }
            case 1: for c in 0..<columns { buffer[c] = cells[rows * stride + c + 1] }
            case 2: for r in 0..<rows { buffer[r] = cells[(r + 1) * stride + 1] }
            default: for r in 0..<rows { buffer[r] = cells[(r + 1) * stride + columns] }
            }
        }
    }

    /// Writes `buffer` into the halo on side `side`.
    mutating func fillHalo(_ side: Int, from buffer: UnsafeBufferPointer<Double>) {
        let rows = rows, columns = columns, stride = stride
        cells.withUnsafeMutableBufferPointer { cells in
            switch side {
            case 0: for c in 0..<columns { cells[c + 1] = buffer[c] }
            case 1: for c in 0..<columns { cells[(rows + 1) * stride + c + 1] = buffer[c] }
            case 2: for r in 0..<rows { cells[(r + 1) * stride] = buffer[r] }
            default: for r in 0..<rows { cells[(r + 1) * stride + columns + 1] = buffer[r] }
            }
        }
    }

    /// One explicit step of the heat equation into `next` (same shape; its
    /// halo is not touched). Returns the sum of squared changes.
    func step(into next: inout Block, alpha: Double) -> Double {
        let rows = rows, columns = columns, stride = stride
        var change = 0.0
        cells.withUnsafeBufferPointer { u in
            next.cells.withUnsafeMutableBufferPointer { v in
                for r in 1...max(rows, 1) where r <= rows {
                    let row = r * stride
                    for c in 1...max(columns, 1) where c <= columns {
                        let i = row + c
                        let centre = u[i]
                        let updated = centre + alpha * (u[i - stride] + u[i + stride] + u[i - 1] + u[i + 1] - 4 * centre)
                        v[i] = updated
                        change += (updated - centre) * (updated - centre)
                    }
                }
            }
        }
        return change
    }

    /// The interior, row by row.
    var interior: [Double] {
        var result = [Double]()
        result.reserveCapacity(rows * columns)
        for r in 0..<rows {
            let start = (r + 1) * stride + 1
            result += cells[start..<(start + columns)]
        }
        return result
    }
}
