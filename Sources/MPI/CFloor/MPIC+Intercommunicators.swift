import CMPI

// The MPI C functions of one chapter, intercommunicators (MPI 3.1 section 6.6), each wrapped once.
// See MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Intercomm_create`.
    @inlinable @inline(__always)
    internal static func intercommCreate(_ localComm: CommunicatorHandle, _ localLeader: CInt, _ peerComm: CommunicatorHandle, _ remoteLeader: CInt, _ tag: CInt, _ newintercomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Intercomm_create", MPI_Intercomm_create(localComm, localLeader, peerComm, remoteLeader, tag, newintercomm))
    }

    /// `MPI_Intercomm_merge`.
    @inlinable @inline(__always)
    internal static func intercommMerge(_ intercomm: CommunicatorHandle, _ high: CInt, _ newintracomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Intercomm_merge", MPI_Intercomm_merge(intercomm, high, newintracomm))
    }

    /// `MPI_Comm_remote_size`.
    @inlinable @inline(__always)
    internal static func commRemoteSize(_ comm: CommunicatorHandle, _ size: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Comm_remote_size", MPI_Comm_remote_size(comm, size))
    }

    /// `MPI_Comm_remote_group`.
    @inlinable @inline(__always)
    internal static func commRemoteGroup(_ comm: CommunicatorHandle, _ group: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Comm_remote_group", MPI_Comm_remote_group(comm, group))
    }
}
