import CMPI

/// A communicator between two disjoint groups of processes (MPI 3.1
/// section 6.6): point-to-point ranks and collective roots name processes of
/// the *remote* group, and collectives move data from one group to the other.
///
/// Made by ``Communicator/intercommunicator(localLeader:bridge:remoteLeader:tag:)``
/// or ``duplicate()``; freed with MPI_Comm_free exactly once, when the last
/// reference goes away. It returns errors (MPI_ERRORS_RETURN), thrown as
/// ``MPIError``. `rank`, `size` and `remoteSize` are read once.
public final class Intercommunicator: @unchecked Sendable {
    /// The communicator over the same handle (which it owns and frees), whose
    /// point-to-point ranks are checked against the remote group's size.
    @usableFromInline internal let peers: Communicator

    /// Adopts an intercommunicator MPI has just created.
    internal init(adopting handle: CommunicatorHandle) throws {
        peers = try Communicator(adopting: handle, isIntercommunicator: true)
    }

    /// The MPI handle, for calling MPI functions this package does not wrap.
    /// It stays owned by the intercommunicator: do not free it.
    public var handle: CommunicatorHandle { peers.handle }

    /// This process's rank in the local group.
    ///
    /// The corresponding C function is `MPI_Comm_rank`.
    public var rank: Int { peers.rank }

    /// The number of processes in the local group.
    ///
    /// The corresponding C function is `MPI_Comm_size`.
    public var size: Int { peers.size }

    /// The number of processes in the remote group, the ranks that
    /// point-to-point operations address.
    ///
    /// The corresponding C function is `MPI_Comm_remote_size`.
    public var remoteSize: Int { peers.peerCount }

    /// The processes of this process's own group, in rank order.
    ///
    /// The corresponding C function is `MPI_Comm_group`.
    public var localGroup: Group {
        get throws { try peers.group }
    }

    /// The processes of the other group, in rank order.
    ///
    /// The corresponding C function is `MPI_Comm_remote_group`.
    public var remoteGroup: Group {
        get throws {
            var new = cmpi_group_null()
            try MPIC.commRemoteGroup(handle, &new)
            return try Group(adopting: new)
        }
    }

    /// A new intercommunicator between the same groups with a new context.
    /// Collective over both groups.
    ///
    /// The corresponding C function is `MPI_Comm_dup`.
    public func duplicate() throws -> Intercommunicator {
        var new = cmpi_comm_null()
        try MPIC.commDup(handle, &new)
        return try Intercommunicator(adopting: new)
    }

    /// An ordinary communicator of both groups' processes: the group whose
    /// processes pass `high: false` first, each group in its own rank order
    /// (if both pass the same value, MPI picks the order). Collective over
    /// both groups; every process of a group passes the same `high`.
    ///
    /// The corresponding C function is `MPI_Intercomm_merge`.
    public func merge(high: Bool) throws -> Communicator {
        var new = cmpi_comm_null()
        try MPIC.intercommMerge(handle, high ? 1 : 0, &new)
        return try Communicator(adopting: new)
    }
}

extension Intercommunicator: CustomStringConvertible {
    /// The rank and the sizes of both groups, for printing.
    public var description: String {
        "intercommunicator (rank \(rank) of \(size), remote group of \(remoteSize))"
    }
}
