import CMPI

// The MPI C functions of one chapter, communicator management and queries, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Comm_compare`.
    @inlinable @inline(__always)
    internal static func commCompare(_ comm1: CommunicatorHandle, _ comm2: CommunicatorHandle, _ result: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Comm_compare", MPI_Comm_compare(comm1, comm2, result))
    }

    /// `MPI_Comm_dup`.
    @inlinable @inline(__always)
    internal static func commDup(_ comm: CommunicatorHandle, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Comm_dup", MPI_Comm_dup(comm, newcomm))
    }

    /// `MPI_Comm_free`.
    @inlinable @inline(__always)
    internal static func commFree(_ comm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Comm_free", MPI_Comm_free(comm))
    }

    /// `MPI_Comm_get_attr`.
    @inlinable @inline(__always)
    internal static func commGetAttr(_ comm: CommunicatorHandle, _ commKeyval: CInt, _ attributeVal: UnsafeMutableRawPointer?, _ flag: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Comm_get_attr", MPI_Comm_get_attr(comm, commKeyval, attributeVal, flag))
    }

    /// `MPI_Comm_get_name`.
    @inlinable @inline(__always)
    internal static func commGetName(_ comm: CommunicatorHandle, _ commName: UnsafeMutablePointer<CChar>?, _ resultlen: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Comm_get_name", MPI_Comm_get_name(comm, commName, resultlen))
    }

    /// `MPI_Comm_set_name`.
    @inlinable @inline(__always)
    internal static func commSetName(_ comm: CommunicatorHandle, _ commName: UnsafePointer<CChar>?) throws {
        try check("MPI_Comm_set_name", MPI_Comm_set_name(comm, commName))
    }

    /// `MPI_Comm_rank`.
    @inlinable @inline(__always)
    internal static func commRank(_ comm: CommunicatorHandle, _ rank: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Comm_rank", MPI_Comm_rank(comm, rank))
    }

    /// `MPI_Comm_size`.
    @inlinable @inline(__always)
    internal static func commSize(_ comm: CommunicatorHandle, _ size: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Comm_size", MPI_Comm_size(comm, size))
    }

    /// `MPI_Comm_set_errhandler`.
    @inlinable @inline(__always)
    internal static func commSetErrhandler(_ comm: CommunicatorHandle, _ errhandler: ErrorHandlerHandle) throws {
        try check("MPI_Comm_set_errhandler", MPI_Comm_set_errhandler(comm, errhandler))
    }

    /// `MPI_Comm_split`.
    @inlinable @inline(__always)
    internal static func commSplit(_ comm: CommunicatorHandle, _ color: CInt, _ key: CInt, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Comm_split", MPI_Comm_split(comm, color, key, newcomm))
    }

    /// `MPI_Comm_split_type`.
    @inlinable @inline(__always)
    internal static func commSplitType(_ comm: CommunicatorHandle, _ splitType: CInt, _ key: CInt, _ info: InfoHandle, _ newcomm: UnsafeMutablePointer<CommunicatorHandle>?) throws {
        try check("MPI_Comm_split_type", MPI_Comm_split_type(comm, splitType, key, info, newcomm))
    }
}
