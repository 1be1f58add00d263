import CMPI

/// A Swift type that travels in MPI messages as an MPI datatype.
///
/// Conforming types are plain values (`BitwiseCopyable`) whose memory layout
/// is exactly the MPI datatype's, so buffers of them go to MPI without copying.
/// The integer, floating-point and `Bool` types conform, and so does
/// ``ValueAndRank``.
///
/// ## Conforming a type of your own
///
/// A struct of element types (numbers, `Bool`, SIMD vectors, `InlineArray`s
/// of elements, other such structs) becomes one with `@MPIDatatype` from the
/// `MPIMacros` product, which describes every stored property; by hand, with
/// ``Datatype/structure(of:_:)``. Either way the datatype is
/// `MPI_Type_create_struct` over the real layout, resized to the stride.
///
/// MPI places element `i` of a buffer at `i` times the datatype's extent; Swift
/// places it at `i * MemoryLayout<T>.stride`. So the datatype must have lower
/// bound 0 and extent `MemoryLayout<T>.stride`. A datatype of fewer bytes of
/// data than the stride (a struct with padding) is sent, gathered, reduced and
/// received into new arrays, which MPI unpacks by the datatype; receives into
/// a buffer of your own count a message in whole strides, so they take only
/// element types without padding, and throw otherwise. The first operation on
/// a type whose datatype comes from elsewhere checks it (MPI_Type_size,
/// MPI_Type_get_extent) and throws ``MPIError`` with class `.type`, naming the
/// type, when it does not hold. A wrapper of one element type can also use
/// that type's datatype:
/// `struct Meters: MPIElement { var value: Double; static var mpiDatatype: Datatype { Double.mpiDatatype } }`.
public protocol MPIElement: BitwiseCopyable {
    /// The MPI datatype of one value.
    static var mpiDatatype: Datatype { get }
}

extension Int8: MPIElement {
    /// MPI_INT8_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_int8(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension Int16: MPIElement {
    /// MPI_INT16_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_int16(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension Int32: MPIElement {
    /// MPI_INT32_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_int32(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension Int64: MPIElement {
    /// MPI_INT64_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_int64(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension UInt8: MPIElement {
    /// MPI_UINT8_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_uint8(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension UInt16: MPIElement {
    /// MPI_UINT16_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_uint16(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension UInt32: MPIElement {
    /// MPI_UINT32_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_uint32(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension UInt64: MPIElement {
    /// MPI_UINT64_T.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_uint64(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension Int: MPIElement {
    /// MPI_INT64_T or MPI_INT32_T, matching `Int`'s width on this platform.
    @inlinable public static var mpiDatatype: Datatype {
        Datatype(predefined: MemoryLayout<Int>.size == 8 ? cmpi_int64() : cmpi_int32(), size: MemoryLayout<Int>.stride, extent: MemoryLayout<Int>.stride)
    }
}
extension UInt: MPIElement {
    /// MPI_UINT64_T or MPI_UINT32_T, matching `UInt`'s width on this platform.
    @inlinable public static var mpiDatatype: Datatype {
        Datatype(predefined: MemoryLayout<UInt>.size == 8 ? cmpi_uint64() : cmpi_uint32(), size: MemoryLayout<UInt>.stride, extent: MemoryLayout<UInt>.stride)
    }
}
extension Float: MPIElement {
    /// MPI_FLOAT.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_float(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension Double: MPIElement {
    /// MPI_DOUBLE.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_double(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
extension Bool: MPIElement {
    /// MPI_C_BOOL: one byte, like Swift's `Bool`.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_c_bool(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}

#if arch(x86_64) || arch(i386)
extension Float80: MPIElement {
    /// MPI_LONG_DOUBLE: C's `long double`, which is Float80 on x86.
    @inlinable public static var mpiDatatype: Datatype { Datatype(predefined: cmpi_long_double(), size: MemoryLayout<Self>.stride, extent: MemoryLayout<Self>.stride) }
}
#endif
