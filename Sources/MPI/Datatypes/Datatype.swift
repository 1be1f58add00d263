import CMPI

/// An MPI datatype handle (MPI_Datatype).
///
/// Predefined, or derived by this package for structs (``structure(of:_:)``),
/// SIMD vectors and inline arrays; each ``MPIElement`` names its own.
@frozen
public struct Datatype: @unchecked Sendable {
    /// The MPI handle. Its representation differs between implementations
    /// (a pointer in Open MPI, an integer in MPICH).
    public let handle: DatatypeHandle
    /// The size and extent in bytes (MPI_Type_size, MPI_Type_get_extent) of
    /// a datatype this package names for its own element types (a test checks
    /// them against MPI); 0 for a handle from elsewhere, whose layout is
    /// checked against its element type's once, at first use.
    @usableFromInline internal let knownSize: Int
    @usableFromInline internal let knownExtent: Int

    /// Wraps an MPI_Datatype handle, which stays owned by its creator.
    ///
    /// The first operation on an element type whose ``MPIElement/mpiDatatype``
    /// is made this way checks the datatype against the type's memory layout
    /// (see ``MPIElement``) and throws `MPIError` with class `.type` if they
    /// differ.
    @inlinable
    public init(handle: DatatypeHandle) {
        self.handle = handle
        self.knownSize = 0
        self.knownExtent = 0
    }

    /// One of MPI's predefined datatypes, of `size` bytes of data and an
    /// extent of `extent` bytes (with the lower bound 0).
    @inlinable
    internal init(predefined handle: DatatypeHandle, size: Int, extent: Int) {
        self.handle = handle
        self.knownSize = size
        self.knownExtent = extent
    }

    /// The lower bound and extent in bytes (MPI_Type_get_extent): where MPI
    /// places consecutive elements.
    public func extent() throws -> (lowerBound: Int, extent: Int) {
        var lowerBound: MPI_Aint = 0
        var extent: MPI_Aint = 0
        try MPIC.typeGetExtent(handle, &lowerBound, &extent)
        return (Int(lowerBound), Int(extent))
    }

    /// The size of one element in bytes (MPI_Type_size).
    public func size() throws -> Int {
        var size: CInt = 0
        try MPIC.typeSize(handle, &size)
        return Int(size)
    }
}
