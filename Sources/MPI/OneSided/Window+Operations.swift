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
    /// The corresponding C function is `MPI_Put`.
    public func put(_ values: [Element], to rank: Int, at displacement: Int) throws {
        let operation: StaticString = "MPI_Put"
        let (target, disp, count) = try checkedAccess(rank, displacement, values.count, operation: operation)
        let type = Element.mpiDatatype.handle
        try values.withUnsafeBufferPointer { source in
            try MPIC.put(source.baseAddress, count, type, target, disp, count, type, handle)
        }
        state.pending.append((rank, KeptOrigin(values.storageReference)))
    }

    /// Reads `count` elements of `rank`'s window from element `displacement`;
    /// the values are readable when the epoch ends.
    ///
    /// The corresponding C function is `MPI_Get`.
    public func get(_ count: Int, from rank: Int, at displacement: Int) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Get"
        let (target, disp, count32) = try checkedAccess(rank, displacement, count, operation: operation)
        let type = Element.mpiDatatype.handle
        let result = WindowValues<Element>(count: count)
        try MPIC.get(result.memory, count32, type, target, disp, count32, type, handle)
        state.pending.append((rank, result))
        return result
    }

    /// Combines `values` into `rank`'s window at `displacement` with
    /// `reduction` (element by element, atomically per element with respect
    /// to other accumulates); ``WindowOperation/replace`` is an atomic put.
    ///
    /// The corresponding C function is `MPI_Accumulate`.
    public func accumulate(_ values: [Element], to rank: Int, at displacement: Int,
                           _ reduction: WindowOperation<Element>) throws {
        let operation: StaticString = "MPI_Accumulate"
        let (target, disp, count) = try checkedAccess(rank, displacement, values.count, operation: operation)
        let type = Element.mpiDatatype.handle
        try values.withUnsafeBufferPointer { source in
            try MPIC.accumulate(source.baseAddress, count, type, target, disp, count, type, reduction.handle, handle)
        }
        state.pending.append((rank, KeptOrigin(values.storageReference)))
    }

    /// Combines `values` into `rank`'s window as ``accumulate(_:to:at:_:)``
    /// does, and brings back the elements that were there before
    /// (``WindowOperation/noOperation`` only reads them, atomically).
    ///
    /// The corresponding C function is `MPI_Get_accumulate`.
    public func getAccumulate(_ values: [Element], to rank: Int, at displacement: Int,
                              _ reduction: WindowOperation<Element>) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Get_accumulate"
        let (target, disp, count) = try checkedAccess(rank, displacement, values.count, operation: operation)
        let type = Element.mpiDatatype.handle
        let result = WindowValues<Element>(count: values.count)
        try values.withUnsafeBufferPointer { source in
            try MPIC.getAccumulate(source.baseAddress, count, type, result.memory, count, type,
                                   target, disp, count, type, reduction.handle, handle)
        }
        result.origin = values.storageReference
        state.pending.append((rank, result))
        return result
    }

    /// Combines `value` into one element of `rank`'s window and brings back
    /// the element before (a shared counter: `fetchAndOp(1, on: 0, at: 0, .sum)`).
    ///
    /// The corresponding C function is `MPI_Fetch_and_op`.
    public func fetchAndOp(_ value: Element, on rank: Int, at displacement: Int,
                           _ reduction: WindowOperation<Element>) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Fetch_and_op"
        let (target, disp, _) = try checkedAccess(rank, displacement, 1, operation: operation)
        let result = WindowValues<Element>(count: 1)
        let origin = WindowValues<Element>(count: 1)
        origin.memory.pointee = value
        try MPIC.fetchAndOp(origin.memory, result.memory, Element.mpiDatatype.handle, target, disp,
                            reduction.handle, handle)
        result.origin = origin
        state.pending.append((rank, result))
        return result
    }

    /// Writes `value` into one element of `rank`'s window if that element
    /// equals `expected`, atomically, and brings back the element before.
    ///
    /// The corresponding C function is `MPI_Compare_and_swap`.
    public func compareAndSwap(_ value: Element, expected: Element, on rank: Int,
                               at displacement: Int) throws -> WindowValues<Element> {
        let operation: StaticString = "MPI_Compare_and_swap"
        let (target, disp, _) = try checkedAccess(rank, displacement, 1, operation: operation)
        let result = WindowValues<Element>(count: 1)
        let origin = WindowValues<Element>(count: 2)
        origin.memory[0] = value
        origin.memory[1] = expected
        try MPIC.compareAndSwap(origin.memory, origin.memory + 1, result.memory, Element.mpiDatatype.handle,
                                target, disp, handle)
        result.origin = origin
        state.pending.append((rank, result))
        return result
    }

    /// The target, displacement and count of an access, checked.
    func checkedAccess(_ rank: Int, _ displacement: Int, _ count: Int,
                       operation: StaticString) throws -> (CInt, MPI_Aint, CInt) {
        let target = try checkedTarget(rank, operation: operation)
        guard state.canAccess(rank) else {
            throw MPIError(errorClass: .other,
                           message: "rank \(rank)'s window accessed outside an access epoch: call it inside "
                               + "fenced { }, withLock(\(rank)) { } or withLockAll { }",
                           operation: "\(operation)", argument: "rank")
        }
        let count32 = try checkedCount(count, operation: operation)
        guard displacement >= 0 && displacement <= counts[rank] - count else {
            throw MPIError.invalidArgument(
                "displacement", displacement,
                "\(count) elements from it must lie inside rank \(rank)'s window of \(counts[rank]) elements",
                errorClass: .argument, operation: operation)
        }
        return (target, MPI_Aint(displacement), count32)
    }
}

extension Array {
    /// What keeps this array's elements where they are: its storage, held
    /// (a copy of the array shares it; a later change to the original copies).
    var storageReference: AnyObject? { self as AnyObject? }
}
