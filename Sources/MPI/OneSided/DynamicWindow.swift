import CMPI

// Dynamic windows (MPI 3.1 section 11.2.4): made with no memory; each rank
// attaches memory later and tells the others where it is (a WindowRegion,
// sent as any Codable value). Operations reach a region at an element offset,
// checked against the region's size before MPI sees it. The window owns the
// memory it attaches until it is detached or the window is freed.

/// Memory attached to a rank's dynamic window, as another rank reaches it:
/// send it to them (`send(object:to:)`, `broadcast(object:root:)`).
public struct WindowRegion<Element: MPIElement>: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The rank whose memory it is.
    public let rank: Int
    /// Its address as MPI_Get_address gave it (the target displacement of element 0).
    public let address: Int
    /// Its number of elements.
    public let count: Int

    /// "3 elements at 0x... on rank 1".
    public var description: String { "\(count) elements at 0x\(String(address, radix: 16)) on rank \(rank)" }
}

/// Memory a dynamic window owns, zeroed at attach.
internal final class AttachedElements<Element: MPIElement> {
    let memory: UnsafeMutablePointer<Element>
    let count: Int
    init(count: Int) {
        self.count = count
        memory = .allocate(capacity: Swift.max(count, 1))
        UnsafeMutableRawPointer(memory).initializeMemory(as: UInt8.self, repeating: 0,
                                                         count: Swift.max(count, 1) * MemoryLayout<Element>.stride)
    }
    deinit { memory.deallocate() }
}

extension Communicator {
    /// A window with no memory yet, to which each rank attaches regions
    /// (``Window/attach(count:)``) that others reach through the
    /// ``WindowRegion`` they are sent (collective).
    ///
    /// The corresponding C function is `MPI_Win_create_dynamic`.
    public func dynamicWindow<Element: MPIElement>(of element: Element.Type) throws -> Window<Element> {
        let operation: StaticString = "MPI_Win_create_dynamic"
        _ = try Element.checkedDatatype(operation)
        var handle: WindowHandle = cmpi_win_null()
        try MPIC.winCreateDynamic(cmpi_info_null(), self.handle, &handle)
        return try Window(handle: handle, communicator: self, base: nil, count: 0, flavor: .dynamic,
                          keepingAlive: nil, operation: operation)
    }
}

extension Window {
    /// Attaches `count` new zeroed elements, owned by the window, to this
    /// rank's part of a dynamic window (not collective), and returns where
    /// other ranks reach them.
    ///
    /// The corresponding C functions are `MPI_Win_attach` and `MPI_Get_address`.
    public func attach(count: Int) throws -> WindowRegion<Element> {
        let operation: StaticString = "MPI_Win_attach"
        guard flavor == .dynamic else {
            throw MPIError(errorClass: .rmaAttach, message: "attach(count:) needs a window made by dynamicWindow(of:)",
                           operation: "\(operation)")
        }
        guard count > 0 else {
            throw MPIError.invalidArgument("count", count, "must be 1 or more", errorClass: .count, operation: operation)
        }
        let bytes = try Window.checkedBytes(count, operation: operation)
        let elements = AttachedElements<Element>(count: count)
        try MPIC.winAttach(handle, elements.memory, bytes)
        var address: MPI_Aint = 0
        try MPIC.getAddress(elements.memory, &address)
        attached[Int(address)] = elements
        return WindowRegion(rank: communicator.rank, address: Int(address), count: count)
    }

    /// Calls `body` with the elements of `region`, attached by this rank
    /// (the rules of ``withLocalElements(_:)`` apply).
    ///
    /// The corresponding C function is `MPI_Win_attach`'s memory.
    public func withAttachedElements<R>(_ region: WindowRegion<Element>,
                                        _ body: (UnsafeMutableBufferPointer<Element>) throws -> R) throws -> R {
        let elements = try attachedElements(region, operation: "MPI_Win_attach")
        return try body(UnsafeMutableBufferPointer(start: elements.memory, count: elements.count))
    }

    /// Detaches `region` (this rank's) and frees its memory; other ranks
    /// must no longer reach it. Throws inside an epoch.
    ///
    /// The corresponding C function is `MPI_Win_detach`.
    public func detach(_ region: WindowRegion<Element>) throws {
        let operation: StaticString = "MPI_Win_detach"
        let elements = try attachedElements(region, operation: operation)
        try state.requireNoEpoch("detach(_:)", operation: operation)
        try MPIC.winDetach(handle, elements.memory)
        attached[region.address] = nil
    }

    private func attachedElements(_ region: WindowRegion<Element>,
                                  operation: StaticString) throws -> AttachedElements<Element> {
        guard region.rank == communicator.rank, let elements = attached[region.address] else {
            throw MPIError.invalidArgument("region", "\(region)", "is not attached by this rank (\(communicator.rank))",
                                           errorClass: .rmaAttach, operation: operation)
        }
        return elements
    }

    // The operations of a dynamic window, at an element offset of a region.

    /// Writes `values` into `region` from element `offset`, as ``put(_:to:at:)``.
    ///
    /// The corresponding C function is `MPI_Put`.
    public func put<Buffer: SendBuffer<Element>>(_ values: Buffer, to region: WindowRegion<Element>,
                                                at offset: Int = 0) throws {
        try put(values, .region(region, offset: offset))
    }

    /// Reads `count` elements of `region` from `offset`, as ``get(_:from:at:)``.
    ///
    /// The corresponding C function is `MPI_Get`.
    public func get(_ count: Int, from region: WindowRegion<Element>, at offset: Int = 0) throws -> WindowValues<Element> {
        try get(count, .region(region, offset: offset))
    }

    /// Reads into borrowed memory, as ``get(into:from:at:)``.
    ///
    /// The corresponding C function is `MPI_Get`.
    public func get(into buffer: UnsafeMutableBufferPointer<Element>, from region: WindowRegion<Element>,
                    at offset: Int = 0) throws {
        try get(into: buffer, .region(region, offset: offset))
    }

    /// Combines `values` into `region`, as ``accumulate(_:to:at:_:)``.
    ///
    /// The corresponding C function is `MPI_Accumulate`.
    public func accumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, to region: WindowRegion<Element>,
                                                       at offset: Int = 0, _ reduction: WindowOperation<Element>) throws {
        try accumulate(values, reduction, .region(region, offset: offset))
    }

    /// A get-accumulate on `region`, as ``getAccumulate(_:to:at:_:)``.
    ///
    /// The corresponding C function is `MPI_Get_accumulate`.
    public func getAccumulate<Buffer: SendBuffer<Element>>(
        _ values: Buffer, to region: WindowRegion<Element>, at offset: Int = 0, _ reduction: WindowOperation<Element>
    ) throws -> WindowValues<Element> {
        try getAccumulate(values, reduction, .region(region, offset: offset))
    }

    /// A fetch-and-op on one element of `region`, as ``fetchAndOp(_:on:at:_:)``.
    ///
    /// The corresponding C function is `MPI_Fetch_and_op`.
    public func fetchAndOp(_ value: Element, on region: WindowRegion<Element>, at offset: Int = 0,
                           _ reduction: WindowOperation<Element>) throws -> WindowValues<Element> {
        try fetchAndOp(value, reduction, .region(region, offset: offset))
    }

    /// A compare-and-swap on one element of `region`, as ``compareAndSwap(_:expected:on:at:)``.
    ///
    /// The corresponding C function is `MPI_Compare_and_swap`.
    public func compareAndSwap(_ value: Element, expected: Element, on region: WindowRegion<Element>,
                               at offset: Int = 0) throws -> WindowValues<Element> {
        try compareAndSwap(value, expected: expected, .region(region, offset: offset))
    }

    /// A request-based put into `region`, as ``rput(_:to:at:)``.
    ///
    /// The corresponding C function is `MPI_Rput`.
    public func rput<Buffer: SendBuffer<Element>>(_ values: Buffer, to region: WindowRegion<Element>,
                                                 at offset: Int = 0) throws -> Request<Void> {
        try rput(values, .region(region, offset: offset))
    }

    /// A request-based get from `region`, as ``rget(_:from:at:)``.
    ///
    /// The corresponding C function is `MPI_Rget`.
    public func rget(_ count: Int, from region: WindowRegion<Element>, at offset: Int = 0) throws -> Request<[Element]> {
        try rget(count, .region(region, offset: offset))
    }

    /// A request-based accumulate into `region`, as ``raccumulate(_:to:at:_:)``.
    ///
    /// The corresponding C function is `MPI_Raccumulate`.
    public func raccumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, to region: WindowRegion<Element>,
                                                        at offset: Int = 0,
                                                        _ reduction: WindowOperation<Element>) throws -> Request<Void> {
        try raccumulate(values, reduction, .region(region, offset: offset))
    }

    /// A request-based get-accumulate on `region`, as ``rgetAccumulate(_:to:at:_:)``.
    ///
    /// The corresponding C function is `MPI_Rget_accumulate`.
    public func rgetAccumulate<Buffer: SendBuffer<Element>>(
        _ values: Buffer, to region: WindowRegion<Element>, at offset: Int = 0, _ reduction: WindowOperation<Element>
    ) throws -> Request<[Element]> {
        try rgetAccumulate(values, reduction, .region(region, offset: offset))
    }
}
