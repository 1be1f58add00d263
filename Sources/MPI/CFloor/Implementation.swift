import CMPI

// What differs between the two MPIs this package builds against, beyond the
// handle types (Handles.swift): which one it is, and the operations that
// replace MPI's own where an implementation gets them wrong.

/// The MPI this package was built against, and its launcher.
@usableFromInline
internal enum BuiltImplementation {
    #if MPICH
    static let name = "MPICH"
    static let launcher = "MPICH's mpiexec (mpiexec.mpich)"
    #else
    static let name = "Open MPI"
    static let launcher = "Open MPI's mpirun (mpirun.openmpi)"
    #endif

    /// Whether this MPI can write past a receive buffer shorter than the
    /// message, with its default transports. Measured by Tests/GuardBytesC and
    /// the guard-bytes suite (the README's table): Open MPI 4.1's ob1 copies
    /// the whole message past the buffer from 4 KiB up over shared memory (its
    /// single-copy transfer), 64 KiB up over TCP (its RDMA-style get) and at
    /// every size to the same rank, sizing the transfer from the sender's
    /// length; MPICH 4.0 clips every copy to the buffer, over shared memory,
    /// over UCX (TCP included) and to the same rank.
    @inlinable
    static var overrunsShortReceives: Bool {
        #if MPICH
        false
        #else
        true
        #endif
    }

    /// Whether MPI_Allgather_init can send stale data: MPICH 4.0.2's, over 2
    /// ranks, sends one rank's buffer as it was at the first start at every
    /// later start (persistent-collectives suite), so the package builds the
    /// persistent all-gather from MPI_Allreduce_init there.
    static var persistentAllGatherSendsStaleData: Bool {
        #if MPICH
        true
        #else
        false
        #endif
    }

    /// Whether MPI_(I)neighbor_alltoallw loses blocks on a distributed graph
    /// where some process's in-degree differs from its out-degree: MPICH
    /// 4.0.2 delivers nothing there (Tests/CChecks/neighbor-alltoallw-star.c);
    /// Open MPI 4.1 is right. The w forms throw on such graphs instead.
    static var losesNeighborAllToAllWOnUnequalDegrees: Bool {
        #if MPICH
        true
        #else
        false
        #endif
    }

    /// Whether receives of this process need the truncation guard, decided
    /// once at initialization: never under MPICH; under Open MPI unless its
    /// MCA parameters show only transports measured not to overrun
    /// (TransportSettings.swift).
    static func receivesNeedGuard() -> Bool {
        overrunsShortReceives && OpenMPITransports.mayOverrunShortReceives()
    }

    /// How to build for `implementation`.
    static func build(for implementation: String) -> String {
        implementation == "MPICH" ? "`swift build --traits MPICH`" : "`swift build`, Open MPI being the default"
    }
}

extension MPIC {
    /// Makes the reduction operations that stand in for MPI's own: MPI_SUM of
    /// 8- and 16-bit integers wraps on overflow (Open MPI 4.1 saturates), and
    /// under MPICH, MPI_MAX and MPI_MIN of unsigned integers compare unsigned
    /// (MPICH 4.0 compares them as signed). ReductionOperation picks them.
    internal static func createReplacementOperations() throws {
        try check("MPI_Op_create", cmpi_create_wrapping_sum(&MPIEnvironmentState.wrappingSum))
        #if MPICH
        try check("MPI_Op_create", cmpi_create_unsigned_max(&MPIEnvironmentState.unsignedMaximum))
        try check("MPI_Op_create", cmpi_create_unsigned_min(&MPIEnvironmentState.unsignedMinimum))
        #endif
    }

    /// Frees what ``createReplacementOperations()`` made.
    internal static func freeReplacementOperations() throws {
        try opFree(&MPIEnvironmentState.wrappingSum)
        if MPIEnvironmentState.unsignedMaximum != cmpi_op_null() {
            try opFree(&MPIEnvironmentState.unsignedMaximum)
            try opFree(&MPIEnvironmentState.unsignedMinimum)
        }
    }
}

extension MPIC {
    /// Gives a receive from MPI_PROC_NULL the status MPI specifies (source
    /// MPI_PROC_NULL, tag MPI_ANY_TAG): MPICH 4.0 leaves source 0 and tag 0 in
    /// a nonblocking one. Harmless where the status is right already.
    @inlinable @inline(__always)
    internal static func markFromNullProcess(_ status: inout MPI_Status) {
        cmpi_status_set_source_and_tag(&status, cmpi_proc_null(), cmpi_any_tag())
    }
}
