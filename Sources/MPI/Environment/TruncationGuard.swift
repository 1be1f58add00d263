/// How receives keep the MPI library from writing past a buffer that is
/// shorter than the message (`MPI.truncationGuard`).
///
/// MPI reports such a message as truncated (MPI_ERR_TRUNCATE), but some
/// libraries copy it whole first: Open MPI 4.1 writes up to the message's
/// length past the buffer from 4 KiB up over shared memory, from 64 KiB up
/// over TCP and at every size in a rank's messages to itself, through its
/// transports' put and get. Where the library does, every receive into a
/// buffer of fixed size is guarded; where it is measured not to (MPICH 4.0,
/// over shared memory and UCX; Open MPI with put and get switched off in
/// every transport it loaded), receives go straight to MPI. Either way a short
/// buffer gives a thrown truncation error and nothing written past it. The
/// README's table says what was measured where.
public enum TruncationGuard: Sendable, Equatable, CustomStringConvertible {
    /// No guard: the library clips every message to the receive buffer, so
    /// receives are MPI_Recv and MPI_Irecv of the buffer's bytes.
    case unneeded
    /// Guarded: a blocking receive matches the message first (MPI_Mprobe,
    /// MPI_Get_count, MPI_Mrecv), so its size is known before any of it is
    /// written. A nonblocking receive, which must be posted at once, is posted
    /// through a datatype covering the buffer's bytes with its first and last
    /// byte swapped, which MPI must unpack piece by piece and so stops at the
    /// buffer's end (the two bytes are put back after).
    case guarded

    public var description: String {
        switch self {
        case .unneeded: "unneeded (MPI clips messages to the receive buffer)"
        case .guarded: "guarded (blocking receives by matched probe, nonblocking ones through a byte-swapped type)"
        }
    }
}

extension MPI {
    /// How receives are kept from writing past a short buffer, decided at
    /// initialization from the MPI library in use and, under Open MPI, from
    /// its transports' settings: `.unneeded` where the PML is ob1 and every
    /// BTL loaded is self, vader or tcp with put and get off
    /// (`--mca btl_self_flags send,inplace --mca btl_tcp_flags send,inplace
    /// --mca btl_vader_single_copy_mechanism none`, read through MPI_T when
    /// `OMPI_MCA_btl_self_flags` is set). No MPI call when read.
    public static var truncationGuard: TruncationGuard {
        MPIEnvironmentState.receivesAreGuarded ? .guarded : .unneeded
    }

    /// Switches the guard off or on for what follows, for tests that measure
    /// what the library itself writes past a buffer. Not for programs: with
    /// the guard off where it is needed, a short buffer is overrun.
    @_spi(Testing)
    public static func setTruncationGuard(_ truncationGuard: TruncationGuard) {
        MPIEnvironmentState.receivesAreGuarded = truncationGuard == .guarded
    }
}
