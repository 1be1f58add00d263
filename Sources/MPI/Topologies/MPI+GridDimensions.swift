import CMPI

extension MPI {
    /// A balanced grid of `count` dimensions for `processes` processes: the
    /// sizes multiply to `processes` and do not increase.
    ///
    /// The corresponding C function is `MPI_Dims_create`.
    public static func gridDimensions(processes: Int, count: Int) throws -> [Int] {
        guard count >= 0 else {
            throw MPIError.invalidArgument("count", count, "must not be negative", errorClass: .argument,
                                           operation: "MPI_Dims_create")
        }
        return try gridDimensions(processes: processes, fixed: [Int?](repeating: nil, count: count))
    }

    /// A balanced grid for `processes` processes in which the non-nil entries
    /// of `fixed` keep their sizes and the nil ones are chosen (in
    /// non-increasing order).
    ///
    /// The corresponding C function is `MPI_Dims_create`.
    public static func gridDimensions(processes: Int, fixed: [Int?]) throws -> [Int] {
        let operation: StaticString = "MPI_Dims_create"
        guard processes > 0, processes <= Int(CInt.max) else {
            throw MPIError.invalidArgument("processes", processes, "must be in 1...\(CInt.max)", errorClass: .argument,
                                           operation: operation)
        }
        let ndims = try checkedCInt(fixed.count, "fixed.count", operation: operation)
        var product = 1
        for (index, size) in fixed.enumerated() {
            guard let size else { continue }
            guard size > 0 else {
                throw MPIError.invalidArgument("fixed[\(index)]", size, "must be positive (nil lets MPI choose)",
                                               errorClass: .argument, operation: operation)
            }
            product *= size
            guard processes % product == 0 else {
                throw MPIError.invalidArgument("fixed", fixed.map { $0.map(String.init) ?? "nil" },
                                               "must have sizes whose product divides processes = \(processes)",
                                               errorClass: .argument, operation: operation)
            }
        }
        if fixed.allSatisfy({ $0 != nil }) && product != processes {
            throw MPIError.invalidArgument("fixed", fixed.map { $0.map(String.init) ?? "nil" },
                                           "must multiply to processes = \(processes) when no size is free (a grid of no dimensions holds 1 process)",
                                           errorClass: .argument, operation: operation)
        }
        if fixed.isEmpty { return [] }
        var dims = fixed.map { CInt($0 ?? 0) }
        try MPIC.dimsCreate(CInt(processes), ndims, &dims)
        return dims.map(Int.init)
    }
}
