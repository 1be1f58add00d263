import CMPI

/// Memory of each rank of a communicator that the other ranks read and write
/// directly (MPI_Win, MPI 3.1 chapter 11): puts, gets and accumulates inside
/// access epochs (``fenced(_:)``, ``withLock(_:_:_:)``, ``withLockAll(_:)``).
///
/// A window made by ``Communicator/allocateWindow(of:count:)`` owns its
/// memory (MPI allocates and frees it); one made by
/// ``Communicator/window(exposing:)`` keeps the array it exposes alive and
/// unshared until the window is freed; one made by
/// ``Communicator/window(borrowing:)`` borrows the caller's memory, which must
/// outlive it. ``free()`` is collective, as
/// MPI_Win_free is; a window dropped unfreed is freed then, so every rank must
/// drop it at the same point, as with communicators.
///
/// The window returns MPI's errors (MPI_ERRORS_RETURN) as thrown errors, and
/// the package checks ranks, displacements and epochs before MPI is called.
public final class Window<Element: MPIElement> {
    /// The MPI handle; owned by the window, do not free it.
    public let handle: WindowHandle
    /// The communicator the window was made over (kept alive with it).
    public let communicator: Communicator
    /// This rank's elements.
    public let count: Int
    /// Every rank's element count (gathered when the window is made), for
    /// checking target displacements before MPI sees them.
    public let counts: [Int]
    internal let base: UnsafeMutablePointer<Element>?
    /// How the window's memory was made, which decides how it is reached.
    @usableFromInline internal let flavor: WindowFlavor
    /// A dynamic window's attached memory, by address, freed after the window.
    internal var attached: [Int: AttachedElements<Element>] = [:]
    /// What must live as long as the window (an exposed array's storage).
    private var keptAlive: AnyObject?
    // Unchecked: every access is on the window's own methods, one at a time
    // (a dynamic exclusivity check per operation was measured in its cost).
    @usableFromInline @exclusivity(unchecked) internal var state = WindowEpochs()
    /// How many predefined datatypes `Element`'s is built from: accumulates
    /// need exactly one (found once, when the window is made).
    @usableFromInline internal let basicTypeCount: Int
    private var isFreed = false

    internal init(handle: WindowHandle, communicator: Communicator, base: UnsafeMutablePointer<Element>?, count: Int,
                  flavor: WindowFlavor = .allocated, keepingAlive keptAlive: AnyObject?, operation: StaticString) throws {
        self.handle = handle
        self.flavor = flavor
        self.communicator = communicator
        self.base = base
        self.count = count
        self.keptAlive = keptAlive
        do {
            basicTypeCount = try Element.mpiDatatype.basicTypes().count
            try MPIC.winSetErrhandler(handle, cmpi_errors_return())
            counts = try communicator.allGather(count)
            state.locked = [WindowLock?](repeating: nil, count: counts.count)
        } catch {
            var handle = handle
            try? MPIC.winFree(&handle)
            throw error
        }
    }

    /// Calls `body` with this rank's elements. Outside an epoch, or under a
    /// lock of this rank, the local memory is the caller's (MPI 3.1 section
    /// 11.7's rules for the unified memory model, Open MPI's and MPICH's here).
    ///
    /// The corresponding C function is `MPI_Win_allocate`'s (or `MPI_Win_create`'s) base address.
    public func withLocalElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Frees the window on every rank (collective); throws inside an epoch.
    ///
    /// The corresponding C function is `MPI_Win_free`.
    public func free() throws {
        guard !isFreed else { return }
        try state.requireNoEpoch("free()", operation: "MPI_Win_free")
        var handle = self.handle
        try MPIC.winFree(&handle)
        isFreed = true
        keptAlive = nil
        attached = [:]   // MPI no longer reaches them
    }

    deinit {
        guard !isFreed else { return }
        let keptAlive = self.keptAlive
        let attached = self.attached
        releaseOnMPIThread((handle, communicator)) { handle, _ in
            var handle = handle
            MPIC.releasing { try MPIC.winFree(&handle) }
            _ = keptAlive
            _ = attached
        }
    }
}

/// How a window's memory came to be (MPI_WIN_FLAVOR_*).
@usableFromInline
internal enum WindowFlavor {
    /// MPI_Win_allocate.
    case allocated
    /// MPI_Win_create over memory the window keeps.
    case created
    /// MPI_Win_allocate_shared: every rank's memory is loadable by the others.
    case shared
    /// MPI_Win_create_dynamic: memory attached later, reached by address.
    case dynamic
}

/// An array's storage, pinned: a copy made at exposure so that nothing else
/// shares it while MPI may write it.
internal final class ExposedElements<Element: MPIElement> {
    let memory: UnsafeMutablePointer<Element>
    let count: Int
    init(_ elements: [Element]) {
        count = elements.count
        memory = .allocate(capacity: Swift.max(count, 1))
        _ = UnsafeMutableBufferPointer(start: memory, count: count).initialize(from: elements)
    }
    deinit { memory.deinitialize(count: count); memory.deallocate() }
}

extension Communicator {
    /// A window of `count` elements on this rank, allocated by MPI and zeroed
    /// (collective; each rank may pass its own count).
    ///
    /// The corresponding C function is `MPI_Win_allocate`.
    public func allocateWindow<Element: MPIElement>(of element: Element.Type, count: Int) throws -> Window<Element> {
        let operation: StaticString = "MPI_Win_allocate"
        _ = try Element.checkedDatatype(operation)
        guard count >= 0 else {
            throw MPIError.invalidArgument("count", count, "must be 0 or more", errorClass: .count, operation: operation)
        }
        let bytes = try Window<Element>.checkedBytes(count, operation: operation)
        var base: UnsafeMutableRawPointer?
        var handle: WindowHandle = cmpi_win_null()
        try MPIC.winAllocate(Window<Element>.allocationSize(bytes), CInt(MemoryLayout<Element>.stride), cmpi_info_null(), self.handle, &base, &handle)
        let elements = base?.bindMemory(to: Element.self, capacity: count)
        if let base, count > 0 { base.initializeMemory(as: UInt8.self, repeating: 0, count: Int(bytes)) }
        return try Window(handle: handle, communicator: self, base: count > 0 ? elements : nil, count: count,
                          keepingAlive: nil, operation: operation)
    }

    /// A window exposing a copy of `elements` on this rank (collective); read
    /// it back with ``Window/withLocalElements(_:)``.
    ///
    /// The corresponding C function is `MPI_Win_create`.
    public func window<Element: MPIElement>(exposing elements: [Element]) throws -> Window<Element> {
        let operation: StaticString = "MPI_Win_create"
        _ = try Element.checkedDatatype(operation)
        let bytes = try Window<Element>.checkedBytes(elements.count, operation: operation)
        let exposed = ExposedElements(elements)
        var handle: WindowHandle = cmpi_win_null()
        try MPIC.winCreate(elements.isEmpty ? nil : UnsafeMutableRawPointer(exposed.memory), bytes,
                           CInt(MemoryLayout<Element>.stride), cmpi_info_null(), self.handle, &handle)
        return try Window(handle: handle, communicator: self, base: elements.isEmpty ? nil : exposed.memory,
                          count: elements.count, flavor: .created, keepingAlive: exposed, operation: operation)
    }
}

extension Communicator {
    /// A window over `memory`, which is borrowed: it must stay valid until
    /// the window is freed, and this rank touches it only as
    /// ``Window/withLocalElements(_:)`` allows (collective). No copy is made.
    ///
    /// The corresponding C function is `MPI_Win_create`.
    public func window<Element: MPIElement>(borrowing memory: UnsafeMutableBufferPointer<Element>) throws -> Window<Element> {
        let operation: StaticString = "MPI_Win_create"
        _ = try Element.checkedDatatype(operation)
        let bytes = try Window<Element>.checkedBytes(memory.count, operation: operation)
        var handle: WindowHandle = cmpi_win_null()
        let base = memory.count > 0 ? memory.baseAddress : nil
        try MPIC.winCreate(base.map { UnsafeMutableRawPointer($0) }, bytes, CInt(MemoryLayout<Element>.stride),
                           cmpi_info_null(), self.handle, &handle)
        return try Window(handle: handle, communicator: self, base: base, count: memory.count, flavor: .created,
                          keepingAlive: nil, operation: operation)
    }
}

extension Window {
    /// Throws unless `Element`'s datatype is one predefined datatype, or built
    /// from one only (MPI 3.1 section 11.3.4's rule for accumulates).
    @inlinable @inline(__always)
    func requireAccumulable(_ operation: StaticString) throws {
        guard basicTypeCount == 1 else {
            throw MPIError(errorClass: .type,
                           message: "values of \(Element.self) mix \(basicTypeCount) predefined datatypes; accumulates, "
                               + "fetch-and-op and compare-and-swap take elements of one predefined type "
                               + "(MPI 3.1 section 11.3.4); use put and get for it",
                           operation: "\(operation)", argument: "values")
        }
    }

    /// The bytes MPI allocates for `bytes` of elements: rounded up to a
    /// multiple of 64. MPICH 4.0.2 misplaces every rank's memory after the
    /// first in windows whose size is not a multiple of 16 bytes (measured
    /// with C: 3 Int64s per rank, a put to rank 1's element 0 lands 8 bytes
    /// before rank 1's memory, in rank 0's). The extra bytes are never reached:
    /// displacements are checked against the element counts.
    static func allocationSize(_ bytes: MPI_Aint) -> MPI_Aint {
        (bytes + 63) / 64 * 64
    }

    static func checkedBytes(_ count: Int, operation: StaticString) throws -> MPI_Aint {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow, count >= 0 else {
            throw MPIError.invalidArgument("count", count, "must be 0 or more, with a size in bytes that fits an Int",
                                           errorClass: .count, operation: operation)
        }
        return MPI_Aint(bytes)
    }
}
