import CMPI

/// A group of processes that communicate (CommunicatorHandle).
///
/// ``world`` and ``selfOnly`` are MPI's predefined communicators. Communicators
/// made by ``duplicate()`` or ``split(color:key:)`` are freed with
/// MPI_Comm_free exactly once, when the last reference goes away. Every
/// communicator this package hands out returns errors (MPI_ERRORS_RETURN),
/// which its operations throw as ``MPIError``.
///
/// `rank` and `size` are read once, when the communicator is made.
public final class Communicator: @unchecked Sendable {
    /// The MPI handle, for calling MPI functions this package does not wrap.
    /// It stays owned by the communicator: do not free it.
    public let handle: CommunicatorHandle
    /// This process's rank in the communicator (MPI_Comm_rank).
    public let rank: Int
    /// The number of processes in the communicator (MPI_Comm_size).
    public let size: Int
    /// Whether the communicator is predefined (never freed).
    @usableFromInline internal let isPredefined: Bool
    /// How many processes point-to-point ranks address: `size`, except on the
    /// communicator inside an ``Intercommunicator``, whose peers are the
    /// remote group's (MPI_Comm_remote_size).
    @usableFromInline internal let peerCount: Int

    /// The process topology's neighbours and degrees, set by the topology
    /// constructors (and carried by duplicate()), so that a neighbourhood
    /// collective asks MPI nothing; nil without a topology.
    internal var neighborhood: Neighborhood?

    @usableFromInline
    internal init(handle: CommunicatorHandle, isPredefined: Bool, peerCount: Int? = nil) throws {
        var rank: CInt = 0, size: CInt = 0
        try MPIC.commRank(handle, &rank)
        try MPIC.commSize(handle, &size)
        self.handle = handle
        self.rank = Int(rank)
        self.size = Int(size)
        self.isPredefined = isPredefined
        self.peerCount = peerCount ?? Int(size)
    }

    /// Takes ownership of a communicator MPI has just created and makes it
    /// return errors; frees it if that fails. An intercommunicator's peers
    /// are its remote group.
    internal convenience init(adopting handle: CommunicatorHandle, isIntercommunicator: Bool = false) throws {
        var remoteSize: CInt = 0
        do {
            try MPIC.commSetErrhandler(handle, cmpi_errors_return())
            if isIntercommunicator { try MPIC.commRemoteSize(handle, &remoteSize) }
        } catch {
            var handle = handle
            try? MPIC.commFree(&handle)
            throw error
        }
        try self.init(handle: handle, isPredefined: false, peerCount: isIntercommunicator ? Int(remoteSize) : nil)
    }

    deinit {
        guard !isPredefined else { return }
        releaseOnMPIThread(handle) { handle in
            var handle = handle
            MPIC.releasing { try MPIC.commFree(&handle) }
        }
    }

    /// All processes of the job (MPI_COMM_WORLD). Available once MPI is initialized.
    public static var world: Communicator {
        get throws { try predefined(worldCache, "MPI_COMM_WORLD") }
    }

    /// This process alone (MPI_COMM_SELF). Available once MPI is initialized.
    public static var selfOnly: Communicator {
        get throws { try predefined(selfCache, "MPI_COMM_SELF") }
    }

    // Written once by MPI.initialize, before any other thread may use MPI.
    nonisolated(unsafe) private static var worldCache: Communicator?
    nonisolated(unsafe) private static var selfCache: Communicator?

    /// Makes the predefined communicators; called by MPI.initialize.
    internal static func makePredefined() throws {
        worldCache = try Communicator(handle: cmpi_comm_world(), isPredefined: true)
        selfCache = try Communicator(handle: cmpi_comm_self(), isPredefined: true)
    }

    private static func predefined(_ cached: Communicator?, _ name: StaticString) throws -> Communicator {
        try MPIC.requireActive(name)
        guard let cached else { throw MPIError.inactiveEnvironment(name) }
        return cached
    }
}

extension Communicator: CustomStringConvertible {
    /// The name (MPI_Comm_get_name), rank and size, for printing.
    public var description: String {
        let name = (try? self.name) ?? "communicator"
        return "\(name) (rank \(rank) of \(size))"
    }
}
