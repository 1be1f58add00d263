import CMPI

// The MPI C functions of one chapter, initialization, finalization, queries and error codes, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Init_thread`.
    @inlinable @inline(__always)
    internal static func initThread(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?, _ required: CInt, _ provided: UnsafeMutablePointer<CInt>?) throws {
        try checkAnytime("MPI_Init_thread", MPI_Init_thread(argc, argv, required, provided))
    }

    /// `MPI_Initialized`, returning its code for the caller to interpret (without the environment check).
    @inlinable @inline(__always)
    internal static func initializedReturningCode(_ flag: UnsafeMutablePointer<CInt>?) -> CInt {
        return MPI_Initialized(flag)
    }

    /// `MPI_Finalize`.
    @inlinable @inline(__always)
    internal static func finalize() throws {
        try check("MPI_Finalize", MPI_Finalize())
    }

    /// `MPI_Finalize`, returning its code for the caller to interpret (without the environment check).
    @inlinable @inline(__always)
    internal static func finalizeReturningCode() -> CInt {
        return MPI_Finalize()
    }

    /// `MPI_Finalized`, returning its code for the caller to interpret (without the environment check).
    @inlinable @inline(__always)
    internal static func finalizedReturningCode(_ flag: UnsafeMutablePointer<CInt>?) -> CInt {
        return MPI_Finalized(flag)
    }

    /// `MPI_Abort`.
    @inlinable @inline(__always)
    internal static func abort(_ comm: CommunicatorHandle, _ errorcode: CInt) throws {
        try check("MPI_Abort", MPI_Abort(comm, errorcode))
    }

    /// `MPI_Query_thread`.
    @inlinable @inline(__always)
    internal static func queryThread(_ provided: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Query_thread", MPI_Query_thread(provided))
    }

    /// `MPI_Get_version`.
    @inlinable @inline(__always)
    internal static func getVersion(_ version: UnsafeMutablePointer<CInt>?, _ subversion: UnsafeMutablePointer<CInt>?) throws {
        try checkAnytime("MPI_Get_version", MPI_Get_version(version, subversion))
    }

    /// `MPI_Get_library_version`.
    @inlinable @inline(__always)
    internal static func getLibraryVersion(_ version: UnsafeMutablePointer<CChar>?, _ resultlen: UnsafeMutablePointer<CInt>?) throws {
        try checkAnytime("MPI_Get_library_version", MPI_Get_library_version(version, resultlen))
    }

    /// `MPI_Get_processor_name`.
    @inlinable @inline(__always)
    internal static func getProcessorName(_ name: UnsafeMutablePointer<CChar>?, _ resultlen: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Get_processor_name", MPI_Get_processor_name(name, resultlen))
    }

    /// `MPI_Wtime`.
    @inlinable @inline(__always)
    internal static func wtime() throws -> Double {
        try requireActive("MPI_Wtime")
        return MPI_Wtime()
    }

    /// `MPI_Wtick`.
    @inlinable @inline(__always)
    internal static func wtick() throws -> Double {
        try requireActive("MPI_Wtick")
        return MPI_Wtick()
    }

    /// `MPI_Error_class`, returning its code for the caller to interpret (without the environment check).
    @inlinable @inline(__always)
    internal static func errorClassReturningCode(_ errorcode: CInt, _ errorclass: UnsafeMutablePointer<CInt>?) -> CInt {
        return MPI_Error_class(errorcode, errorclass)
    }

    /// `MPI_Error_string`, returning its code for the caller to interpret (without the environment check).
    @inlinable @inline(__always)
    internal static func errorStringReturningCode(_ errorcode: CInt, _ string: UnsafeMutablePointer<CChar>?, _ resultlen: UnsafeMutablePointer<CInt>?) -> CInt {
        return MPI_Error_string(errorcode, string, resultlen)
    }
}
