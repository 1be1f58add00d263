import CMPI

/// A value paired with the rank that holds it, for ``ReductionOperation/minLoc``
/// and ``ReductionOperation/maxLoc``.
///
/// Its layout is C's `struct { Value value; int rank; }`, MPI's pair types
/// (MPI_DOUBLE_INT, MPI_FLOAT_INT, MPI_LONG_INT, MPI_2INT, MPI_SHORT_INT,
/// MPI_LONG_DOUBLE_INT). MPI calls the second member an index; any `Int32`
/// works, and ties go to the lowest.
@frozen
public struct ValueAndRank<Value: LocatableValue>: MPIElement, Equatable, CustomStringConvertible {
    /// The value compared by MPI_MINLOC and MPI_MAXLOC.
    public var value: Value
    @usableFromInline internal var storedRank: Int32

    /// The rank (or index) paired with the value: the pair type's `int` member.
    @inlinable
    public var rank: Int {
        get { Int(storedRank) }
        set { storedRank = Int32(truncatingIfNeeded: newValue) }
    }

    /// - Parameter rank: must fit in `Int32`, as MPI stores it as an `int`.
    @inlinable
    public init(value: Value, rank: Int) {
        precondition(Int32(exactly: rank) != nil, "ValueAndRank: rank \(rank) does not fit in a C int")
        self.value = value
        self.storedRank = Int32(truncatingIfNeeded: rank)
    }

    /// The MPI pair type of `Value`.
    @inlinable
    public static var mpiDatatype: Datatype { Value.pairDatatype }

    /// The pair, for printing (no MPI call).
    public var description: String { "(\(value), rank \(rank))" }
}

/// The element types MPI pairs with an `int` for MINLOC and MAXLOC.
public protocol LocatableValue: MPIElement, Comparable {
    /// The MPI pair type `{Self value; int index}`.
    static var pairDatatype: Datatype { get }
}

extension LocatableValue {
    /// The data in MPI's pair type: the value and a C int (MPI_Type_size);
    /// its extent is the pair's stride, padding included (no MPI call).
    @inlinable internal static var pairSize: Int { MemoryLayout<Self>.stride + MemoryLayout<CInt>.size }
    @inlinable internal static var pairExtent: Int { MemoryLayout<ValueAndRank<Self>>.stride }
}

/// Lets ``ReductionOperation`` offer `.minLoc` and `.maxLoc` (MPI_MINLOC,
/// MPI_MAXLOC) for every ``ValueAndRank``.
public protocol ValueAndRankProtocol: MPIElement {}
extension ValueAndRank: ValueAndRankProtocol {}

extension Int16: LocatableValue {
    /// MPI_SHORT_INT.
    @inlinable public static var pairDatatype: Datatype { Datatype(predefined: cmpi_short_int(), size: pairSize, extent: pairExtent) }
}
extension Int32: LocatableValue {
    /// MPI_2INT.
    @inlinable public static var pairDatatype: Datatype { Datatype(predefined: cmpi_2int(), size: pairSize, extent: pairExtent) }
}
extension Int: LocatableValue {
    /// MPI_LONG_INT (`long` is 64 bits on the 64-bit Linux platforms Swift supports).
    @inlinable public static var pairDatatype: Datatype { Datatype(predefined: cmpi_long_int(), size: pairSize, extent: pairExtent) }
}
extension Float: LocatableValue {
    /// MPI_FLOAT_INT.
    @inlinable public static var pairDatatype: Datatype { Datatype(predefined: cmpi_float_int(), size: pairSize, extent: pairExtent) }
}
extension Double: LocatableValue {
    /// MPI_DOUBLE_INT.
    @inlinable public static var pairDatatype: Datatype { Datatype(predefined: cmpi_double_int(), size: pairSize, extent: pairExtent) }
}
#if arch(x86_64) || arch(i386)
extension Float80: LocatableValue {
    /// MPI_LONG_DOUBLE_INT.
    @inlinable public static var pairDatatype: Datatype { Datatype(predefined: cmpi_long_double_int(), size: pairSize, extent: pairExtent) }
}
#endif
