import CMPI

/// How two communicators relate (MPI_Comm_compare).
public enum CommunicatorComparison: Sendable, Equatable {
    /// MPI_IDENT: the same communicator (same group and context).
    case identical
    /// MPI_CONGRUENT: the same processes in the same order, another context (a duplicate).
    case congruent
    /// MPI_SIMILAR: the same processes in another order.
    case similar
    /// MPI_UNEQUAL: different processes.
    case unequal
}

extension Communicator {
    /// A new communicator with the same processes and a new context, so that its
    /// messages never match this one's. Collective over this communicator.
    ///
    /// The corresponding C function is `MPI_Comm_dup`.
    public func duplicate() throws -> Communicator {
        var new = cmpi_comm_null()
        try MPIC.commDup(handle, &new)
        let duplicate = try Communicator(adopting: new)
        // MPI_Comm_dup copies the topology; the calibration is per communicator.
        duplicate.neighborhood = neighborhood?.forDuplicate()
        try duplicate.calibrateNeighborSlots()
        return duplicate
    }

    /// Splits the processes by `color` into disjoint communicators, ordering
    /// ranks in each by `key` (ties keep the order of ranks here). Collective:
    /// every process calls it, or ``excludeSelfFromSplit()``.
    ///
    /// The corresponding C function is `MPI_Comm_split`.
    /// - Parameters:
    ///   - color: which new communicator this process joins; zero or more.
    ///   - key: orders ranks within the new communicator.
    public func split(color: Int, key: Int = 0) throws -> Communicator {
        guard color >= 0, color <= Int(CInt.max) else {
            throw MPIError.invalidArgument(
                "color", color, "must be between 0 and \(CInt.max); use excludeSelfFromSplit() to join no communicator",
                errorClass: .argument, operation: "MPI_Comm_split")
        }
        let key = try checkedCInt(key, "key", operation: "MPI_Comm_split")
        var new = cmpi_comm_null()
        try MPIC.commSplit(handle, CInt(color), key, &new)
        return try Communicator(adopting: new)
    }

    /// Takes part in a collective ``split(color:key:)`` without joining any of
    /// the new communicators (color MPI_UNDEFINED).
    ///
    /// The corresponding C function is `MPI_Comm_split`.
    public func excludeSelfFromSplit() throws {
        var new = cmpi_comm_null()
        try MPIC.commSplit(handle, cmpi_undefined(), 0, &new)
        if new != cmpi_comm_null() {
            // MPI must hand back MPI_COMM_NULL for MPI_UNDEFINED; free anything else.
            try? MPIC.commFree(&new)
        }
    }

    /// Splits the processes into communicators of processes that can share
    /// memory (one per node), ranks ordered by `key`. Collective.
    ///
    /// The corresponding C function is `MPI_Comm_split_type` with `MPI_COMM_TYPE_SHARED`.
    public func splitBySharedMemory(key: Int = 0) throws -> Communicator {
        let key = try checkedCInt(key, "key", operation: "MPI_Comm_split_type")
        var new = cmpi_comm_null()
        try MPIC.commSplitType(handle, cmpi_comm_type_shared(), key, cmpi_info_null(), &new)
        return try Communicator(adopting: new)
    }

    /// How this communicator relates to `other`.
    ///
    /// The corresponding C function is `MPI_Comm_compare`.
    public func compare(with other: Communicator) throws -> CommunicatorComparison {
        var result: CInt = 0
        try MPIC.commCompare(handle, other.handle, &result)
        switch result {
        case cmpi_ident(): return .identical
        case cmpi_congruent(): return .congruent
        case cmpi_similar(): return .similar
        default: return .unequal
        }
    }

    /// The communicator's name, e.g. `MPI_COMM_WORLD`.
    ///
    /// The corresponding C function is `MPI_Comm_get_name`.
    public var name: String {
        get throws {
            var buffer = [CChar](repeating: 0, count: Int(cmpi_max_object_name()) + 1)
            var length: CInt = 0
            try MPIC.commGetName(handle, &buffer, &length)
            return MPI.string(from: buffer, length: length)
        }
    }

    /// Names the communicator (local to this process).
    ///
    /// The corresponding C function is `MPI_Comm_set_name`.
    /// - Parameter name: at most MPI_MAX_OBJECT_NAME - 1 bytes of UTF-8.
    public func setName(_ name: String) throws {
        let limit = Int(cmpi_max_object_name()) - 1
        guard name.utf8.count <= limit, !name.utf8.contains(0) else {
            throw MPIError.invalidArgument(
                "name", "\"\(name)\"", "must be at most \(limit) bytes of UTF-8 without NUL",
                errorClass: .argument, operation: "MPI_Comm_set_name")
        }
        try MPIC.commSetName(handle, name)
    }
}
