import CMPI

/// A Swift type that travels in MPI messages as a predefined MPI datatype.
///
/// Conforming types are plain values (`BitwiseCopyable`) whose memory layout
/// is exactly the MPI datatype's, so buffers of them go to MPI without copying.
public protocol MPIElement: BitwiseCopyable {
    /// The MPI datatype of one value.
    static var mpiDatatype: Datatype { get }
}

extension Int8: MPIElement {
    /// MPI_INT8_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_int8()) }
}
extension Int16: MPIElement {
    /// MPI_INT16_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_int16()) }
}
extension Int32: MPIElement {
    /// MPI_INT32_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_int32()) }
}
extension Int64: MPIElement {
    /// MPI_INT64_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_int64()) }
}
extension UInt8: MPIElement {
    /// MPI_UINT8_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_uint8()) }
}
extension UInt16: MPIElement {
    /// MPI_UINT16_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_uint16()) }
}
extension UInt32: MPIElement {
    /// MPI_UINT32_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_uint32()) }
}
extension UInt64: MPIElement {
    /// MPI_UINT64_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_uint64()) }
}
extension Int: MPIElement {
    /// MPI_INT64_T or MPI_INT32_T, matching `Int`'s width on this platform.
    @inlinable public static var mpiDatatype: Datatype {
        Datatype(handle: MemoryLayout<Int>.size == 8 ? cmpi_int64() : cmpi_int32())
    }
}
extension UInt: MPIElement {
    /// MPI_UINT64_T or MPI_UINT32_T, matching `UInt`'s width on this platform.
    @inlinable public static var mpiDatatype: Datatype {
        Datatype(handle: MemoryLayout<UInt>.size == 8 ? cmpi_uint64() : cmpi_uint32())
    }
}
extension Float: MPIElement {
    /// MPI_FLOAT.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_float()) }
}
extension Double: MPIElement {
    /// MPI_DOUBLE.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_double()) }
}
extension Bool: MPIElement {
    /// MPI_C_BOOL: one byte, like Swift's `Bool`.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_c_bool()) }
}

#if arch(x86_64) || arch(i386)
extension Float80: MPIElement {
    /// MPI_LONG_DOUBLE: C's `long double`, which is Float80 on x86.
    @inlinable public static var mpiDatatype: Datatype { Datatype(handle: cmpi_long_double()) }
}
#endif
