import CMPI

// The MPI C functions of one chapter, completing and cancelling requests, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Wait`.
    @inlinable @inline(__always)
    internal static func wait(_ request: UnsafeMutablePointer<RequestHandle>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws {
        try check("MPI_Wait", MPI_Wait(request, status))
    }

    /// `MPI_Wait`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func waitReturningCode(_ request: UnsafeMutablePointer<RequestHandle>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Wait")
        return MPI_Wait(request, status)
    }

    /// `MPI_Test`.
    @inlinable @inline(__always)
    internal static func test(_ request: UnsafeMutablePointer<RequestHandle>?, _ flag: UnsafeMutablePointer<CInt>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws {
        try check("MPI_Test", MPI_Test(request, flag, status))
    }

    /// `MPI_Test`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func testReturningCode(_ request: UnsafeMutablePointer<RequestHandle>?, _ flag: UnsafeMutablePointer<CInt>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Test")
        return MPI_Test(request, flag, status)
    }

    /// `MPI_Cancel`.
    @inlinable @inline(__always)
    internal static func cancel(_ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Cancel", MPI_Cancel(request))
    }

    /// `MPI_Test_cancelled`.
    @inlinable @inline(__always)
    internal static func testCancelled(_ status: UnsafePointer<MPI_Status>?, _ flag: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Test_cancelled", MPI_Test_cancelled(status, flag))
    }

    /// `MPI_Waitall`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func waitallReturningCode(_ count: CInt, _ arrayOfRequests: UnsafeMutablePointer<RequestHandle>?, _ arrayOfStatuses: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Waitall")
        return MPI_Waitall(count, arrayOfRequests, arrayOfStatuses)
    }

    /// `MPI_Waitany`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func waitanyReturningCode(_ count: CInt, _ arrayOfRequests: UnsafeMutablePointer<RequestHandle>?, _ index: UnsafeMutablePointer<CInt>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Waitany")
        return MPI_Waitany(count, arrayOfRequests, index, status)
    }

    /// `MPI_Waitsome`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func waitsomeReturningCode(_ incount: CInt, _ arrayOfRequests: UnsafeMutablePointer<RequestHandle>?, _ outcount: UnsafeMutablePointer<CInt>?, _ arrayOfIndices: UnsafeMutablePointer<CInt>?, _ arrayOfStatuses: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Waitsome")
        return MPI_Waitsome(incount, arrayOfRequests, outcount, arrayOfIndices, arrayOfStatuses)
    }

    /// `MPI_Testall`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func testallReturningCode(_ count: CInt, _ arrayOfRequests: UnsafeMutablePointer<RequestHandle>?, _ flag: UnsafeMutablePointer<CInt>?, _ arrayOfStatuses: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Testall")
        return MPI_Testall(count, arrayOfRequests, flag, arrayOfStatuses)
    }

    /// `MPI_Testany`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func testanyReturningCode(_ count: CInt, _ arrayOfRequests: UnsafeMutablePointer<RequestHandle>?, _ index: UnsafeMutablePointer<CInt>?, _ flag: UnsafeMutablePointer<CInt>?, _ status: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Testany")
        return MPI_Testany(count, arrayOfRequests, index, flag, status)
    }

    /// `MPI_Testsome`, returning its code for the caller to interpret (after the environment check).
    @inlinable @inline(__always)
    internal static func testsomeReturningCode(_ incount: CInt, _ arrayOfRequests: UnsafeMutablePointer<RequestHandle>?, _ outcount: UnsafeMutablePointer<CInt>?, _ arrayOfIndices: UnsafeMutablePointer<CInt>?, _ arrayOfStatuses: UnsafeMutablePointer<MPI_Status>?) throws -> CInt {
        try requireActive("MPI_Testsome")
        return MPI_Testsome(incount, arrayOfRequests, outcount, arrayOfIndices, arrayOfStatuses)
    }
}
