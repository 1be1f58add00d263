import CMPI

/// A communicator whose processes form a Cartesian grid (MPI_Cart_create).
///
/// ``communicator`` is the new communicator with the topology: the
/// neighbourhood collectives are called on it, and `rank` is this process's
/// rank there (which may differ from the parent's when reordered).
public final class CartesianGrid: @unchecked Sendable {
    /// The communicator with the Cartesian topology.
    public let communicator: Communicator
    /// The number of processes along each dimension.
    public let dimensions: [Int]
    /// Whether each dimension wraps around.
    public let periodic: [Bool]
    /// This process's coordinates.
    public let coordinates: [Int]

    /// Wraps a communicator with a Cartesian topology, reading it back.
    ///
    /// The corresponding C functions are `MPI_Cartdim_get` and `MPI_Cart_get`.
    internal init(_ communicator: Communicator) throws {
        var count: CInt = 0
        try MPIC.cartdimGet(communicator.handle, &count)
        var dims = [CInt](repeating: 0, count: max(Int(count), 1))
        var periods = dims, coords = dims
        try MPIC.cartGet(communicator.handle, count, &dims, &periods, &coords)
        self.communicator = communicator
        dimensions = dims.prefix(Int(count)).map(Int.init)
        periodic = periods.prefix(Int(count)).map { $0 != 0 }
        coordinates = coords.prefix(Int(count)).map(Int.init)
        if communicator.neighborhood == nil {
            try communicator.recordCartesianNeighborhood(dimensions: dimensions, periodic: periodic)
        }
    }

    /// This process's rank in ``communicator``.
    public var rank: Int { communicator.rank }
    /// The number of processes in the grid.
    public var size: Int { communicator.size }

    /// The rank of the process at `coordinates`; on periodic dimensions
    /// coordinates outside the grid wrap, on others they throw.
    ///
    /// The corresponding C function is `MPI_Cart_rank`.
    public func rank(at coordinates: [Int]) throws -> Int {
        let operation: StaticString = "MPI_Cart_rank"
        guard coordinates.count == dimensions.count else {
            throw MPIError.invalidArgument("coordinates", coordinates,
                                           "must have one coordinate for each of the \(dimensions.count) dimensions",
                                           errorClass: .argument, operation: operation)
        }
        var coords = [CInt]()
        coords.reserveCapacity(max(dimensions.count, 1))
        for (index, value) in coordinates.enumerated() {
            let size = dimensions[index]
            if periodic[index] {
                coords.append(CInt(((value % size) + size) % size))
            } else {
                guard value >= 0 && value < size else {
                    throw MPIError.invalidArgument("coordinates[\(index)]", value,
                                                   "must be in 0..<\(size) (dimension \(index) is not periodic)",
                                                   errorClass: .argument, operation: operation)
                }
                coords.append(CInt(value))
            }
        }
        if coords.isEmpty { coords.append(0) }
        var result: CInt = 0
        try MPIC.cartRank(communicator.handle, coords, &result)
        return Int(result)
    }

    /// The coordinates of `rank`.
    ///
    /// The corresponding C function is `MPI_Cart_coords`.
    public func coordinates(of rank: Int) throws -> [Int] {
        guard rank >= 0 && rank < size else {
            throw MPIError.invalidArgument("rank", rank, "must be a rank in 0..<\(size)", errorClass: .rank,
                                           operation: "MPI_Cart_coords")
        }
        var coords = [CInt](repeating: 0, count: max(dimensions.count, 1))
        try MPIC.cartCoords(communicator.handle, CInt(rank), CInt(dimensions.count), &coords)
        return coords.prefix(dimensions.count).map(Int.init)
    }

    /// The ranks `displacement` steps back (`source`) and forward
    /// (`destination`) along `dimension`; ``MPI/processNull`` past the edge
    /// of a non-periodic dimension.
    ///
    /// The corresponding C function is `MPI_Cart_shift`.
    public func shift(dimension: Int, by displacement: Int = 1) throws -> (source: Int, destination: Int) {
        let operation: StaticString = "MPI_Cart_shift"
        guard dimensions.indices.contains(dimension) else {
            throw MPIError.invalidArgument("dimension", dimension, "must be in 0..<\(dimensions.count)",
                                           errorClass: .argument, operation: operation)
        }
        let displacement = try checkedCInt(displacement, "displacement", operation: operation)
        var source: CInt = 0, destination: CInt = 0
        try MPIC.cartShift(communicator.handle, CInt(dimension), displacement, &source, &destination)
        return (Wildcards.swiftRank(source), Wildcards.swiftRank(destination))
    }

    /// The grid of the processes that share this process's coordinates in
    /// the dimensions not kept (one sub-grid per such slice).
    ///
    /// The corresponding C function is `MPI_Cart_sub`.
    public func subgrid(keeping: [Bool]) throws -> CartesianGrid {
        guard keeping.count == dimensions.count else {
            throw MPIError.invalidArgument("keeping", keeping,
                                           "must have one entry for each of the \(dimensions.count) dimensions",
                                           errorClass: .argument, operation: "MPI_Cart_sub")
        }
        var remain = keeping.map { CInt($0 ? 1 : 0) }
        if remain.isEmpty { remain.append(0) }
        var new = cmpi_comm_null()
        try MPIC.cartSub(communicator.handle, remain, &new)
        return try CartesianGrid(Communicator(adopting: new))
    }
}

extension CartesianGrid: CustomStringConvertible {
    public var description: String {
        "Cartesian grid \(dimensions) periodic \(periodic), rank \(rank) at \(coordinates)"
    }
}

extension Communicator {
    /// Arranges the communicator's processes in a Cartesian grid of
    /// `dimensions` (whose product must be the communicator's size), periodic
    /// where `periodic` says; with `reorder` MPI may renumber the processes.
    ///
    /// The corresponding C function is `MPI_Cart_create`.
    public func cartesianGrid(dimensions: [Int], periodic: [Bool], reorder: Bool = false) throws -> CartesianGrid {
        try checkGrid(dimensions, periodic, partial: false)
        guard let grid = try makeGrid(dimensions, periodic, reorder) else {
            throw MPIError(errorClass: .internal, message: "MPI_Cart_create excluded a process of a full grid",
                           operation: "MPI_Cart_create")
        }
        return grid
    }

    /// A Cartesian grid over the first processes only: the product of
    /// `dimensions` may be less than the size, and the processes left out
    /// get nil.
    ///
    /// The corresponding C function is `MPI_Cart_create`.
    public func partialCartesianGrid(dimensions: [Int], periodic: [Bool], reorder: Bool = false) throws -> CartesianGrid? {
        try checkGrid(dimensions, periodic, partial: true)
        return try makeGrid(dimensions, periodic, reorder)
    }

    /// The rank this process would have in a Cartesian grid of `dimensions`
    /// (``MPI/processNull`` when outside it), as MPI would map it.
    ///
    /// The corresponding C function is `MPI_Cart_map`.
    public func cartesianMappedRank(dimensions: [Int], periodic: [Bool]) throws -> Int {
        try checkGrid(dimensions, periodic, partial: true)
        let dims = dimensions.map { CInt($0) } + (dimensions.isEmpty ? [0] : [])
        let periods = periodic.map { CInt($0 ? 1 : 0) } + (periodic.isEmpty ? [0] : [])
        var result: CInt = 0
        try MPIC.cartMap(handle, CInt(dimensions.count), dims, periods, &result)
        return result == cmpi_undefined() ? MPI.processNull : Int(result)
    }

    private func checkGrid(_ dimensions: [Int], _ periodic: [Bool], partial: Bool) throws {
        let operation: StaticString = "MPI_Cart_create"
        var product = 1
        for (index, size) in dimensions.enumerated() {
            guard size > 0 else {
                throw MPIError.invalidArgument("dimensions", dimensions, "must be positive (dimensions[\(index)] = \(size))",
                                               errorClass: .argument, operation: operation)
            }
            product = product.multipliedReportingOverflow(by: size).overflow ? Int.max : product * size
        }
        guard partial ? product <= size : product == size else {
            throw MPIError.invalidArgument("dimensions", dimensions,
                "must multiply to \(partial ? "at most " : "")the communicator's size \(size), not \(product)",
                errorClass: .argument, operation: operation)
        }
        guard periodic.count == dimensions.count else {
            throw MPIError.invalidArgument("periodic", periodic,
                "must have one entry for each of the \(dimensions.count) dimensions, not \(periodic.count)",
                errorClass: .argument, operation: operation)
        }
    }

    private func makeGrid(_ dimensions: [Int], _ periodic: [Bool], _ reorder: Bool) throws -> CartesianGrid? {
        let dims = dimensions.map { CInt($0) } + (dimensions.isEmpty ? [0] : [])
        let periods = periodic.map { CInt($0 ? 1 : 0) } + (periodic.isEmpty ? [0] : [])
        var new = cmpi_comm_null()
        try MPIC.cartCreate(handle, CInt(dimensions.count), dims, periods, reorder ? 1 : 0, &new)
        guard new != cmpi_comm_null() else { return nil }
        let communicator = try Communicator(adopting: new)
        return try CartesianGrid(communicator)
    }
}
