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
/// MPI places element `i` of a buffer at `i` times the datatype's extent; Swift
/// places it at `i * MemoryLayout<T>.stride`. So the datatype must have lower
/// bound 0 and extent `MemoryLayout<T>.stride`, and for receives (which count
/// a message's bytes in whole strides) its data must fill the stride: no
/// padding. The first operation on a type checks this (MPI_Type_size,
/// MPI_Type_get_extent) and throws ``MPIError`` with class `.type`, naming the
/// type, when it does not hold. Until this package builds struct datatypes
/// itself:
///
/// - A wrapper of one element type can use that type's datatype:
///   `struct Meters: MPIElement { var value: Double; static var mpiDatatype: Datatype { Double.mpiDatatype } }`.
/// - A struct of several fields of one type without padding can use a
///   contiguous type, made once after MPI is initialized and kept for the
///   program's life:
///   ```swift
///   struct Vector3: MPIElement {
///       var x, y, z: Double
///       nonisolated(unsafe) static var datatype: DatatypeHandle = ...   // MPI_DATATYPE_NULL until made
///       static var mpiDatatype: Datatype { Datatype(handle: datatype) }
///   }
///   // after MPI.initialize (or inside MPI.run), with `import CMPI`:
///   MPI_Type_contiguous(3, Double.mpiDatatype.handle, &Vector3.datatype)
///   MPI_Type_commit(&Vector3.datatype)
///   ```
/// - A struct with fields of different types needs `MPI_Type_create_struct`
///   with the offsets from `MemoryLayout<T>.offset(of:)`, then
///   `MPI_Type_create_resized` to lower bound 0 and extent
///   `MemoryLayout<T>.stride`, then `MPI_Type_commit`. If that leaves padding
///   (a `Double` and an `Int32` in 16 bytes), collectives and sends work,
///   while receives throw.
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
