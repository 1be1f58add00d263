import CMPI

// Argument checks made before MPI sees the arguments, so that bad input is a
// thrown error naming the argument and its value, not MPI's generic message
// (or, for counts, a silently truncated Int).

extension Communicator {
    // The checks inline to a comparison or two; what happens on bad input is
    // out of line (`@inline(never)`), so that every call site stays small.

    // Peers are `peerCount` (the remote group on an intercommunicator's).

    /// A rank to send to: a rank of this communicator or the null process.
    @inlinable @inline(__always)
    internal func checkedDestination(_ rank: Int, _ name: String = "destination", operation: StaticString) throws -> CInt {
        if _fastPath(rank >= 0 && rank < peerCount) { return CInt(truncatingIfNeeded: rank) }
        return try specialRank(rank, name, allowsAnySource: false, operation: operation)
    }

    /// A rank to receive from: a rank of this communicator, the null process or MPI.anySource.
    @inlinable @inline(__always)
    internal func checkedSource(_ rank: Int, _ name: String = "source", operation: StaticString) throws -> CInt {
        if _fastPath(rank >= 0 && rank < peerCount) { return CInt(truncatingIfNeeded: rank) }
        return try specialRank(rank, name, allowsAnySource: true, operation: operation)
    }

    /// A receive's source and tag, checked, for an element type whose layout
    /// lets it be received as bytes (as every receive here is posted).
    @inlinable @inline(__always)
    internal func checkedReceiveArguments<Element: MPIElement>(
        source: Int, tag: Int, element: Element.Type, operation: StaticString
    ) throws -> (source: CInt, tag: CInt) {
        let source = try checkedSource(source, operation: operation)
        let tag = try checkedReceiveTag(tag, operation: operation)
        _ = try Element.checkedReceiveDatatype(operation)
        return (source, tag)
    }

    /// MPI's value for a rank outside 0..<size: the null process or (for
    /// receives) MPI.anySource; anything else throws.
    @usableFromInline @inline(never)
    internal func specialRank(_ rank: Int, _ name: String, allowsAnySource: Bool, operation: StaticString) throws -> CInt {
        if let special = Wildcards.mpiRank(rank, allowsAnySource: allowsAnySource) { return special }
        throw MPIError.invalidArgument(
            name, rank, allowsAnySource ? "must be a rank in 0..<\(peerCount), MPI.anySource or MPI.processNull"
                : "must be a rank in 0..<\(peerCount) or MPI.processNull",
            errorClass: .rank, operation: operation)
    }

    /// A tag to send with: 0 through the job's MPI_TAG_UB.
    @inlinable @inline(__always)
    internal func checkedSendTag(_ tag: Int, _ name: String = "tag", operation: StaticString) throws -> CInt {
        if _fastPath(tag >= 0 && tag <= MPIEnvironmentState.tagUpperBound) { return CInt(truncatingIfNeeded: tag) }
        return try specialTag(tag, name, allowsAnyTag: false, operation: operation)
    }

    /// A tag to receive with: a send tag or MPI.anyTag.
    @inlinable @inline(__always)
    internal func checkedReceiveTag(_ tag: Int, _ name: String = "tag", operation: StaticString) throws -> CInt {
        if _fastPath(tag >= 0 && tag <= MPIEnvironmentState.tagUpperBound) { return CInt(truncatingIfNeeded: tag) }
        return try specialTag(tag, name, allowsAnyTag: true, operation: operation)
    }

    /// MPI's value for a tag outside 0...MPI_TAG_UB: MPI_ANY_TAG (for
    /// receives); anything else throws.
    @usableFromInline @inline(never)
    internal func specialTag(_ tag: Int, _ name: String, allowsAnyTag: Bool, operation: StaticString) throws -> CInt {
        if allowsAnyTag, let special = Wildcards.mpiTag(tag) { return special }
        throw MPIError.invalidArgument(
            name, tag, allowsAnyTag ? "must be in 0...\(MPIEnvironmentState.tagUpperBound) (MPI_TAG_UB) or MPI.anyTag"
                : "must be in 0...\(MPIEnvironmentState.tagUpperBound) (MPI_TAG_UB)",
            errorClass: .tag, operation: operation)
    }
}

/// An element count MPI can take as `int`.
@inlinable @inline(__always)
internal func checkedCount(_ count: Int, _ name: String = "count", operation: StaticString) throws -> CInt {
    if _fastPath(count >= 0 && count <= Int(CInt.max)) { return CInt(truncatingIfNeeded: count) }
    throw countError(count, name, operation: operation)
}

@usableFromInline @inline(never)
internal func countError(_ count: Int, _ name: String, operation: StaticString) -> MPIError {
    MPIError.invalidArgument(
        name, count, count < 0 ? "must not be negative"
            : "exceeds Int32.max, the largest count MPI 3.1 takes; beyond it only point-to-point "
            + "operations, broadcast, reduce and all-reduce work (they send derived types or chunks)",
        errorClass: .count, operation: operation)
}

/// An element count of any size that must not be negative.
@inlinable @inline(__always)
internal func checkedElementCount(_ count: Int, _ name: String = "count", operation: StaticString) throws -> Int {
    if _fastPath(count >= 0) { return count }
    throw countError(count, name, operation: operation)
}

/// Any other integer argument MPI takes as `int`.
@inlinable
internal func checkedCInt(_ value: Int, _ name: String, operation: StaticString) throws -> CInt {
    guard let result = CInt(exactly: value) else {
        throw MPIError.invalidArgument(name, value, "does not fit in a C int", errorClass: .argument, operation: operation)
    }
    return result
}
