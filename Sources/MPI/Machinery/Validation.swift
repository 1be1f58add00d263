import CMPI

// Argument checks made before MPI sees the arguments, so that bad input is a
// thrown error naming the argument and its value, not MPI's generic message
// (or, for counts, a silently truncated Int).

extension Communicator {
    /// A rank to send to: a rank of this communicator or the null process.
    @inlinable @inline(__always)
    internal func checkedDestination(_ rank: Int, _ name: String = "destination", operation: StaticString) throws -> CInt {
        if _fastPath(rank >= 0 && rank < size) { return CInt(truncatingIfNeeded: rank) }
        if let special = Wildcards.mpiRank(rank, allowsAnySource: false) { return special }
        throw MPIError.invalidArgument(
            name, rank, "must be a rank in 0..<\(size) or MPI.processNull",
            errorClass: .rank, operation: operation)
    }

    /// A rank to receive from: a rank of this communicator, the null process or MPI.anySource.
    @inlinable @inline(__always)
    internal func checkedSource(_ rank: Int, _ name: String = "source", operation: StaticString) throws -> CInt {
        if _fastPath(rank >= 0 && rank < size) { return CInt(truncatingIfNeeded: rank) }
        if let special = Wildcards.mpiRank(rank, allowsAnySource: true) { return special }
        throw MPIError.invalidArgument(
            name, rank, "must be a rank in 0..<\(size), MPI.anySource or MPI.processNull",
            errorClass: .rank, operation: operation)
    }

    /// A tag to send with: 0 through the job's MPI_TAG_UB.
    @inlinable @inline(__always)
    internal func checkedSendTag(_ tag: Int, _ name: String = "tag", operation: StaticString) throws -> CInt {
        if _fastPath(tag >= 0 && tag <= MPIEnvironmentState.tagUpperBound) { return CInt(truncatingIfNeeded: tag) }
        throw MPIError.invalidArgument(
            name, tag, "must be in 0...\(MPIEnvironmentState.tagUpperBound) (MPI_TAG_UB)",
            errorClass: .tag, operation: operation)
    }

    /// A tag to receive with: a send tag or MPI.anyTag.
    @inlinable @inline(__always)
    internal func checkedReceiveTag(_ tag: Int, _ name: String = "tag", operation: StaticString) throws -> CInt {
        if _fastPath(tag >= 0 && tag <= MPIEnvironmentState.tagUpperBound) { return CInt(truncatingIfNeeded: tag) }
        if let special = Wildcards.mpiTag(tag) { return special }
        throw MPIError.invalidArgument(
            name, tag, "must be in 0...\(MPIEnvironmentState.tagUpperBound) (MPI_TAG_UB) or MPI.anyTag",
            errorClass: .tag, operation: operation)
    }
}

/// An element count MPI can take as `int`.
@inlinable @inline(__always)
internal func checkedCount(_ count: Int, _ name: String = "count", operation: StaticString) throws -> CInt {
    if _fastPath(count >= 0 && count <= Int(CInt.max)) { return CInt(truncatingIfNeeded: count) }
    throw MPIError.invalidArgument(
        name, count, count < 0 ? "must not be negative"
            : "exceeds Int32.max, the largest count MPI 3.1 takes; beyond it only point-to-point "
            + "operations, broadcast, reduce and all-reduce work (they send derived types or chunks)",
        errorClass: .count, operation: operation)
}

/// An element count of any size that must not be negative.
@inlinable @inline(__always)
internal func checkedElementCount(_ count: Int, _ name: String = "count", operation: StaticString) throws -> Int {
    if _fastPath(count >= 0) { return count }
    throw MPIError.invalidArgument(name, count, "must not be negative", errorClass: .count, operation: operation)
}

/// Any other integer argument MPI takes as `int`.
@inlinable
internal func checkedCInt(_ value: Int, _ name: String, operation: StaticString) throws -> CInt {
    guard let result = CInt(exactly: value) else {
        throw MPIError.invalidArgument(name, value, "does not fit in a C int", errorClass: .argument, operation: operation)
    }
    return result
}
