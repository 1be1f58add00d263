import CMPI

// The MPI C functions of persistent requests (MPI 3.1 section 3.9) and
// persistent collectives (MPI-4 section 6.13), each wrapped once. The
// collectives go through the shim, which names MPI_Xxx_init (MPI 4) or Open
// MPI's MPIX_Xxx_init, or returns MPI_ERR_OTHER where neither exists.

extension MPIC {
    /// `MPI_Send_init`.
    @inlinable @inline(__always)
    internal static func sendInit(_ buf: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ dest: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Send_init", MPI_Send_init(buf, count, datatype, dest, tag, comm, request))
    }

    /// `MPI_Ssend_init`.
    @inlinable @inline(__always)
    internal static func ssendInit(_ buf: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ dest: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ssend_init", MPI_Ssend_init(buf, count, datatype, dest, tag, comm, request))
    }

    /// `MPI_Recv_init`.
    @inlinable @inline(__always)
    internal static func recvInit(_ buf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Recv_init", MPI_Recv_init(buf, count, datatype, source, tag, comm, request))
    }

    /// `MPI_Start`.
    @inlinable @inline(__always)
    internal static func start(_ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Start", MPI_Start(request))
    }

    /// `MPI_Startall`.
    @inlinable @inline(__always)
    internal static func startall(_ count: CInt, _ requests: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Startall", MPI_Startall(count, requests))
    }

    /// `MPI_Request_free`.
    @inlinable @inline(__always)
    internal static func requestFree(_ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Request_free", MPI_Request_free(request))
    }

    /// Whether the library has persistent collectives (MPI 4, or Open MPI's MPIX extension).
    @inlinable
    internal static var hasPersistentCollectives: Bool { cmpi_has_persistent_collectives() != 0 }

    /// `MPI_Barrier_init` (MPIX_Barrier_init under Open MPI 4.1).
    @inlinable
    internal static func barrierInit(_ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Barrier_init", cmpi_barrier_init(comm, request))
    }

    /// `MPI_Bcast_init` (MPIX_Bcast_init under Open MPI 4.1).
    @inlinable
    internal static func bcastInit(_ buffer: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Bcast_init", cmpi_bcast_init(buffer, count, datatype, root, comm, request))
    }

    /// `MPI_Reduce_init` (MPIX_Reduce_init under Open MPI 4.1).
    @inlinable
    internal static func reduceInit(_ send: UnsafeRawPointer?, _ receive: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Reduce_init", cmpi_reduce_init(send, receive, count, datatype, op, root, comm, request))
    }

    /// `MPI_Allreduce_init` (MPIX_Allreduce_init under Open MPI 4.1).
    @inlinable
    internal static func allreduceInit(_ send: UnsafeRawPointer?, _ receive: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Allreduce_init", cmpi_allreduce_init(send, receive, count, datatype, op, comm, request))
    }

    /// `MPI_Allgather_init` (MPIX_Allgather_init under Open MPI 4.1), the same count and type on both sides.
    @inlinable
    internal static func allgatherInit(_ send: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ receive: UnsafeMutableRawPointer?, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Allgather_init", cmpi_allgather_init(send, count, datatype, receive, comm, request))
    }

    /// `MPI_Alltoall_init` (MPIX_Alltoall_init under Open MPI 4.1), the same count and type on both sides.
    @inlinable
    internal static func alltoallInit(_ send: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ receive: UnsafeMutableRawPointer?, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Alltoall_init", cmpi_alltoall_init(send, count, datatype, receive, comm, request))
    }
}
