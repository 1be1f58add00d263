import CMPI

// Puts, gets and accumulates (MPI 3.1 sections 11.3): each checks, before MPI
// sees it, that an epoch reaches the target, that the elements lie inside the
// target's window, and for accumulates that the operation is one MPI allows
// (predefined, MPI_REPLACE or MPI_NO_OP: not a Swift closure). The origin
// array is held until the operation completes; results arrive in a
// WindowValues that is readable once the epoch ends.

extension Window {
    /// Writes `values` into `rank`'s window at element `displacement`.
    ///
    /// An array's storage is held until the operation completes (the caller
    /// may change its own copy meanwhile: that copies); unsafe buffer
    /// pointers are borrowed and must stay valid until then.
    ///
    /// The corresponding C function is `MPI_Put`.
    @inlinable
    public func put<Buffer: SendBuffer<Element>>(_ values: Buffer, to rank: Int, at displacement: Int) throws {
        try put(values, .element(rank: rank, displacement: displacement))
    }

    @inlinable @inline(__always)
    func put<Buffer: SendBuffer<Element>>(_ values: Buffer, _ place: WindowPlace<Element>) throws {
        let operation: StaticString = "MPI_Put"
        // The pointer stays valid after the closure: the pending entry keeps the storage.
        let (base, count) = values.withUnsafeElements { ($0.baseAddress, $0.count) }
        let (target, disp, count32) = try checkedAccess(place, count, operation: operation)
        let type = Element.mpiDatatype.handle
        try MPIC.put(base, count32, type, target, disp, count32, type, handle)
        if let origin = requestOwner(of: values) {   // borrowed memory has nothing to hold
            state.pending.append(PendingAccess(target: place.rank, origin: origin, result: nil))
        }
    }

    /// Reads `count` elements of `rank`'s window from element `displacement`;
    /// the values are readable when the epoch ends.
    ///
    /// The corresponding C function is `MPI_Get`.
    public func get(_ count: Int, from rank: Int, at displacement: Int) throws -> WindowValues<Element> {
        return try get(count, .element(rank: rank, displacement: displacement))
    }

    func get(_ count: Int, _ place: WindowPlace<Element>) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Get"
        let (target, disp, count32) = try checkedAccess(place, count, operation: operation)
        let type = Element.mpiDatatype.handle
        let result = WindowValues<Element>(count: count)
        try MPIC.get(result.memory, count32, type, target, disp, count32, type, handle)
        state.pending.append(PendingAccess(target: place.rank, origin: nil, result: result))
        return result
    }

    /// Reads `buffer.count` elements of `rank`'s window from element
    /// `displacement` into `buffer`, which is borrowed: it must stay valid,
    /// and be left alone, until the operation completes (the epoch's end, a
    /// flush or a local flush of `rank`).
    ///
    /// The corresponding C function is `MPI_Get`.
    @inlinable
    public func get(into buffer: UnsafeMutableBufferPointer<Element>, from rank: Int, at displacement: Int) throws {
        try get(into: buffer, .element(rank: rank, displacement: displacement))
    }

    @inlinable @inline(__always)
    func get(into buffer: UnsafeMutableBufferPointer<Element>, _ place: WindowPlace<Element>) throws {
        let operation: StaticString = "MPI_Get"
        let (target, disp, count32) = try checkedAccess(place, buffer.count, operation: operation)
        let type = Element.mpiDatatype.handle
        try MPIC.get(buffer.baseAddress, count32, type, target, disp, count32, type, handle)
        // Borrowed memory: nothing to hold or mark at completion.
    }

    /// Combines `values` into `rank`'s window at `displacement` with
    /// `reduction` (element by element, atomically per element with respect
    /// to other accumulates); ``WindowOperation/replace`` is an atomic put.
    /// The origin is held or borrowed as in ``put(_:to:at:)``.
    ///
    /// The corresponding C function is `MPI_Accumulate`.
    @inlinable
    public func accumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, to rank: Int, at displacement: Int,
                                                       _ reduction: WindowOperation<Element>) throws {
        try accumulate(values, reduction, .element(rank: rank, displacement: displacement))
    }

    @inlinable @inline(__always)
    func accumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, _ reduction: WindowOperation<Element>, _ place: WindowPlace<Element>) throws {
        let operation: StaticString = "MPI_Accumulate"
        try requireAccumulable(operation)
        let (base, count) = values.withUnsafeElements { ($0.baseAddress, $0.count) }
        let (target, disp, count32) = try checkedAccess(place, count, operation: operation)
        let type = Element.mpiDatatype.handle
        try MPIC.accumulate(base, count32, type, target, disp, count32, type, reduction.handle, handle)
        if let origin = requestOwner(of: values) {   // borrowed memory has nothing to hold
            state.pending.append(PendingAccess(target: place.rank, origin: origin, result: nil))
        }
    }

    /// Combines `values` into `rank`'s window as ``accumulate(_:to:at:_:)``
    /// does, and brings back the elements that were there before
    /// (``WindowOperation/noOperation`` only reads them, atomically).
    ///
    /// The corresponding C function is `MPI_Get_accumulate`.
    public func getAccumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, to rank: Int, at displacement: Int,
                                                          _ reduction: WindowOperation<Element>) throws -> WindowValues<Element> {
        return try getAccumulate(values, reduction, .element(rank: rank, displacement: displacement))
    }

    func getAccumulate<Buffer: SendBuffer<Element>>(_ values: Buffer, _ reduction: WindowOperation<Element>, _ place: WindowPlace<Element>) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Get_accumulate"
        try requireAccumulable(operation)
        let (base, count) = values.withUnsafeElements { ($0.baseAddress, $0.count) }
        let (target, disp, count32) = try checkedAccess(place, count, operation: operation)
        let type = Element.mpiDatatype.handle
        let result = WindowValues<Element>(count: count)
        try MPIC.getAccumulate(base, count32, type, result.memory, count32, type,
                               target, disp, count32, type, reduction.handle, handle)
        state.pending.append(PendingAccess(target: place.rank, origin: requestOwner(of: values), result: result))
        return result
    }

    /// Combines `value` into one element of `rank`'s window and brings back
    /// the element before (a shared counter: `fetchAndOp(1, on: 0, at: 0, .sum)`).
    ///
    /// The corresponding C function is `MPI_Fetch_and_op`.
    public func fetchAndOp(_ value: Element, on rank: Int, at displacement: Int,
                           _ reduction: WindowOperation<Element>) throws -> WindowValues<Element> {
        return try fetchAndOp(value, reduction, .element(rank: rank, displacement: displacement))
    }

    func fetchAndOp(_ value: Element, _ reduction: WindowOperation<Element>, _ place: WindowPlace<Element>) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Fetch_and_op"
        try requireAccumulable(operation)
        let (target, disp, _) = try checkedAccess(place, 1, operation: operation)
        let type = Element.mpiDatatype.handle
        let result = WindowValues<Element>(count: 1)
        let origin = WindowValues<Element>(count: 1)
        origin.memory.pointee = value
        try MPIC.fetchAndOp(origin.memory, result.memory, type, target, disp,
                            reduction.handle, handle)
        result.origin = origin
        state.pending.append(PendingAccess(target: place.rank, origin: nil, result: result))
        return result
    }

    /// Writes `value` into one element of `rank`'s window if that element
    /// equals `expected`, atomically, and brings back the element before.
    ///
    /// The corresponding C function is `MPI_Compare_and_swap`.
    public func compareAndSwap(_ value: Element, expected: Element, on rank: Int,
                               at displacement: Int) throws -> WindowValues<Element> {
        return try compareAndSwap(value, expected: expected, .element(rank: rank, displacement: displacement))
    }

    func compareAndSwap(_ value: Element, expected: Element, _ place: WindowPlace<Element>) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Compare_and_swap"
        try requireAccumulable(operation)
        let (target, disp, _) = try checkedAccess(place, 1, operation: operation)
        let result = WindowValues<Element>(count: 1)
        let origin = WindowValues<Element>(count: 2)
        origin.memory[0] = value
        origin.memory[1] = expected
        let type = Element.mpiDatatype.handle
        try MPIC.compareAndSwap(origin.memory, origin.memory + 1, result.memory, type,
                                target, disp, handle)
        result.origin = origin
        state.pending.append(PendingAccess(target: place.rank, origin: nil, result: result))
        return result
    }

    /// The target, displacement and count of an access, checked.
    /// Request-based operations need a passive-target epoch (MPI 3.1 section 11.3.5).
    @inlinable @inline(__always)
    func checkedAccess(_ place: WindowPlace<Element>, _ count: Int, requestBased: Bool = false,
                       operation: StaticString) throws -> (CInt, MPI_Aint, CInt) {
        let rank = place.rank
        let target = try checkedTarget(rank, operation: operation)
        if requestBased {
            guard state.lockedAll || state.locked[rank] != nil else {
                throw MPIError(errorClass: .rmaSync,
                               message: "a request-based operation on rank \(rank) outside a passive-target epoch: "
                                   + "call it inside withLock(\(rank)) { } or withLockAll { }",
                               operation: "\(operation)", argument: "rank")
            }
        } else if !state.canAccess(rank) {
            throw MPIError(errorClass: .rmaSync,
                           message: "rank \(rank)'s window accessed outside an access epoch: call it inside "
                               + "fenced { }, withLock(\(rank)) { }, withLockAll { } or accessing([\(rank)]) { }",
                           operation: "\(operation)", argument: "rank")
        }
        let count32 = try checkedCount(count, operation: operation)
        switch place {
        case .element(_, let displacement):
            guard flavor != .dynamic else {
                throw MPIError.invalidArgument(
                    "displacement", displacement,
                    "a dynamic window is reached through the WindowRegion its target attached, not a displacement",
                    errorClass: .rmaRange, operation: operation)
            }
            guard displacement >= 0 && displacement <= counts[rank] - count else {
                throw MPIError.invalidArgument(
                    "displacement", displacement,
                    "\(count) elements from it must lie inside rank \(rank)'s window of \(counts[rank]) elements",
                    errorClass: .rmaRange, operation: operation)
            }
            return (target, MPI_Aint(displacement), count32)
        case .region(let region, let offset):
            guard flavor == .dynamic else {
                throw MPIError.invalidArgument(
                    "region", "\(region)", "reaches dynamic windows only; this window has displacements",
                    errorClass: .rmaRange, operation: operation)
            }
            guard offset >= 0 && offset <= region.count - count else {
                throw MPIError.invalidArgument(
                    "offset", offset,
                    "\(count) elements from it must lie inside the region of \(region.count) elements",
                    errorClass: .rmaRange, operation: operation)
            }
            return (target, MPI_Aint(region.address + offset * MemoryLayout<Element>.stride), count32)
        }
    }
}

/// Where an operation reaches: an element of a rank's window, or of a region
/// attached to a dynamic window.
@usableFromInline
internal enum WindowPlace<Element: MPIElement> {
    case element(rank: Int, displacement: Int)
    case region(WindowRegion<Element>, offset: Int)

    @inlinable
    var rank: Int {
        switch self {
        case .element(let rank, _): return rank
        case .region(let region, _): return region.rank
        }
    }
}
