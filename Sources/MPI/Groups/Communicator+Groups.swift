import CMPI

// Communicators from groups (MPI 3.1 sections 6.3.1 and 6.4.2).

extension Communicator {
    /// The processes of this communicator, in rank order.
    ///
    /// The corresponding C function is `MPI_Comm_group`.
    public var group: Group {
        get throws {
            var new = cmpi_group_null()
            try MPIC.commGroup(handle, &new)
            return try Group(adopting: new)
        }
    }

    /// A new communicator of the processes of `group`, which must be a subset
    /// of this communicator's; nil on processes outside `group`. Collective
    /// over this communicator: every process calls it with the same group.
    ///
    /// The corresponding C function is `MPI_Comm_create`.
    public func communicator(for group: Group) throws -> Communicator? {
        try checkSubgroup(group, operation: "MPI_Comm_create")
        var new = cmpi_comm_null()
        try MPIC.commCreate(handle, group.handle, &new)
        guard new != cmpi_comm_null() else { return nil }
        return try Communicator(adopting: new)
    }

    /// A new communicator of the processes of `group`, made by them alone:
    /// only the members of `group` (a subset of this communicator's
    /// processes) call it, with the same group and tag.
    ///
    /// The corresponding C function is `MPI_Comm_create_group`.
    /// - Parameters:
    ///   - group: the members; the calling process must be one.
    ///   - tag: tells apart concurrent calls over this communicator.
    public func communicator(forMembersOf group: Group, tag: Int = 0) throws -> Communicator? {
        guard group.rank != nil else {
            throw MPIError.invalidArgument("group", group, "must contain the calling process (only members call it)",
                                           errorClass: .group, operation: "MPI_Comm_create_group")
        }
        try checkSubgroup(group, operation: "MPI_Comm_create_group")
        let tag = try checkedSendTag(tag, operation: "MPI_Comm_create_group")
        var new = cmpi_comm_null()
        try MPIC.commCreateGroup(handle, group.handle, tag, &new)
        guard new != cmpi_comm_null() else { return nil }
        return try Communicator(adopting: new)
    }

    /// Throws unless every process of `group` belongs to this communicator
    /// (MPI may fail less clearly, or not at all, on such a group).
    internal func checkSubgroup(_ group: Group, operation: StaticString) throws {
        guard group.size > 0 else { return }
        let own = try self.group
        let outside = try group.translateRanks(Array(0..<group.size), to: own).firstIndex { $0 == nil }
        if let outside {
            throw MPIError.invalidArgument("group", group,
                                           "must be a subset of the communicator's processes (its rank \(outside) is not)",
                                           errorClass: .group, operation: operation)
        }
    }
}
