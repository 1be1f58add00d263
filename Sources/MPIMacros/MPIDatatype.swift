@_exported import MPI

/// Makes a struct an ``MPI/MPIElement`` whose datatype is built from its
/// stored properties (``MPI/Datatype/structure(of:_:)``:
/// `MPI_Type_create_struct` with the offsets of `MemoryLayout`, resized to
/// the stride), so that arrays of it travel in every operation arrays of
/// `Double` do.
///
/// Every stored property must itself be an `MPIElement` (a number, `Bool`,
/// a SIMD vector, an `InlineArray` of elements, or another `@MPIDatatype`
/// struct); the compiler says which one is not. Computed and static
/// properties are left out; a class, an enum or a property without a
/// written type is a compile-time error.
///
/// ```swift
/// @MPIDatatype
/// struct Particle {
///     var position: SIMD3<Double>
///     var charge: Float
/// }
/// ```
@attached(extension, conformances: MPIElement, names: named(mpiDatatype))
public macro MPIDatatype() = #externalMacro(module: "MPIMacrosPlugin", type: "MPIDatatypeMacro")
