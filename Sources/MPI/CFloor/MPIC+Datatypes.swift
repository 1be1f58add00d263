import CMPI

// The MPI C functions of one chapter, derived datatypes and reduction operations, each wrapped once.
// Generated from Open MPI 4.1's mpi.h prototypes; see MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Type_commit`.
    @inlinable @inline(__always)
    internal static func typeCommit(_ type: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_commit", MPI_Type_commit(type))
    }

    /// `MPI_Type_contiguous`.
    @inlinable @inline(__always)
    internal static func typeContiguous(_ count: CInt, _ oldtype: DatatypeHandle, _ newtype: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_contiguous", MPI_Type_contiguous(count, oldtype, newtype))
    }

    /// `MPI_Get_address`.
    @inlinable @inline(__always)
    internal static func getAddress(_ location: UnsafeRawPointer?, _ address: UnsafeMutablePointer<MPI_Aint>?) throws {
        try check("MPI_Get_address", MPI_Get_address(location, address))
    }

    /// `MPI_Type_create_hindexed`.
    @inlinable @inline(__always)
    internal static func typeCreateHindexed(_ count: CInt, _ arrayOfBlocklengths: UnsafePointer<CInt>?, _ arrayOfDisplacements: UnsafePointer<MPI_Aint>?, _ oldtype: DatatypeHandle, _ newtype: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_create_hindexed", MPI_Type_create_hindexed(count, arrayOfBlocklengths, arrayOfDisplacements, oldtype, newtype))
    }

    /// `MPI_Type_create_resized`.
    @inlinable @inline(__always)
    internal static func typeCreateResized(_ oldtype: DatatypeHandle, _ lb: MPI_Aint, _ extent: MPI_Aint, _ newtype: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_create_resized", MPI_Type_create_resized(oldtype, lb, extent, newtype))
    }

    /// `MPI_Type_create_struct`.
    @inlinable @inline(__always)
    internal static func typeCreateStruct(_ count: CInt, _ arrayOfBlockLengths: UnsafePointer<CInt>?, _ arrayOfDisplacements: UnsafePointer<MPI_Aint>?, _ arrayOfTypes: UnsafePointer<DatatypeHandle>?, _ newtype: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_create_struct", MPI_Type_create_struct(count, arrayOfBlockLengths, arrayOfDisplacements, arrayOfTypes, newtype))
    }

    /// `MPI_Type_free`.
    @inlinable @inline(__always)
    internal static func typeFree(_ type: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_free", MPI_Type_free(type))
    }

    /// `MPI_Type_get_extent`.
    @inlinable @inline(__always)
    internal static func typeGetExtent(_ type: DatatypeHandle, _ lb: UnsafeMutablePointer<MPI_Aint>?, _ extent: UnsafeMutablePointer<MPI_Aint>?) throws {
        try check("MPI_Type_get_extent", MPI_Type_get_extent(type, lb, extent))
    }

    /// `MPI_Type_size`.
    @inlinable @inline(__always)
    internal static func typeSize(_ type: DatatypeHandle, _ size: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Type_size", MPI_Type_size(type, size))
    }

    /// `MPI_Op_create`.
    @inlinable @inline(__always)
    internal static func opCreate(_ function_: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<CInt>?, UnsafeMutablePointer<DatatypeHandle>?) -> Void)?, _ commute: CInt, _ op: UnsafeMutablePointer<OperationHandle>?) throws {
        // Not through check's autoclosure, which cannot carry a C function pointer.
        try requireActive("MPI_Op_create")
        try checkAnytime("MPI_Op_create", MPI_Op_create(function_, commute, op))
    }

    /// `MPI_Op_free`.
    @inlinable @inline(__always)
    internal static func opFree(_ op: UnsafeMutablePointer<OperationHandle>?) throws {
        try check("MPI_Op_free", MPI_Op_free(op))
    }

    /// `MPI_Type_get_envelope`.
    @inlinable @inline(__always)
    internal static func typeGetEnvelope(_ type: DatatypeHandle, _ integers: UnsafeMutablePointer<CInt>?, _ addresses: UnsafeMutablePointer<CInt>?, _ datatypes: UnsafeMutablePointer<CInt>?, _ combiner: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Type_get_envelope", MPI_Type_get_envelope(type, integers, addresses, datatypes, combiner))
    }

    /// `MPI_Type_get_contents`.
    @inlinable @inline(__always)
    internal static func typeGetContents(_ type: DatatypeHandle, _ maxIntegers: CInt, _ maxAddresses: CInt, _ maxDatatypes: CInt, _ integers: UnsafeMutablePointer<CInt>?, _ addresses: UnsafeMutablePointer<MPI_Aint>?, _ datatypes: UnsafeMutablePointer<DatatypeHandle>?) throws {
        try check("MPI_Type_get_contents", MPI_Type_get_contents(type, maxIntegers, maxAddresses, maxDatatypes, integers, addresses, datatypes))
    }
}
