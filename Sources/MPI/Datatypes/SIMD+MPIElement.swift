// SIMD vectors and inline arrays of element types are element types: their
// datatype is `count` scalars one after another (MPI_Type_contiguous),
// resized to the vector's stride, made once per type (SIMD3's stride is
// that of four scalars, so one lane of padding travels as nothing).

/// A scalar whose SIMD vectors are element types: the integer and
/// floating-point types this package maps to MPI datatypes.
public protocol MPIVectorScalar: MPIElement, SIMDScalar, Codable, Hashable
where SIMD2Storage: BitwiseCopyable, SIMD4Storage: BitwiseCopyable, SIMD8Storage: BitwiseCopyable,
      SIMD16Storage: BitwiseCopyable {}

extension Int8: MPIVectorScalar {}
extension Int16: MPIVectorScalar {}
extension Int32: MPIVectorScalar {}
extension Int64: MPIVectorScalar {}
extension Int: MPIVectorScalar {}
extension UInt8: MPIVectorScalar {}
extension UInt16: MPIVectorScalar {}
extension UInt32: MPIVectorScalar {}
extension UInt64: MPIVectorScalar {}
extension UInt: MPIVectorScalar {}
extension Float: MPIVectorScalar {}
extension Double: MPIVectorScalar {}

extension SIMD2: MPIElement where Scalar: MPIVectorScalar {
    /// `MPI_Type_contiguous` of 2 scalars, resized to the stride (`MPI_Type_create_resized`).
    public static var mpiDatatype: Datatype { repeatedScalars(Self.self, Scalar.self, count: 2) }
}
extension SIMD3: MPIElement where Scalar: MPIVectorScalar {
    /// `MPI_Type_contiguous` of 3 scalars, resized to the stride (`MPI_Type_create_resized`).
    public static var mpiDatatype: Datatype { repeatedScalars(Self.self, Scalar.self, count: 3) }
}
extension SIMD4: MPIElement where Scalar: MPIVectorScalar {
    /// `MPI_Type_contiguous` of 4 scalars, resized to the stride (`MPI_Type_create_resized`).
    public static var mpiDatatype: Datatype { repeatedScalars(Self.self, Scalar.self, count: 4) }
}
extension SIMD8: MPIElement where Scalar: MPIVectorScalar {
    /// `MPI_Type_contiguous` of 8 scalars, resized to the stride (`MPI_Type_create_resized`).
    public static var mpiDatatype: Datatype { repeatedScalars(Self.self, Scalar.self, count: 8) }
}
extension SIMD16: MPIElement where Scalar: MPIVectorScalar {
    /// `MPI_Type_contiguous` of 16 scalars, resized to the stride (`MPI_Type_create_resized`).
    public static var mpiDatatype: Datatype { repeatedScalars(Self.self, Scalar.self, count: 16) }
}

extension InlineArray: MPIElement where Element: MPIElement {
    /// `MPI_Type_contiguous` of `count` elements, resized to the stride (`MPI_Type_create_resized`).
    public static var mpiDatatype: Datatype { repeatedScalars(Self.self, Element.self, count: count) }
}

/// The cached datatype of `count` values of `Element` making up a `Vector`.
private func repeatedScalars<Vector, Element: MPIElement>(_ vector: Vector.Type, _ element: Element.Type, count: Int) -> Datatype {
    DerivedDatatypes.datatype(for: vector) { try DerivedDatatypes.makeRepetition(vector, of: element, count: count) }
}
