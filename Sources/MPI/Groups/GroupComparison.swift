import CMPI

/// How two groups relate (MPI_Group_compare).
public enum GroupComparison: Sendable, Equatable {
    /// MPI_IDENT: the same processes in the same order.
    case identical
    /// MPI_SIMILAR: the same processes in another order.
    case similar
    /// MPI_UNEQUAL: different processes.
    case unequal
}

extension Group {
    /// How this group relates to `other`.
    ///
    /// The corresponding C function is `MPI_Group_compare`.
    public func compare(with other: Group) throws -> GroupComparison {
        var result: CInt = 0
        try MPIC.groupCompare(handle, other.handle, &result)
        switch result {
        case cmpi_ident(): return .identical
        case cmpi_similar(): return .similar
        default: return .unequal
        }
    }
}
