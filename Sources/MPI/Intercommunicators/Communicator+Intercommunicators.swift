import CMPI

extension Communicator {
    /// Joins this communicator's processes (the local group) with another,
    /// disjoint group into an intercommunicator. Collective over both groups.
    ///
    /// The two leaders meet over `bridge`, a communicator both belong to
    /// (often world); every process of this group passes the same arguments.
    ///
    /// The corresponding C function is `MPI_Intercomm_create`.
    /// - Parameters:
    ///   - localLeader: this group's leader, a rank of this communicator.
    ///   - bridge: a communicator holding both leaders.
    ///   - remoteLeader: the other group's leader, as a rank of `bridge`.
    ///   - tag: a tag for the leaders' messages over `bridge`.
    public func intercommunicator(localLeader: Int, bridge: Communicator, remoteLeader: Int,
                                  tag: Int = 0) throws -> Intercommunicator {
        let operation: StaticString = "MPI_Intercomm_create"
        guard localLeader >= 0, localLeader < size else {
            throw MPIError.invalidArgument("localLeader", localLeader, "must be a rank of this communicator, in 0..<\(size)",
                                           errorClass: .rank, operation: operation)
        }
        // Checked on every process, so that all of them throw alike instead
        // of some waiting in MPI for a leader that threw.
        guard remoteLeader >= 0, remoteLeader < bridge.size else {
            throw MPIError.invalidArgument("remoteLeader", remoteLeader, "must be a rank of the bridge, in 0..<\(bridge.size)",
                                           errorClass: .rank, operation: operation)
        }
        let tag = try checkedSendTag(tag, operation: operation)
        var new = cmpi_comm_null()
        try MPIC.intercommCreate(handle, CInt(localLeader), bridge.handle, CInt(remoteLeader), tag, &new)
        return try Intercommunicator(adopting: new)
    }
}
