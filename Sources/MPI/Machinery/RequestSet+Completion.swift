import CMPI

// How a RequestSet moves requests in and out and records what MPI's wait and
// test functions report for them.

extension RequestSet {
    /// Moves the parts of `request` into the set, with its `result`.
    @inlinable @inline(__always)
    internal mutating func appendParts<Result>(of request: consuming Request<Result>, result: Value?) {
        let index = slots.count
        if request.pending.operation.isComplete { mayHaveCompletedSlot = true }
        slots.append(request.pending.handle, request.pending.operation)
        // Results exist only for receives into owned buffers: a set of other
        // requests leaves the array empty.
        if let result {
            if results.count < index { results.append(contentsOf: repeatElement(nil, count: index - results.count)) }
            results.append(result)
        } else if !results.isEmpty {
            results.append(nil)
        }
        // The set owns the operation, and its owner, now.
        request.pending.end(releasingOwner: false)
    }

    /// Moves the request at `index` back out, with `result`; the slot stays, empty.
    internal mutating func takeOperation<Result>(at index: Int, result: Result?) -> Request<Result> {
        let request = Request(handle: slots[handle: index], slots[operation: index], result: result)
        if index < results.count { results[index] = nil }
        slots[operation: index].owner = nil   // the request has it now
        slots[operation: index].isTaken = true
        slots[operation: index].isComplete = true
        slots[operation: index].work = .none
        mayHaveCompletedSlot = true
        return request
    }

    /// Throws unless `index` names a request still in the set.
    internal func checkSlot(_ index: Int, taking: Bool) throws {
        guard slots.indices.contains(index) else {
            throw MPIError.invalidArgument("index", index, "must be in 0..<\(count)", errorClass: .argument,
                                           operation: "MPI_Wait")
        }
        guard !slots[operation: index].isTaken else {
            throw MPIError.invalidArgument("index", index, taking ? "was taken out of the set already" : "was taken out of the set",
                                           errorClass: .request, operation: "MPI_Wait")
        }
    }

    /// Completes every pending request, as dropping each would (MPI must never
    /// write into memory this set no longer keeps alive), and releases the
    /// owners of their memory. (Through the memory, field by field: a copy of
    /// each operation would cost more than the loop's work.)
    @usableFromInline
    internal static func completeDroppedAndRelease(
        _ slots: borrowing RequestStorage
    ) {
        guard let base = slots.operations else { return }
        var index = 0
        while index < slots.count {
            let operation = base + index
            if _slowPath(!operation.pointee.isComplete) { operation.pointee.completeDropped(slots[handle: index]) }
            operation.pointee.owner?.release()
            index += 1
        }
    }

    internal func pendingIndices() -> [Int] {
        slots.indices.filter { !slots[operation: $0].isComplete }
    }

    /// MPI_Testall or MPI_Waitall over the `pending` slots only (MPI would
    /// overwrite the statuses of completed ones with empty statuses); returns
    /// whether all completed.
    internal mutating func completePending(_ pending: [Int], testing: Bool) throws -> Bool {
        let operation: StaticString = testing ? "MPI_Testall" : "MPI_Waitall"
        var pendingHandles = pending.map { slots[handle: $0] }
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        var flag: CInt = 1
        let code = testing
            ? try MPIC.testallReturningCode(CInt(pending.count), &pendingHandles, &flag, &pendingStatuses)
            : try MPIC.waitallReturningCode(CInt(pending.count), &pendingHandles, &pendingStatuses)
        for (position, slot) in pending.enumerated() {
            slots[handle: slot] = pendingHandles[position]
            slots[status: slot] = pendingStatuses[position]
        }
        try completeSlots(pending, code: code, operation: operation, allCompleted: flag != 0)
        return flag != 0
    }

    /// MPI_Waitany, or MPI_Testany when `testing` (then nil also when none
    /// has completed yet), over the `pending` slots.
    internal mutating func waitForAny(of pending: [Int], testing: Bool = false) throws -> Int? {
        let operation: StaticString = testing ? "MPI_Testany" : "MPI_Waitany"
        var pendingHandles = pending.map { slots[handle: $0] }
        var index: CInt = 0
        var flag: CInt = 1
        var status = MPI_Status()
        let code = testing
            ? try MPIC.testanyReturningCode(CInt(pending.count), &pendingHandles, &index, &flag, &status)
            : try MPIC.waitanyReturningCode(CInt(pending.count), &pendingHandles, &index, &status)
        guard flag != 0, index != cmpi_undefined() else {
            if code != cmpi_success() { throw MPIError(code: code, operation: operation) }
            return nil
        }
        let slot = pending[Int(index)]
        slots[handle: slot] = pendingHandles[Int(index)]
        slots[status: slot] = status
        try completeSlot(slot, code: code, operation: operation)
        return slot
    }

    /// MPI_Waitsome, or MPI_Testsome when `testing` (then empty also when
    /// none has completed yet), over the `pending` slots.
    internal mutating func waitForSome(of pending: [Int], testing: Bool = false) throws -> [Int] {
        let operation: StaticString = testing ? "MPI_Testsome" : "MPI_Waitsome"
        var pendingHandles = pending.map { slots[handle: $0] }
        var outCount: CInt = 0
        var indices = [CInt](repeating: 0, count: pending.count)
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        let code = testing
            ? try MPIC.testsomeReturningCode(CInt(pending.count), &pendingHandles, &outCount, &indices, &pendingStatuses)
            : try MPIC.waitsomeReturningCode(CInt(pending.count), &pendingHandles, &outCount, &indices, &pendingStatuses)
        guard outCount != cmpi_undefined() else {
            if code != cmpi_success() { throw MPIError(code: code, operation: operation) }
            return []
        }
        var done: [Int] = []
        var firstFailure: MPIError?
        for position in 0..<Int(outCount) {
            let local = Int(indices[position])
            let slot = pending[local]
            slots[handle: slot] = pendingHandles[local]
            slots[status: slot] = pendingStatuses[position]
            done.append(slot)
            let slotCode = code == cmpi_err_in_status() ? cmpi_status_error(&pendingStatuses[position]) : cmpi_success()
            do {
                try completeSlot(slot, code: slotCode, operation: operation)
            } catch let error as MPIError {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
        if code != cmpi_success() && code != cmpi_err_in_status() { throw MPIError(code: code, operation: operation) }
        return done
    }

    /// Completes the slots `pending` (every slot when nil) after MPI returned
    /// `code` for them: with MPI_ERR_IN_STATUS each status says whether its
    /// request failed, completed, or is still pending (MPI_ERR_PENDING);
    /// otherwise they completed if `allCompleted`. Throws the first failure.
    internal mutating func completeSlots(
        _ pending: [Int]?, code: CInt, operation: StaticString, allCompleted: Bool
    ) throws {
        var firstFailure: MPIError?
        let count = pending?.count ?? slots.count
        mayHaveCompletedSlot = true
        guard let operations = slots.operations, let statuses = slots.statuses else { return }
        for position in 0..<count {
            let slot = pending?[position] ?? position
            var slotCode = cmpi_success()
            if _slowPath(code == cmpi_err_in_status()) {
                slotCode = cmpi_status_error(statuses + slot)
                if slotCode == cmpi_err_pending() { continue }
            } else if _slowPath(!allCompleted) {
                continue
            }
            do {
                try operations[slot].complete(code: slotCode, status: &statuses[slot], operation: operation)
            } catch {
                if firstFailure == nil { firstFailure = Self.failure(of: slot, error) }
            }
        }
        if let firstFailure { throw firstFailure }
        if code != cmpi_success() && code != cmpi_err_in_status() { throw MPIError(code: code, operation: operation) }
    }

    /// Completes every slot after MPI reported success for all of them (the
    /// usual wait-all): a send's or a collective's slot has nothing to record
    /// unless it was asked to cancel, so it costs a flag. (Its kind is read,
    /// not its work: which case of the work it is takes more instructions to
    /// tell.)
    internal mutating func completeAllSucceeded(operation: StaticString) throws {
        mayHaveCompletedSlot = true
        guard let operations = slots.operations, let statuses = slots.statuses else { return }
        var firstFailure: MPIError?
        for slot in 0..<slots.count {
            let pending = operations + slot
            if pending.pointee.kind != .receive && !pending.pointee.cancelRequested {
                pending.pointee.isComplete = true
                continue
            }
            do {
                try pending.pointee.complete(code: cmpi_success(), status: &statuses[slot], operation: operation)
            } catch {
                if firstFailure == nil { firstFailure = Self.failure(of: slot, error) }
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// The error of the request at `slot`, naming its index.
    internal static func failure(of slot: Int, _ error: any Error) -> MPIError {
        guard let underlying = error as? MPIError else {
            return MPIError(errorClass: .unknown, message: "request \(slot) failed: \(error)", operation: "MPI_Wait")
        }
        return MPIError(errorClass: underlying.errorClass, code: underlying.code,
                        message: "request \(slot) failed: \(underlying.message)",
                        operation: underlying.operation, argument: "requests[\(slot)]")
    }

    /// Marks the slot completed with MPI's `code` for it and throws the
    /// slot's error, naming its index.
    internal mutating func completeSlot(_ slot: Int, code: CInt, operation: StaticString) throws {
        mayHaveCompletedSlot = true
        do {
            try slots.element(slots.operations, slot).pointee.complete(
                code: code, status: &slots.element(slots.statuses, slot).pointee, operation: operation)
        } catch {
            throw Self.failure(of: slot, error)
        }
    }
}
