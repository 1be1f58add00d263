import CMPI

extension Group {
    /// The ranks in `other` of the processes with `ranks` here; nil for a
    /// process that is not in `other`.
    ///
    /// The corresponding C function is `MPI_Group_translate_ranks`.
    /// - Parameter ranks: ranks of this group, each in 0..<size.
    public func translateRanks(_ ranks: [Int], to other: Group) throws -> [Int?] {
        let ranks32 = try checkedRanks(ranks, distinct: false, operation: "MPI_Group_translate_ranks")
        var translated = [CInt](repeating: 0, count: ranks32.count)
        try MPIC.groupTranslateRanks(handle, CInt(ranks32.count), ranks32, other.handle, &translated)
        let undefined = cmpi_undefined()
        return translated.map { $0 == undefined ? nil : Int($0) }
    }

    /// Ranks of this group as MPI takes them: each in 0..<size and, where MPI
    /// requires it, none twice.
    internal func checkedRanks(_ ranks: [Int], _ name: String = "ranks", distinct: Bool,
                               operation: StaticString) throws -> [CInt] {
        var seen = distinct ? [Bool](repeating: false, count: size) : []
        return try ranks.map { rank in
            guard rank >= 0, rank < size else {
                throw MPIError.invalidArgument(name, rank, "must be a rank of the group, in 0..<\(size)",
                                               errorClass: .rank, operation: operation)
            }
            if distinct {
                guard !seen[rank] else {
                    throw MPIError.invalidArgument(name, rank, "appears more than once; each rank may be named once",
                                                   errorClass: .rank, operation: operation)
                }
                seen[rank] = true
            }
            return CInt(rank)
        }
    }
}
