import CMPI
#if canImport(Glibc)
import Glibc
#endif

// Argument checks for collectives.
//
// Local checks (a root outside the communicator, counts arrays of the wrong
// length, negative counts, displacements that overlap or run past a buffer,
// a root buffer that does not divide evenly) cost nothing and always run.
// Some mistakes are visible only across ranks: ranks passing different counts
// or roots, which MPI does not detect and which can make it write past a
// buffer or hang. When `MPI.verifiesCollectiveArguments` is on, every
// collective first compares those values (and every rank's local verdict)
// in one small MPI_Allreduce, so that all ranks throw together instead of
// some throwing and the others hanging.

extension MPI {
    /// Whether collectives first check, in one extra MPI_Allreduce, that all
    /// ranks pass the same counts and root and that no rank's arguments were
    /// rejected; so that a mismatch is a thrown error on every rank instead
    /// of a hang or an overrun.
    ///
    /// On in debug builds of this package, off in release builds (it costs a
    /// small collective per call); the environment variable
    /// `SWIFT_MPI_VERIFY_COLLECTIVES=1` or `=0` overrides both. Set it the same
    /// on every rank, before or after initialization.
    nonisolated(unsafe) public static var verifiesCollectiveArguments: Bool = {
        if let setting = getenv("SWIFT_MPI_VERIFY_COLLECTIVES") {
            return String(cString: setting) != "0"
        }
        #if DEBUG
        return true
        #else
        return false
        #endif
    }()
}

extension Communicator {
    /// A root rank of this communicator.
    @inlinable
    internal func checkedRoot(_ root: Int, operation: StaticString) throws -> CInt {
        if _fastPath(root >= 0 && root < size) { return CInt(truncatingIfNeeded: root) }
        throw MPIError.invalidArgument("root", root, "must be a rank in 0..<\(size)", errorClass: .root, operation: operation)
    }

    /// Per-rank counts: one for each rank, none negative or beyond Int32.max.
    internal func checkedCounts(_ counts: [Int], _ name: String, operation: StaticString) throws -> [CInt] {
        guard counts.count == size else {
            throw MPIError.invalidArgument(name, counts, "must have one count for each of the \(size) ranks, not \(counts.count)",
                                           errorClass: .count, operation: operation)
        }
        return try counts.enumerated().map { rank, count in
            try checkedCount(count, "\(name)[\(rank)]", operation: operation)
        }
    }

    /// Displacements for `counts` within a buffer of `bufferCount` elements:
    /// the blocks must lie inside the buffer and must not overlap (MPI forbids
    /// reading or writing a location twice). `nil` lays the blocks end to end.
    internal func checkedDisplacements(
        _ displacements: [Int]?, _ name: String, counts: [CInt], countsName: String,
        bufferCount: Int, bufferName: String, operation: StaticString
    ) throws -> [CInt] {
        guard let displacements else {
            var offset = 0
            let packed = counts.map { count -> Int in defer { offset += Int(count) }; return offset }
            guard offset <= bufferCount else {
                throw MPIError.invalidArgument(bufferName, "of \(bufferCount) elements",
                    "is too small for \(countsName), which add up to \(offset)", errorClass: .count, operation: operation)
            }
            return try packed.map { try checkedCount($0, name, operation: operation) }
        }
        guard displacements.count == size else {
            throw MPIError.invalidArgument(name, displacements,
                "must have one displacement for each of the \(size) ranks, not \(displacements.count)",
                errorClass: .argument, operation: operation)
        }
        for (rank, start) in displacements.enumerated() {
            let end = start + Int(counts[rank])
            guard start >= 0, end <= bufferCount else {
                throw MPIError.invalidArgument("\(name)[\(rank)]", start,
                    "with \(countsName)[\(rank)] = \(counts[rank]) runs outside \(bufferName) of \(bufferCount) elements",
                    errorClass: .argument, operation: operation)
            }
        }
        let blocks = (0..<size).filter { counts[$0] > 0 }.sorted { displacements[$0] < displacements[$1] }
        for (earlier, later) in zip(blocks, blocks.dropFirst())
        where displacements[earlier] + Int(counts[earlier]) > displacements[later] {
            throw MPIError.invalidArgument(name, displacements,
                "blocks of ranks \(earlier) and \(later) overlap (\(countsName)[\(earlier)] = \(counts[earlier]) "
                    + "from \(displacements[earlier]), \(countsName)[\(later)] = \(counts[later]) from \(displacements[later]))",
                errorClass: .argument, operation: operation)
        }
        return try displacements.enumerated().map { try checkedCount($1, "\(name)[\($0)]", operation: operation) }
    }

    /// Throws `localError` here, and, when collective arguments are verified,
    /// makes every rank throw if any rank's arguments were rejected or if the
    /// ranks disagree on `shared` (values every rank must pass alike).
    @inlinable
    internal func agree(
        _ localError: MPIError?, shared: @autoclosure () -> [(name: String, value: Int)],
        operation: StaticString
    ) throws {
        if _fastPath(!MPI.verifiesCollectiveArguments) {
            if let localError { throw localError }
            return
        }
        try verifyAgreement(localError, shared: shared(), operation: operation)
    }

    @usableFromInline
    internal func verifyAgreement(
        _ localError: MPIError?, shared: [(name: String, value: Int)], operation: StaticString
    ) throws {
        // One MPI_MAX reduction finds the lowest failing rank (as size - rank),
        // and the largest and smallest value of each shared argument.
        var values: [Int64] = [localError == nil ? 0 : Int64(size - rank)]
        for (_, value) in shared { values.append(Int64(value)); values.append(-Int64(value)) }
        var result = [Int64](repeating: 0, count: values.count)
        try mpiCall("MPI_Allreduce", MPI_Allreduce(values, &result, CInt(values.count), cmpi_int64(), cmpi_max(), handle))
        if let localError { throw localError }
        if result[0] != 0 {
            let failing = size - Int(result[0])
            throw MPIError(errorClass: .argument,
                           message: "rank \(failing) rejected its arguments to this collective; see that rank's error",
                           operation: "\(operation)")
        }
        for (index, (name, value)) in shared.enumerated() {
            let largest = result[1 + 2 * index], smallest = -result[2 + 2 * index]
            if largest != smallest {
                throw MPIError.invalidArgument(name, value,
                    "ranks disagree: values from \(smallest) to \(largest) were passed, every rank must pass the same",
                    errorClass: name == "root" ? .root : .count, operation: operation)
            }
        }
    }
}

/// Runs a collective's local argument checks and returns their results, or
/// `fallback` and the error, which `agree` reports once the ranks have
/// compared notes. (Results are returned as constants, not assigned to
/// variables captured later, so that nothing is boxed on the heap.)
@inlinable @inline(__always)
internal func validating<Arguments>(_ fallback: Arguments, _ checks: () throws -> Arguments) -> (Arguments, MPIError?) {
    do {
        return (try checks(), nil)
    } catch let error as MPIError {
        return (fallback, error)
    } catch {
        return (fallback, MPIError(errorClass: .argument, message: "\(error)", operation: "argument check"))
    }
}
