import CMPI

// The MPI C functions of one chapter, groups (MPI 3.1 section 6.3), each wrapped once.
// See MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Group_size`.
    @inlinable @inline(__always)
    internal static func groupSize(_ group: GroupHandle, _ size: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Group_size", MPI_Group_size(group, size))
    }

    /// `MPI_Group_rank`.
    @inlinable @inline(__always)
    internal static func groupRank(_ group: GroupHandle, _ rank: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Group_rank", MPI_Group_rank(group, rank))
    }

    /// `MPI_Group_translate_ranks`.
    @inlinable @inline(__always)
    internal static func groupTranslateRanks(_ group1: GroupHandle, _ n: CInt, _ ranks1: UnsafePointer<CInt>?, _ group2: GroupHandle, _ ranks2: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Group_translate_ranks", MPI_Group_translate_ranks(group1, n, ranks1, group2, ranks2))
    }

    /// `MPI_Group_compare`.
    @inlinable @inline(__always)
    internal static func groupCompare(_ group1: GroupHandle, _ group2: GroupHandle, _ result: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Group_compare", MPI_Group_compare(group1, group2, result))
    }

    /// `MPI_Group_union`.
    @inlinable @inline(__always)
    internal static func groupUnion(_ group1: GroupHandle, _ group2: GroupHandle, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_union", MPI_Group_union(group1, group2, newgroup))
    }

    /// `MPI_Group_intersection`.
    @inlinable @inline(__always)
    internal static func groupIntersection(_ group1: GroupHandle, _ group2: GroupHandle, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_intersection", MPI_Group_intersection(group1, group2, newgroup))
    }

    /// `MPI_Group_difference`.
    @inlinable @inline(__always)
    internal static func groupDifference(_ group1: GroupHandle, _ group2: GroupHandle, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_difference", MPI_Group_difference(group1, group2, newgroup))
    }

    /// `MPI_Group_incl`.
    @inlinable @inline(__always)
    internal static func groupIncl(_ group: GroupHandle, _ n: CInt, _ ranks: UnsafePointer<CInt>?, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_incl", MPI_Group_incl(group, n, ranks, newgroup))
    }

    /// `MPI_Group_excl`.
    @inlinable @inline(__always)
    internal static func groupExcl(_ group: GroupHandle, _ n: CInt, _ ranks: UnsafePointer<CInt>?, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_excl", MPI_Group_excl(group, n, ranks, newgroup))
    }

    /// `MPI_Group_range_incl`.
    @inlinable @inline(__always)
    internal static func groupRangeIncl(_ group: GroupHandle, _ n: CInt, _ ranges: UnsafeMutablePointer<(CInt, CInt, CInt)>?, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_range_incl", MPI_Group_range_incl(group, n, ranges, newgroup))
    }

    /// `MPI_Group_range_excl`.
    @inlinable @inline(__always)
    internal static func groupRangeExcl(_ group: GroupHandle, _ n: CInt, _ ranges: UnsafeMutablePointer<(CInt, CInt, CInt)>?, _ newgroup: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_range_excl", MPI_Group_range_excl(group, n, ranges, newgroup))
    }

    /// `MPI_Group_free`.
    @inlinable @inline(__always)
    internal static func groupFree(_ group: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Group_free", MPI_Group_free(group))
    }

    /// `MPI_Comm_group`.
    @inlinable @inline(__always)
    internal static func commGroup(_ comm: CommunicatorHandle, _ group: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Comm_group", MPI_Comm_group(comm, group))
    }

    /// `MPI_Comm_create`.
    @inlinable @inline(__always)
    internal static func commCreate(_ comm: CommunicatorHandle, _ group: GroupHandle, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Comm_create", MPI_Comm_create(comm, group, newcomm))
    }

    /// `MPI_Comm_create_group`.
    @inlinable @inline(__always)
    internal static func commCreateGroup(_ comm: CommunicatorHandle, _ group: GroupHandle, _ tag: CInt, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Comm_create_group", MPI_Comm_create_group(comm, group, tag, newcomm))
    }
}
