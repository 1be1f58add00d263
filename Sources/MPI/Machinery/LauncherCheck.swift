#if canImport(Glibc)
import Glibc
#endif

// The classic launch mistakes: a program built against one MPI started by the
// other's launcher (each process then runs alone, as rank 0 of 1, and the job
// silently computes N copies of a one-process answer), or a world smaller or
// larger than the launcher started. Each launcher tells its processes how many
// it started; MPI_Init's world must agree.

/// What the launcher's environment says about the job it started.
internal struct LaunchEnvironment {
    /// Which MPI's launcher it was.
    let implementation: String
    let launcher: String
    /// The variable that told the size, and the size.
    let variable: String
    let size: Int

    /// Read from this process's environment; nil when no launcher started it.
    static func current() -> LaunchEnvironment? {
        if let size = integer("OMPI_COMM_WORLD_SIZE") {
            return LaunchEnvironment(implementation: "Open MPI", launcher: "Open MPI's mpirun",
                                     variable: "OMPI_COMM_WORLD_SIZE", size: size)
        }
        if let size = integer("PMI_SIZE") {
            return LaunchEnvironment(implementation: "MPICH", launcher: "MPICH's mpiexec (Hydra) or another PMI launcher",
                                     variable: "PMI_SIZE", size: size)
        }
        return nil
    }

    private static func integer(_ name: String) -> Int? {
        getenv(name).flatMap { Int(String(cString: $0)) }
    }
}

extension MPI {
    /// Throws when the world MPI_Init made disagrees with what the launcher started.
    internal static func checkLaunch(worldSize: Int) throws {
        guard let launch = LaunchEnvironment.current(), launch.size != worldSize else { return }
        let what: String
        if launch.implementation != BuiltImplementation.name {
            what = "this program is built against \(BuiltImplementation.name) but was started by "
                + "\(launch.launcher), the launcher of \(launch.implementation) (\(launch.variable)=\(launch.size)): "
                + "\(BuiltImplementation.name) does not see that launcher's processes, so each of them runs alone "
                + "as rank 0 of \(worldSize). Start it with \(BuiltImplementation.launcher), or rebuild it for "
                + "\(launch.implementation) with \(BuiltImplementation.build(for: launch.implementation))"
        } else {
            what = "the launcher, \(launch.launcher), started \(launch.size) processes (\(launch.variable)="
                + "\(launch.size)) but MPI_Init made a world of \(worldSize). Check that the program is started "
                + "directly by \(BuiltImplementation.launcher), not through a wrapper that starts its own job, "
                + "and that it is the build for \(BuiltImplementation.name) "
                + "(\(BuiltImplementation.build(for: BuiltImplementation.name)))"
        }
        throw MPIError(errorClass: .other, message: what, operation: "MPI_Init_thread")
    }
}
