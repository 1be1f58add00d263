import CMPI

// The MPI C functions of one chapter, nonblocking collectives, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Ibarrier`.
    @inlinable @inline(__always)
    internal static func ibarrier(_ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ibarrier", MPI_Ibarrier(comm, request))
    }

    /// `MPI_Ibcast`.
    @inlinable @inline(__always)
    internal static func ibcast(_ buffer: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ibcast", MPI_Ibcast(buffer, count, datatype, root, comm, request))
    }

    /// `MPI_Igather`.
    @inlinable @inline(__always)
    internal static func igather(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Igather", MPI_Igather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request))
    }

    /// `MPI_Igatherv`.
    @inlinable @inline(__always)
    internal static func igatherv(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Igatherv", MPI_Igatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm, request))
    }

    /// `MPI_Iscatter`.
    @inlinable @inline(__always)
    internal static func iscatter(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iscatter", MPI_Iscatter(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm, request))
    }

    /// `MPI_Iscatterv`.
    @inlinable @inline(__always)
    internal static func iscatterv(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iscatterv", MPI_Iscatterv(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm, request))
    }

    /// `MPI_Iallgather`.
    @inlinable @inline(__always)
    internal static func iallgather(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iallgather", MPI_Iallgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request))
    }

    /// `MPI_Iallgatherv`.
    @inlinable @inline(__always)
    internal static func iallgatherv(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iallgatherv", MPI_Iallgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm, request))
    }

    /// `MPI_Ialltoall`.
    @inlinable @inline(__always)
    internal static func ialltoall(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ialltoall", MPI_Ialltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request))
    }

    /// `MPI_Ialltoallv`.
    @inlinable @inline(__always)
    internal static func ialltoallv(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ sdispls: UnsafePointer<CInt>?, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ rdispls: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ialltoallv", MPI_Ialltoallv(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm, request))
    }

    /// `MPI_Ireduce`.
    @inlinable @inline(__always)
    internal static func ireduce(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ root: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ireduce", MPI_Ireduce(sendbuf, recvbuf, count, datatype, op, root, comm, request))
    }

    /// `MPI_Iallreduce`.
    @inlinable @inline(__always)
    internal static func iallreduce(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iallreduce", MPI_Iallreduce(sendbuf, recvbuf, count, datatype, op, comm, request))
    }

    /// `MPI_Ireduce_scatter`.
    @inlinable @inline(__always)
    internal static func ireduceScatter(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ireduce_scatter", MPI_Ireduce_scatter(sendbuf, recvbuf, recvcounts, datatype, op, comm, request))
    }

    /// `MPI_Ireduce_scatter_block`.
    @inlinable @inline(__always)
    internal static func ireduceScatterBlock(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Ireduce_scatter_block", MPI_Ireduce_scatter_block(sendbuf, recvbuf, recvcount, datatype, op, comm, request))
    }

    /// `MPI_Iscan`.
    @inlinable @inline(__always)
    internal static func iscan(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iscan", MPI_Iscan(sendbuf, recvbuf, count, datatype, op, comm, request))
    }

    /// `MPI_Iexscan`.
    @inlinable @inline(__always)
    internal static func iexscan(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Iexscan", MPI_Iexscan(sendbuf, recvbuf, count, datatype, op, comm, request))
    }
}
