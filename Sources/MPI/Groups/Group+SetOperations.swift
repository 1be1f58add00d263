import CMPI

// New groups from groups (MPI 3.1 section 6.3.2). All are local.

extension Group {
    /// The processes of this group, then those of `other` not in it.
    ///
    /// The corresponding C function is `MPI_Group_union`.
    public func union(_ other: Group) throws -> Group {
        var new = cmpi_group_null()
        try MPIC.groupUnion(handle, other.handle, &new)
        return try Group(adopting: new)
    }

    /// The processes of this group that are also in `other`, in this group's order.
    ///
    /// The corresponding C function is `MPI_Group_intersection`.
    public func intersection(_ other: Group) throws -> Group {
        var new = cmpi_group_null()
        try MPIC.groupIntersection(handle, other.handle, &new)
        return try Group(adopting: new)
    }

    /// The processes of this group that are not in `other`, in this group's order.
    ///
    /// The corresponding C function is `MPI_Group_difference`.
    public func subtracting(_ other: Group) throws -> Group {
        var new = cmpi_group_null()
        try MPIC.groupDifference(handle, other.handle, &new)
        return try Group(adopting: new)
    }

    /// The processes with `ranks` here, in that order (rank `i` of the new
    /// group is `ranks[i]` here).
    ///
    /// The corresponding C function is `MPI_Group_incl`.
    /// - Parameter ranks: distinct ranks of this group.
    public func including(_ ranks: [Int]) throws -> Group {
        let ranks32 = try checkedRanks(ranks, distinct: true, operation: "MPI_Group_incl")
        var new = cmpi_group_null()
        try MPIC.groupIncl(handle, CInt(ranks32.count), ranks32, &new)
        return try Group(adopting: new)
    }

    /// The processes of this group except those with `ranks`, in this group's order.
    ///
    /// The corresponding C function is `MPI_Group_excl`.
    /// - Parameter ranks: distinct ranks of this group.
    public func excluding(_ ranks: [Int]) throws -> Group {
        let ranks32 = try checkedRanks(ranks, distinct: true, operation: "MPI_Group_excl")
        var new = cmpi_group_null()
        try MPIC.groupExcl(handle, CInt(ranks32.count), ranks32, &new)
        return try Group(adopting: new)
    }

    /// The processes with the ranks of `ranges`, range by range, in order;
    /// e.g. `[stride(from: 0, through: 6, by: 2)]` for ranks 0, 2, 4 and 6.
    ///
    /// The corresponding C function is `MPI_Group_range_incl`.
    /// - Parameter ranges: ranks of this group; no rank in two places. An
    ///   empty range contributes nothing.
    public func including(ranges: [StrideThrough<Int>]) throws -> Group {
        var triplets = try checkedRanges(ranges, operation: "MPI_Group_range_incl")
        var new = cmpi_group_null()
        try MPIC.groupRangeIncl(handle, CInt(triplets.count), &triplets, &new)
        return try Group(adopting: new)
    }

    /// The processes of this group except those with the ranks of `ranges`,
    /// in this group's order.
    ///
    /// The corresponding C function is `MPI_Group_range_excl`.
    /// - Parameter ranges: ranks of this group; no rank in two places.
    public func excluding(ranges: [StrideThrough<Int>]) throws -> Group {
        var triplets = try checkedRanges(ranges, operation: "MPI_Group_range_excl")
        var new = cmpi_group_null()
        try MPIC.groupRangeExcl(handle, CInt(triplets.count), &triplets, &new)
        return try Group(adopting: new)
    }

    /// MPI's (first, last, stride) triplets for `ranges`, read from the
    /// ranks each range produces (a StrideThrough does not expose its
    /// bounds), each checked to be a rank here and named once. Empty ranges
    /// are left out; a range's stride is never zero (Swift refuses to make one).
    internal func checkedRanges(_ ranges: [StrideThrough<Int>], operation: StaticString) throws -> [(CInt, CInt, CInt)] {
        var seen = [Bool](repeating: false, count: size)
        var triplets: [(CInt, CInt, CInt)] = []
        for (index, range) in ranges.enumerated() {
            var first: Int?, second: Int?, last = 0
            // Every rank is in 0..<size and new, so this stops within size + 1 steps.
            for rank in range {
                guard rank >= 0, rank < size else {
                    throw MPIError.invalidArgument("ranges[\(index)]", rank, "must hold ranks of the group, in 0..<\(size)",
                                                   errorClass: .rank, operation: operation)
                }
                guard !seen[rank] else {
                    throw MPIError.invalidArgument("ranges[\(index)]", rank,
                                                   "names a rank already named; each rank may be named once",
                                                   errorClass: .rank, operation: operation)
                }
                seen[rank] = true
                if first == nil { first = rank } else if second == nil { second = rank }
                last = rank
            }
            guard let first else { continue }
            let stride = second.map { $0 - first } ?? 1
            triplets.append((CInt(first), CInt(last), CInt(stride)))
        }
        return triplets
    }
}
