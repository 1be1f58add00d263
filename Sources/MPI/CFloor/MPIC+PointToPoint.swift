import CMPI

// The MPI C functions of one chapter, sends, receives, probes and status counts, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Send`.
    @inlinable @inline(__always)
    internal static func send(_ buf: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ dest: CInt, _ tag: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Send", MPI_Send(buf, count, datatype, dest, tag, comm))
    }

    /// `MPI_Ssend`.
    @inlinable @inline(__always)
    internal static func ssend(_ buf: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ dest: CInt, _ tag: CInt, _ comm: CommunicatorHandle) throws {
        try check("MPI_Ssend", MPI_Ssend(buf, count, datatype, dest, tag, comm))
    }

    /// `MPI_Isend`.
    @inlinable @inline(__always)
    internal static func isend(_ buf: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ dest: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Isend", MPI_Isend(buf, count, datatype, dest, tag, comm, request))
    }

    /// `MPI_Issend`.
    @inlinable @inline(__always)
    internal static func issend(_ buf: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ dest: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Issend", MPI_Issend(buf, count, datatype, dest, tag, comm, request))
    }

    /// `MPI_Recv`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func recvReturningCode(_ buf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ status: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Recv")
        return MPI_Recv(buf, count, datatype, source, tag, comm, status)
    }

    /// `MPI_Irecv`.
    @inlinable @inline(__always)
    internal static func irecv(_ buf: UnsafeMutableRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Irecv", MPI_Irecv(buf, count, datatype, source, tag, comm, request))
    }

    /// `MPI_Probe`.
    @inlinable @inline(__always)
    internal static func probe(_ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ status: UnsafeMutablePointer<MPI_Status>?) throws {
        try check("MPI_Probe", MPI_Probe(source, tag, comm, status))
    }

    /// `MPI_Iprobe`.
    @inlinable @inline(__always)
    internal static func iprobe(_ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ flag: UnsafeMutablePointer<CInt>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws {
        try check("MPI_Iprobe", MPI_Iprobe(source, tag, comm, flag, status))
    }

    /// `MPI_Mprobe`.
    @inlinable @inline(__always)
    internal static func mprobe(_ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ message: UnsafeMutablePointer<MessageHandle>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws {
        try check("MPI_Mprobe", MPI_Mprobe(source, tag, comm, message, status))
    }

    /// `MPI_Improbe`.
    @inlinable @inline(__always)
    internal static func improbe(_ source: CInt, _ tag: CInt, _ comm: CommunicatorHandle, _ flag: UnsafeMutablePointer<CInt>?, _ message: UnsafeMutablePointer<MessageHandle>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws {
        try check("MPI_Improbe", MPI_Improbe(source, tag, comm, flag, message, status))
    }

    /// `MPI_Status_set_elements_x`.
    @inlinable @inline(__always)
    internal static func statusSetElementsX(_ status: UnsafeMutablePointer<MPI_Status>?, _ datatype: DatatypeHandle, _ count: MPI_Count) throws {
        try check("MPI_Status_set_elements_x", MPI_Status_set_elements_x(status, datatype, count))
    }

    /// `MPI_Get_count`.
    @inlinable @inline(__always)
    internal static func getCount(_ status: UnsafePointer<MPI_Status>?, _ datatype: DatatypeHandle, _ count: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Get_count", MPI_Get_count(status, datatype, count))
    }

    /// `MPI_Get_count`, returning its code, for a status MPI has just filled
    /// (completions, which never throw for it).
    @inlinable @inline(__always)
    internal static func getCountReturningCode(_ status: UnsafePointer<MPI_Status>?, _ datatype: DatatypeHandle, _ count: UnsafeMutablePointer<CInt>?) -> CInt {
        MPI_Get_count(status, datatype, count)
    }

    /// `MPI_Get_elements_x`.
    @inlinable @inline(__always)
    internal static func getElementsX(_ status: UnsafePointer<MPI_Status>?, _ datatype: DatatypeHandle, _ count: UnsafeMutablePointer<MPI_Count>?) throws {
        try check("MPI_Get_elements_x", MPI_Get_elements_x(status, datatype, count))
    }

    /// `MPI_Mrecv`, its failure reported as `operation`'s: the receive the
    /// caller asked for, which a matched probe and MPI_Mrecv carry out.
    @inlinable @inline(__always)
    internal static func mrecv(_ buf: UnsafeMutableRawPointer?, _ count: CInt, _ type: DatatypeHandle, _ message: UnsafeMutablePointer<MessageHandle>?, _ status: UnsafeMutablePointer<MPI_Status>?, reportingAs operation: StaticString) throws {
        try check(operation, MPI_Mrecv(buf, count, type, message, status))
    }
}
