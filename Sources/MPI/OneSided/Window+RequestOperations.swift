import CMPI

// Request-based puts, gets and accumulates (MPI 3.1 section 11.3.5): the same
// checks as the plain forms, inside a passive-target epoch only (withLock or
// withLockAll, as MPI requires), and a Request whose wait() is the operation's
// local completion: the origin may be reused, a get's values have arrived.
// The request holds the origin's storage and owns a get's result array; a
// request dropped unwaited is waited for (never cancelled: MPI_Cancel takes
// no RMA request). Remote completion is still the epoch's end or a flush.

extension Window {
    /// Starts writing `values` into `rank`'s window at `displacement`; the
    /// request completes when `values` may be reused.
    ///
    /// The corresponding C function is `MPI_Rput`.
    public func rput<Buffer: SendBuffer<Element>>(_ values: Buffer, to rank: Int,
                                                 at displacement: Int) throws -> Request<Void> {
        return try rput(values, .element(rank: rank, displacement: displacement))
    }

    func rput<Buffer: SendBuffer<Element>>(_ values: Buffer, _ place: WindowPlace<Element>) throws -> Request<Void> {
        let operation: StaticString = "MPI_Rput"
        let (base, count) = values.withUnsafeElements { ($0.baseAddress, $0.count) }
        let (target, disp, count32) = try checkedAccess(place, count, requestBased: true,
                                                        operation: operation)
        let type = Element.mpiDatatype.handle
        var request = cmpi_request_null()
        try MPIC.rput(base, count32, type, target, disp, count32, type, handle, &request)
        return Request(handle: request, pendingOperation(operation, place.rank, owner: requestOwner(of: values)))
    }

    /// Starts reading `count` elements of `rank`'s window from `displacement`;
    /// `wait()` returns them.
    ///
    /// The corresponding C function is `MPI_Rget`.
    public func rget(_ count: Int, from rank: Int, at displacement: Int) throws -> Request<[Element]> {
        return try rget(count, .element(rank: rank, displacement: displacement))
    }

    func rget(_ count: Int, _ place: WindowPlace<Element>) throws -> Request<[Element]> {
        let operation: StaticString = "MPI_Rget"
        let (target, disp, count32) = try checkedAccess(place, count, requestBased: true,
                                                        operation: operation)
        var result = Window.zeroedArray(count)
        // The array is unique and the request keeps it unchanged until `wait`
        // hands it back, so its memory stays where MPI writes.
        let memory = result.withUnsafeMutableBufferPointer { $0.baseAddress }
        let type = Element.mpiDatatype.handle
        var request = cmpi_request_null()
        try MPIC.rget(memory, count32, type, target, disp, count32, type, handle, &request)
        return Request(handle: request, pendingOperation(operation, place.rank, owner: nil), result: result)
    }

    /// Starts reading `buffer.count` elements of `rank`'s window into
    /// `buffer`, which is borrowed: it must stay valid until the request completes.
    ///
    /// The corresponding C function is `MPI_Rget`.
    public func rget(into buffer: UnsafeMutableBufferPointer<Element>, from rank: Int,
                     at displacement: Int) throws -> Request<Void> {
        return try rget(into: buffer, .element(rank: rank, displacement: displacement))
    }

    func rget(into buffer: UnsafeMutableBufferPointer<Element>, _ place: WindowPlace<Element>) throws -> Request<Void> {
        let operation: StaticString = "MPI_Rget"
        let (target, disp, count32) = try checkedAccess(place, buffer.count, requestBased: true,
                                                        operation: operation)
        let type = Element.mpiDatatype.handle
        var request = cmpi_request_null()
        try MPIC.rget(buffer.baseAddress, count32, type, target, disp, count32, type, handle, &request)
        return Request(handle: request, pendingOperation(operation, place.rank, owner: nil))
    }

    /// Starts combining `values` into `rank`'s window with `reduction`, as
    /// ``accumulate(_:to:at:_:)`` does; the request completes when `values`
    /// may be reused.
    ///
    /// The corresponding C function is `MPI_Raccumulate`.
    public func raccumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, to rank: Int, at displacement: Int,
                                                        _ reduction: WindowOperation<Element>) throws -> Request<Void> {
        return try raccumulate(values, reduction, .element(rank: rank, displacement: displacement))
    }

    func raccumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, _ reduction: WindowOperation<Element>, _ place: WindowPlace<Element>) throws -> Request<Void> {
        let operation: StaticString = "MPI_Raccumulate"
        try requireAccumulable(operation)
        let (base, count) = values.withUnsafeElements { ($0.baseAddress, $0.count) }
        let (target, disp, count32) = try checkedAccess(place, count, requestBased: true,
                                                        operation: operation)
        let type = Element.mpiDatatype.handle
        var request = cmpi_request_null()
        try MPIC.raccumulate(base, count32, type, target, disp, count32, type, reduction.handle, handle, &request)
        return Request(handle: request, pendingOperation(operation, place.rank, owner: requestOwner(of: values)))
    }

    /// Starts a get-accumulate (``getAccumulate(_:to:at:_:)``); `wait()`
    /// returns the elements that were there before.
    ///
    /// The corresponding C function is `MPI_Rget_accumulate`.
    public func rgetAccumulate<Buffer: SendBuffer<Element>>(
        _ values: Buffer, to rank: Int, at displacement: Int, _ reduction: WindowOperation<Element>
    ) throws -> Request<[Element]> {
        return try rgetAccumulate(values, reduction, .element(rank: rank, displacement: displacement))
    }

    func rgetAccumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, _ reduction: WindowOperation<Element>, _ place: WindowPlace<Element>) throws -> Request<[Element]> {
        let operation: StaticString = "MPI_Rget_accumulate"
        try requireAccumulable(operation)
        let (base, count) = values.withUnsafeElements { ($0.baseAddress, $0.count) }
        let (target, disp, count32) = try checkedAccess(place, count, requestBased: true,
                                                        operation: operation)
        var result = Window.zeroedArray(count)
        let memory = result.withUnsafeMutableBufferPointer { $0.baseAddress }
        let type = Element.mpiDatatype.handle
        var request = cmpi_request_null()
        try MPIC.rgetAccumulate(base, count32, type, memory, count32, type, target, disp, count32, type,
                                reduction.handle, handle, &request)
        return Request(handle: request, pendingOperation(operation, place.rank, owner: requestOwner(of: values)),
                       result: result)
    }

    /// What an RMA request holds: never cancelled, waited for if dropped.
    private func pendingOperation(_ operation: StaticString, _ rank: Int, owner: AnyObject?) -> PendingOperation {
        PendingOperation(.collective, elementSize: MemoryLayout<Element>.stride,
                         origin: RequestOrigin(operation, peer: rank), owner: owner)
    }

    /// `count` elements of zero bytes, for MPI to overwrite.
    static func zeroedArray(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0,
                                                               count: count * MemoryLayout<Element>.stride)
            }
            initialized = count
        }
    }
}
