#if canImport(Glibc)
import Glibc
#endif

// Which of Open MPI's transports this process uses, read once at
// initialization from its MCA parameters through MPI_T, to decide whether
// receives need the truncation guard (MPI.truncationGuard).
//
// Open MPI's ob1 overruns a short receive buffer only through a transport's
// RDMA-style transfers (put and get), which it sizes from the sender's
// length: measured here (Tests/GuardBytesC, the README's table) for shared
// memory (vader's single-copy mechanism), for TCP from 64 KiB, and for a
// rank's messages to itself (self, at every size). With those three
// transports' put and get switched off, nothing was written past a buffer.

internal enum OpenMPITransports {
    /// BTL flags (opal/mca/btl/btl.h): the transport can put or get.
    private static let putFlag: UInt32 = 0x2
    private static let getFlag: UInt32 = 0x4

    /// The transports whose guard bytes were counted here without put and get.
    private static let measuredTransports: Set<String> = ["self", "vader", "tcp"]

    /// Whether a receive of this process may be written past its buffer:
    /// false only when the PML is ob1 and every BTL it loaded is one measured
    /// here with put and get off. Anything MPI_T does not show, or shows
    /// otherwise, keeps the guard.
    ///
    /// Open MPI's MPI_T_init_thread registers every component's parameters,
    /// about 0.2 s, so MPI_T is read only where the self transport's flags
    /// (put and get by default, and always loaded) were set in the
    /// environment, as `mpirun --mca` sets them; set in a parameter file only,
    /// they are not seen, and the guard stays.
    internal static func mayOverrunShortReceives() -> Bool {
        guard getenv("OMPI_MCA_btl_self_flags") != nil else { return true }
        var provided: CInt = 0
        guard MPIC.succeeded(MPIC.toolInitThreadReturningCode(MPIEnvironmentState.providedThreadLevel.rawValue, &provided)) else { return true }
        defer { _ = MPIC.toolFinalizeReturningCode() }
        var count: CInt = 0
        guard MPIC.succeeded(MPIC.toolControlVariableCountReturningCode(&count)) else { return true }

        // A component's version variables stay registered only while it is
        // loaded: after MPI_Init, that is the selected PML and the BTLs in use.
        var pmls: [String] = []
        var btls: [String] = []
        var flagVariables: [String: CInt] = [:]
        for index in 0..<count {
            guard let name = MPIC.toolControlVariableName(index) else { continue }
            if let component = componentName(name, framework: "pml") { pmls.append(component) }
            if let component = componentName(name, framework: "btl") { btls.append(component) }
            if name.hasPrefix("btl_"), name.hasSuffix("_flags") { flagVariables[name] = index }
        }
        guard pmls == ["ob1"], !btls.isEmpty else { return true }
        for btl in btls {
            guard measuredTransports.contains(btl),
                  let index = flagVariables["btl_\(btl)_flags"],
                  let flags = MPIC.toolControlVariableUnsigned(index),
                  flags & (putFlag | getFlag) == 0
            else { return true }
        }
        return false
    }

    /// "tcp" for "btl_tcp_major_version" in the framework "btl".
    private static func componentName(_ variable: String, framework: String) -> String? {
        let prefix = framework + "_", suffix = "_major_version"
        guard variable.hasPrefix(prefix), variable.hasSuffix(suffix),
              variable.count > prefix.count + suffix.count else { return nil }
        return String(variable.dropFirst(prefix.count).dropLast(suffix.count))
    }
}

// Open MPI 4.1.4's one-sided component osc/rdma, chosen by default, fails
// MPI_Win_create at 1 rank (MPI_ERR_WIN) and segfaults in
// MPI_Compare_and_swap of 64-bit types over shared memory (vader's atomics
// emulation; open-mpi/ompi#7967, #11349), measured here with C programs.
// Without it (sm for shared-memory windows, ucx or pt2pt otherwise) every
// window operation worked at 1-5 ranks. So unless the user chose components
// (OMPI_MCA_osc), it is excluded before MPI_Init reads its parameters.
internal enum OpenMPIOneSided {
    static func excludeBrokenComponent() {
#if !MPICH
        if getenv("OMPI_MCA_osc") == nil { setenv("OMPI_MCA_osc", "^rdma", 0) }
#endif
    }
}
