import CMPI

/// An MPI datatype handle (MPI_Datatype).
///
/// Predefined datatypes only for now; each ``MPIElement`` names its own.
@frozen
public struct Datatype: @unchecked Sendable {
    /// The MPI handle. Its representation differs between implementations
    /// (a pointer in Open MPI, an integer in MPICH).
    public let handle: DatatypeHandle

    /// Wraps an MPI_Datatype handle, which stays owned by its creator.
    @inlinable
    public init(handle: DatatypeHandle) { self.handle = handle }

    /// The size of one element in bytes (MPI_Type_size).
    public func size() throws -> Int {
        var size: CInt = 0
        try mpiCall("MPI_Type_size", MPI_Type_size(handle, &size))
        return Int(size)
    }
}
