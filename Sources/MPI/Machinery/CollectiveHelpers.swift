import CMPI

// Arithmetic on counts and displacements that the collectives' checks share.

extension Communicator {
    /// The arguments of an in-place scatter or gather: at the root, `buffer`
    /// holds `size` blocks; elsewhere it is one block.
    @inlinable
    internal func rootedInPlaceArguments<Element: MPIElement>(
        _ element: Element.Type, root: Int, bufferCount: Int, operation: StaticString
    ) throws -> (root: CInt, count: CInt) {
        let isRoot = rank == root
        let blockCount = isRoot ? bufferCount / size : bufferCount
        return try collectiveArguments(element, 
            root: root, count: blockCount,
            isRoot ? BufferRequirement("buffer count", bufferCount, dividingAmong: size, atRootOnly: true) : nil,
            operation: operation)
    }

    /// Per-rank values every rank must pass alike, as exactly `size` entries
    /// (so that the verifying reduction has the same length on every rank).
    @usableFromInline
    internal func sharedVector(_ values: [Int], _ name: String) -> [(name: String, value: Int)] {
        (0..<size).map { ("\(name)[\($0)]", values.indices.contains($0) ? values[$0] : -1) }
    }

    /// Displacements that lay blocks of `counts` end to end.
    @usableFromInline
    internal func packedDisplacements(_ counts: [Int]) -> [Int] {
        var offset = 0
        return counts.map { count in defer { offset += Swift.max(count, 0) }; return offset }
    }

    /// The length of an array that holds `counts` at `displacements`.
    @usableFromInline
    internal func vectorLength(counts: [Int], displacements: [Int]?) -> Int {
        guard let displacements, displacements.count == counts.count else {
            return counts.reduce(0) { $0 + max($1, 0) }
        }
        return zip(counts, displacements).reduce(0) { Swift.max($0, $1.1 + Swift.max($1.0, 0)) }
    }

    /// This rank's send buffer must hold exactly its own entry of `counts`.
    internal func checkOwnCount(_ count: Int, counts: [Int], name: String, operation: StaticString) throws {
        guard counts.indices.contains(rank), counts[rank] != count else { return }
        throw MPIError.invalidArgument("\(name) count", count,
            "must equal counts[\(rank)] = \(counts[rank]) on rank \(rank)", errorClass: .count, operation: operation)
    }

    /// Checks, with one MPI_Alltoall, that what each rank sends to each other
    /// is what that rank expects to receive; throws on every rank if not.
    internal func verifyPairwiseCounts(_ sendCounts: [CInt], _ receiveCounts: [CInt], operation: StaticString) throws {
        var announced = [CInt](repeating: 0, count: size)
        try MPIC.alltoall(sendCounts, 1, cmpi_int32(), &announced, 1, cmpi_int32(), handle)
        let mismatch = (0..<size).first { announced[$0] != receiveCounts[$0] }
        var flag: CInt = mismatch == nil ? 0 : 1
        var any: CInt = 0
        try MPIC.allreduce(&flag, &any, 1, cmpi_int32(), cmpi_max(), handle)
        if let mismatch {
            throw MPIError.invalidArgument("receiveCounts[\(mismatch)]", Int(receiveCounts[mismatch]),
                "rank \(mismatch) sends \(announced[mismatch]) elements here", errorClass: .count, operation: operation)
        }
        if any != 0 {
            throw MPIError(errorClass: .count, message: "send and receive counts disagree between other ranks",
                           operation: "\(operation)")
        }
    }
}
