import CMPI

// Collective communication (MPI 3.1 chapter 5).

extension Communicator {
    /// Waits until every process of the communicator has called it.
    ///
    /// The corresponding C function is `MPI_Barrier`.
    public func barrier() throws {
        try mpiCall("MPI_Barrier", MPI_Barrier(handle))
    }
}
