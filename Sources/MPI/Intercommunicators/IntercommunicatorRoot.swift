import CMPI

/// The root of a rooted collective over an ``Intercommunicator``: data moves
/// between the root, in one group, and every process of the other group.
public enum IntercommunicatorRoot: Sendable, Equatable {
    /// This process is the root (`MPI_ROOT`).
    case root
    /// This process is in the root's group but is not the root (`MPI_PROC_NULL`);
    /// it takes no part in the data movement.
    case none
    /// The root is the process with this rank in the remote group (every
    /// process of the other group passes it).
    case remote(Int)
}

extension Intercommunicator {
    /// MPI's root argument for `root`; a remote rank is checked against the remote group.
    internal func checkedRoot(_ root: IntercommunicatorRoot, operation: StaticString) throws -> CInt {
        switch root {
        case .root: return cmpi_root()
        case .none: return cmpi_proc_null()
        case .remote(let rank):
            guard rank >= 0, rank < remoteSize else {
                throw MPIError.invalidArgument("root", rank, "must be .root, .none or .remote(r) with r in 0..<\(remoteSize), "
                                               + "the remote group", errorClass: .root, operation: operation)
            }
            return CInt(rank)
        }
    }
}
