import CMPI

/// An ordered set of processes (MPI_Group), for building communicators from
/// chosen processes and for translating ranks between communicators.
///
/// Groups are local objects: making one involves no communication. A group
/// this package hands out is freed with MPI_Group_free exactly once, when the
/// last reference goes away (``empty`` is predefined and never freed).
/// `size` and `rank` are read once, when the group is made.
public final class Group: @unchecked Sendable {
    /// The MPI handle, for calling MPI functions this package does not wrap.
    /// It stays owned by the group: do not free it.
    public let handle: GroupHandle
    /// The number of processes in the group.
    ///
    /// The corresponding C function is `MPI_Group_size`.
    public let size: Int
    /// This process's rank in the group, or nil if it is not a member.
    ///
    /// The corresponding C function is `MPI_Group_rank` (nil for `MPI_UNDEFINED`).
    public let rank: Int?
    /// Whether deinit frees the handle (not for MPI_GROUP_EMPTY).
    private let owned: Bool

    /// Takes ownership of a group MPI has just created; frees it if its
    /// queries fail.
    internal init(adopting handle: GroupHandle) throws {
        let owned = handle != cmpi_group_empty()
        var size: CInt = 0, rank: CInt = 0
        do {
            try MPIC.groupSize(handle, &size)
            try MPIC.groupRank(handle, &rank)
        } catch {
            var handle = handle
            if owned { try? MPIC.groupFree(&handle) }
            throw error
        }
        self.handle = handle
        self.size = Int(size)
        self.rank = rank == cmpi_undefined() ? nil : Int(rank)
        self.owned = owned
    }

    deinit {
        guard owned else { return }
        releaseOnMPIThread(handle) { handle in
            var handle = handle
            MPIC.releasing { try MPIC.groupFree(&handle) }
        }
    }

    /// The group with no processes (MPI_GROUP_EMPTY). Available once MPI is initialized.
    ///
    /// The corresponding C function is `MPI_Group_size` (of `MPI_GROUP_EMPTY`).
    public static var empty: Group {
        get throws { try Group(adopting: cmpi_group_empty()) }
    }
}

extension Group: CustomStringConvertible {
    /// The size and this process's rank, for printing.
    public var description: String {
        "group of \(size)" + (rank.map { " (rank \($0))" } ?? " (not a member)")
    }
}
