import CMPI

// Shared-memory windows (MPI 3.1 section 11.2.3): every rank's memory is
// mapped into the others' address spaces, so ranks of one node read and
// write each other's elements with loads and stores, synchronized by the
// window's epochs (or sync() and a barrier), as well as with puts and gets.

extension Communicator {
    /// A window of `count` elements on this rank in memory the other ranks
    /// can load and store (collective; each rank may pass its own count;
    /// zeroed). Every rank must be on one node: the package checks that
    /// first (MPI_Comm_split_type) and throws `.rmaShared` on every rank if not.
    ///
    /// The corresponding C function is `MPI_Win_allocate_shared`.
    public func allocateSharedWindow<Element: MPIElement>(of element: Element.Type,
                                                          count: Int) throws -> Window<Element> {
        let operation: StaticString = "MPI_Win_allocate_shared"
        _ = try Element.checkedDatatype(operation)
        guard count >= 0 else {
            throw MPIError.invalidArgument("count", count, "must be 0 or more", errorClass: .count, operation: operation)
        }
        let bytes = try Window<Element>.checkedBytes(count, operation: operation)
        let node = try splitBySharedMemory()
        guard node.size == size else {
            throw MPIError(errorClass: .rmaShared,
                           message: "a shared window needs every rank on one node; \(node.size) of the \(size) "
                               + "ranks share this rank's (use splitBySharedMemory() first)",
                           operation: "\(operation)")
        }
        var base: UnsafeMutableRawPointer?
        var handle: WindowHandle = cmpi_win_null()
        try MPIC.winAllocateShared(Window<Element>.allocationSize(bytes), CInt(MemoryLayout<Element>.stride), cmpi_info_null(), self.handle,
                                   &base, &handle)
        if let base, count > 0 { base.initializeMemory(as: UInt8.self, repeating: 0, count: Int(bytes)) }
        let elements = count > 0 ? base?.bindMemory(to: Element.self, capacity: count) : nil
        let window = try Window(handle: handle, communicator: self, base: elements, count: count, flavor: .shared,
                                keepingAlive: nil, operation: operation)
        // Every rank's zeroing is done before any rank reads another's memory.
        try barrier()
        return window
    }
}

extension Window {
    /// Calls `body` with `rank`'s elements of a shared window, mapped into
    /// this rank's memory: loads and stores reach `rank`'s window directly.
    /// Order them against other ranks' with the window's epochs, or with
    /// ``sync()`` and a barrier.
    ///
    /// The corresponding C function is `MPI_Win_shared_query`.
    public func withSharedElements<R>(of rank: Int,
                                      _ body: (UnsafeMutableBufferPointer<Element>) throws -> R) throws -> R {
        let operation: StaticString = "MPI_Win_shared_query"
        guard flavor == .shared else {
            throw MPIError(errorClass: .rmaShared,
                           message: "withSharedElements(of:) needs a window made by allocateSharedWindow(of:count:)",
                           operation: "\(operation)")
        }
        let target = try checkedTarget(rank, operation: operation)
        var bytes: MPI_Aint = 0
        var unit: CInt = 0
        var base: UnsafeMutableRawPointer?
        try MPIC.winSharedQuery(handle, target, &bytes, &unit, &base)
        // The rank's own count, not the padded size MPI reports (see allocationSize).
        let count = Swift.min(counts[rank], Int(bytes) / MemoryLayout<Element>.stride)
        let elements = count > 0 ? base?.assumingMemoryBound(to: Element.self) : nil
        return try body(UnsafeMutableBufferPointer(start: elements, count: count))
    }
}
