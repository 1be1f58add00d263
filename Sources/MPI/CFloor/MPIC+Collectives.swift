import CMPI

// The MPI C functions of one chapter, blocking collectives, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Barrier`.
    @inlinable @inline(__always)
    internal static func barrier(_ comm: CommunicatorHandle) throws {
        try check("MPI_Barrier", MPI_Barrier(comm))
    }

    /// `MPI_Bcast`.
    @inlinable @inline(__always)
    internal static func bcast(_ buffer: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Bcast", MPI_Bcast(buffer, count, datatype, root, comm))
    }

    /// `MPI_Gather`.
    @inlinable @inline(__always)
    internal static func gather(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Gather", MPI_Gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm))
    }

    /// `MPI_Gatherv`.
    @inlinable @inline(__always)
    internal static func gatherv(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Gatherv", MPI_Gatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm))
    }

    /// `MPI_Scatter`.
    @inlinable @inline(__always)
    internal static func scatter(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Scatter", MPI_Scatter(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm))
    }

    /// `MPI_Scatterv`.
    @inlinable @inline(__always)
    internal static func scatterv(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ root: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Scatterv", MPI_Scatterv(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root, comm))
    }

    /// `MPI_Allgather`.
    @inlinable @inline(__always)
    internal static func allgather(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Allgather", MPI_Allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))
    }

    /// `MPI_Allgatherv`.
    @inlinable @inline(__always)
    internal static func allgatherv(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ displs: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Allgatherv", MPI_Allgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm))
    }

    /// `MPI_Alltoall`.
    @inlinable @inline(__always)
    internal static func alltoall(_ sendbuf: UnsafeRawPointer?, _ sendcount: CInt, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Alltoall", MPI_Alltoall(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm))
    }

    /// `MPI_Alltoallv`.
    @inlinable @inline(__always)
    internal static func alltoallv(_ sendbuf: UnsafeRawPointer?, _ sendcounts: UnsafePointer<CInt>?, _ sdispls: UnsafePointer<CInt>?, _ sendtype: DatatypeHandle, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ rdispls: UnsafePointer<CInt>?, _ recvtype: DatatypeHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Alltoallv", MPI_Alltoallv(sendbuf, sendcounts, sdispls, sendtype, recvbuf, recvcounts, rdispls, recvtype, comm))
    }

    /// `MPI_Reduce`.
    @inlinable @inline(__always)
    internal static func reduce(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ root: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Reduce", MPI_Reduce(sendbuf, recvbuf, count, datatype, op, root, comm))
    }

    /// `MPI_Allreduce`.
    @inlinable @inline(__always)
    internal static func allreduce(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Allreduce", MPI_Allreduce(sendbuf, recvbuf, count, datatype, op, comm))
    }

    /// `MPI_Reduce_scatter`.
    @inlinable @inline(__always)
    internal static func reduceScatter(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ recvcounts: UnsafePointer<CInt>?, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Reduce_scatter", MPI_Reduce_scatter(sendbuf, recvbuf, recvcounts, datatype, op, comm))
    }

    /// `MPI_Reduce_scatter_block`.
    @inlinable @inline(__always)
    internal static func reduceScatterBlock(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ recvcount: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Reduce_scatter_block", MPI_Reduce_scatter_block(sendbuf, recvbuf, recvcount, datatype, op, comm))
    }

    /// `MPI_Scan`.
    @inlinable @inline(__always)
    internal static func scan(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Scan", MPI_Scan(sendbuf, recvbuf, count, datatype, op, comm))
    }

    /// `MPI_Exscan`.
    @inlinable @inline(__always)
    internal static func exscan(_ sendbuf: UnsafeRawPointer?, _ recvbuf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ op: OperationHandle, _ comm: CommunicatorHandle) throws {
        try check("MPI_Exscan", MPI_Exscan(sendbuf, recvbuf, count, datatype, op, comm))
    }
}
