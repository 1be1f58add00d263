import CMPI

// The agreement check of collectives: with MPI.verifiesCollectiveArguments on,
// every collective first compares, in one MPI_Allreduce, which collective
// each rank called, its element size, the shared arguments and every rank's
// local verdict, so that a mismatch is a thrown error on every rank.

extension Communicator {
    /// Throws `localError` here, and, when collective arguments are verified,
    /// makes every rank throw if any rank's arguments were rejected, or if the
    /// ranks disagree on which collective this is, on its element size, or on
    /// `shared` (values every rank must pass alike, which `signature` hashes).
    @inlinable
    internal func agree(
        _ localError: MPIError?, _ signature: @autoclosure () -> CollectiveSignature,
        shared: @autoclosure () -> [(name: String, value: Int)], operation: StaticString
    ) throws {
        // Not under the async MPI.run: the check is a blocking MPI_Allreduce,
        // which on the one MPI thread would deadlock tasks that start
        // collectives on different communicators in different orders.
        if _fastPath(!MPI.verifiesCollectiveArguments) || size == 1 || MPIEnvironmentState.isAsyncRun {
            if let localError { throw localError }
            return
        }
        try verifyAgreement(localError, signature(), shared: shared, operation: operation)
    }

    /// One MPI_Allreduce (MPI_MAX) of seven integers, allocating nothing: the
    /// lowest failing rank (as size - rank), then the largest and the negated
    /// smallest of the collective's name hash, its element size and its
    /// arguments' hash. Only when the arguments differ does a second, detailed
    /// reduction (of every shared value) find which and say so. Its length
    /// depends on the collective, so it runs only once the first has shown
    /// that every rank is in the same one.
    @usableFromInline
    internal func verifyAgreement(
        _ localError: MPIError?, _ signature: CollectiveSignature,
        shared: () -> [(name: String, value: Int)], operation: StaticString
    ) throws {
        let operationHash = Int64(bitPattern: signature.operationHash & UInt64(Int64.max))
        let argumentsHash = Int64(bitPattern: signature.arguments & UInt64(Int64.max))
        let stride = Int64(signature.elementStride)
        var mine = AgreementValues(failing: localError == nil ? 0 : Int64(size - rank),
                                   operation: operationHash, negatedOperation: -operationHash,
                                   stride: stride, negatedStride: -stride,
                                   arguments: argumentsHash, negatedArguments: -argumentsHash)
        var all = mine
        try withUnsafeMutablePointer(to: &mine) { mine in
            try withUnsafeMutablePointer(to: &all) { all in
                try MPIC.allreduce(mine, all, CInt(AgreementValues.count), cmpi_int64(),
                                                           cmpi_max(), handle)
            }
        }
        if let localError { throw localError }
        if all.failing != 0 {
            throw MPIError(errorClass: .argument,
                           message: "rank \(size - Int(all.failing)) rejected its arguments to this collective; "
                            + "see that rank's error",
                           operation: "\(operation)")
        }
        if all.operation != -all.negatedOperation {
            throw MPIError(errorClass: .other,
                           message: "the ranks called different collectives here (this rank called \(operation)); "
                            + "every rank of a communicator must call the same collectives in the same order",
                           operation: "\(operation)")
        }
        if all.stride != -all.negatedStride {
            throw MPIError.invalidArgument("element size", signature.elementStride,
                "ranks disagree: elements of \(-all.negatedStride) to \(all.stride) bytes were passed, every rank "
                    + "must pass the same element type", errorClass: .type, operation: operation)
        }
        if all.arguments != -all.negatedArguments {
            try explainDisagreement(shared(), operation: operation)
            throw MPIError(errorClass: .argument, message: "the ranks passed different arguments",
                           operation: "\(operation)")
        }
    }

    /// Finds which shared value the ranks disagree on, with one MPI_Allreduce
    /// of the largest and negated smallest of each, and throws naming it.
    internal func explainDisagreement(_ shared: [(name: String, value: Int)], operation: StaticString) throws {
        var values: [Int64] = []
        for (_, value) in shared { values.append(Int64(value)); values.append(-Int64(value)) }
        var result = [Int64](repeating: 0, count: values.count)
        try MPIC.allreduce(values, &result, CInt(values.count), cmpi_int64(), cmpi_max(), handle)
        for (index, (name, value)) in shared.enumerated() {
            let largest = result[2 * index], smallest = -result[2 * index + 1]
            if largest != smallest {
                throw MPIError.invalidArgument(name, value,
                    "ranks disagree: values from \(smallest) to \(largest) were passed, every rank must pass the same",
                    errorClass: name == "root" ? .root : .count, operation: operation)
            }
        }
    }
}

/// What every rank must pass alike to a collective, as numbers: which
/// collective (a hash of its MPI name), the size of its elements, and a hash
/// of the values `agree` calls `shared` (root, counts, displacements), built
/// in the same order. (FNV-1a: a change in any one value changes the hash.)
@usableFromInline
internal struct CollectiveSignature {
    @usableFromInline let operationHash: UInt64
    @usableFromInline let elementStride: Int
    @usableFromInline var arguments: UInt64 = 0xcbf2_9ce4_8422_2325

    @inlinable
    init(_ operation: StaticString, elementStride: Int) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var byte = operation.utf8Start
        for _ in 0..<operation.utf8CodeUnitCount {
            hash = (hash ^ UInt64(byte.pointee)) &* 0x100_0000_01b3
            byte += 1
        }
        self.operationHash = hash
        self.elementStride = elementStride
    }

    @inlinable
    mutating func mix(_ value: Int) {
        arguments = (arguments ^ UInt64(bitPattern: Int64(value))) &* 0x100_0000_01b3
    }
}

/// The integers of the agreement check, in the order MPI reduces them.
@usableFromInline
internal struct AgreementValues {
    @usableFromInline var failing: Int64
    @usableFromInline var operation: Int64
    @usableFromInline var negatedOperation: Int64
    @usableFromInline var stride: Int64
    @usableFromInline var negatedStride: Int64
    @usableFromInline var arguments: Int64
    @usableFromInline var negatedArguments: Int64
    @usableFromInline static let count = 7

    @usableFromInline
    init(failing: Int64, operation: Int64, negatedOperation: Int64, stride: Int64, negatedStride: Int64,
         arguments: Int64, negatedArguments: Int64) {
        self.failing = failing
        self.operation = operation
        self.negatedOperation = negatedOperation
        self.stride = stride
        self.negatedStride = negatedStride
        self.arguments = arguments
        self.negatedArguments = negatedArguments
    }
}
