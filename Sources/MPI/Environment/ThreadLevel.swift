import CMPI

/// How much thread support MPI gives a process (MPI_THREAD_*).
public enum ThreadLevel: Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// MPI_THREAD_SINGLE: only one thread runs.
    case single
    /// MPI_THREAD_FUNNELED: threads may run, but only the main thread calls MPI.
    case funneled
    /// MPI_THREAD_SERIALIZED: any thread calls MPI, one at a time.
    case serialized
    /// MPI_THREAD_MULTIPLE: any thread calls MPI at any time.
    case multiple

    @usableFromInline
    internal var rawValue: CInt {
        switch self {
        case .single: cmpi_thread_single()
        case .funneled: cmpi_thread_funneled()
        case .serialized: cmpi_thread_serialized()
        case .multiple: cmpi_thread_multiple()
        }
    }

    internal init?(rawValue: CInt) {
        guard let level = ThreadLevel.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = level
    }

    /// The level's MPI name, e.g. MPI_THREAD_MULTIPLE.
    public var description: String {
        switch self {
        case .single: "MPI_THREAD_SINGLE"
        case .funneled: "MPI_THREAD_FUNNELED"
        case .serialized: "MPI_THREAD_SERIALIZED"
        case .multiple: "MPI_THREAD_MULTIPLE"
        }
    }
}
