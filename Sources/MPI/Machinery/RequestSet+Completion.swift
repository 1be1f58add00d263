import CMPI

// How a RequestSet moves requests in and out and records what MPI's wait and
// test functions report for them.

extension RequestSet {
    /// Moves the three parts of `request` into the set (its result goes
    /// wherever the caller keeps it).
    @inlinable
    internal mutating func appendOperation<Result>(of request: consuming Request<Result>) {
        handles.append(request.handle)
        statuses.append(request.mpiStatus)
        operations.append(request.operation)
        // The set owns the operation now: the request's deinit must leave it alone.
        request.operation.isComplete = true
    }

    /// Moves the request at `index` back out, with `result`; the slot stays, empty.
    internal mutating func takeOperation<Result>(at index: Int, result: Result?) -> Request<Result> {
        let request = Request(handle: handles[index], status: statuses[index], operations[index], result: result)
        operations[index].isTaken = true
        operations[index].isComplete = true
        operations[index].swapped = nil
        operations[index].kept = .nothing
        return request
    }

    /// Throws unless `index` names a request still in the set.
    internal func checkSlot(_ index: Int, taking: Bool) throws {
        guard handles.indices.contains(index) else {
            throw MPIError.invalidArgument("index", index, "must be in 0..<\(count)", errorClass: .argument,
                                           operation: "MPI_Wait")
        }
        guard !operations[index].isTaken else {
            throw MPIError.invalidArgument("index", index, taking ? "was taken out of the set already" : "was taken out of the set",
                                           errorClass: .request, operation: "MPI_Wait")
        }
    }

    /// Completes every pending request, as dropping each would (MPI must never
    /// write into memory this set no longer keeps alive).
    @usableFromInline
    internal static func completeDropped(_ handles: [RequestHandle], _ operations: [PendingOperation]) {
        var index = 0
        while index < operations.count {
            operations[index].completeDropped(handles[index])
            index += 1
        }
    }

    /// Whether any slot has completed (an index loop: generic `contains`
    /// allocates in unoptimized builds, and this runs once per wait-all).
    internal var hasCompletedSlot: Bool {
        var index = 0
        while index < operations.count {
            if operations[index].isComplete { return true }
            index += 1
        }
        return false
    }

    internal func pendingIndices() -> [Int] {
        operations.indices.filter { !operations[$0].isComplete }
    }

    /// MPI_Testall or MPI_Waitall over the `pending` slots only (MPI would
    /// overwrite the statuses of completed ones with empty statuses); returns
    /// whether all completed.
    internal mutating func completePending(_ pending: [Int], testing: Bool) throws -> Bool {
        let operation: StaticString = testing ? "MPI_Testall" : "MPI_Waitall"
        var pendingHandles = pending.map { handles[$0] }
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        var flag: CInt = 1
        let code = testing
            ? try MPIC.testallReturningCode(CInt(pending.count), &pendingHandles, &flag, &pendingStatuses)
            : try MPIC.waitallReturningCode(CInt(pending.count), &pendingHandles, &pendingStatuses)
        for (position, slot) in pending.enumerated() {
            handles[slot] = pendingHandles[position]
            statuses[slot] = pendingStatuses[position]
        }
        try completeSlots(pending, code: code, operation: operation, allCompleted: flag != 0)
        return flag != 0
    }

    internal mutating func waitForAny(of pending: [Int]) throws -> Int? {
        var pendingHandles = pending.map { handles[$0] }
        var index: CInt = 0
        var status = MPI_Status()
        let code = try MPIC.waitanyReturningCode(CInt(pending.count), &pendingHandles, &index, &status)
        guard index != cmpi_undefined() else {
            if code != cmpi_success() { throw MPIError(code: code, operation: "MPI_Waitany") }
            return nil
        }
        let slot = pending[Int(index)]
        handles[slot] = pendingHandles[Int(index)]
        statuses[slot] = status
        try completeSlot(slot, code: code, operation: "MPI_Waitany")
        return slot
    }

    internal mutating func waitForSome(of pending: [Int]) throws -> [Int] {
        var pendingHandles = pending.map { handles[$0] }
        var outCount: CInt = 0
        var indices = [CInt](repeating: 0, count: pending.count)
        var pendingStatuses = [MPI_Status](repeating: MPI_Status(), count: pending.count)
        let code = try MPIC.waitsomeReturningCode(
            CInt(pending.count), &pendingHandles, &outCount, &indices, &pendingStatuses)
        guard outCount != cmpi_undefined() else {
            if code != cmpi_success() { throw MPIError(code: code, operation: "MPI_Waitsome") }
            return []
        }
        var done: [Int] = []
        var firstFailure: MPIError?
        for position in 0..<Int(outCount) {
            let local = Int(indices[position])
            let slot = pending[local]
            handles[slot] = pendingHandles[local]
            statuses[slot] = pendingStatuses[position]
            done.append(slot)
            let slotCode = code == cmpi_err_in_status() ? cmpi_status_error(&pendingStatuses[position]) : cmpi_success()
            do {
                try completeSlot(slot, code: slotCode, operation: "MPI_Waitsome")
            } catch let error as MPIError {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
        if code != cmpi_success() && code != cmpi_err_in_status() { throw MPIError(code: code, operation: "MPI_Waitsome") }
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
        for position in 0..<(pending?.count ?? handles.count) {
            let slot = pending?[position] ?? position
            var slotCode = cmpi_success()
            if code == cmpi_err_in_status() {
                slotCode = cmpi_status_error(&statuses[slot])
                if slotCode == cmpi_err_pending() { continue }
            } else if !allCompleted {
                continue
            }
            do {
                try completeSlot(slot, code: slotCode, operation: operation)
            } catch let error as MPIError {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
        if code != cmpi_success() && code != cmpi_err_in_status() { throw MPIError(code: code, operation: operation) }
    }

    /// Marks the slot completed with MPI's `code` for it and throws the
    /// slot's error, naming its index.
    internal mutating func completeSlot(_ slot: Int, code: CInt, operation: StaticString) throws {
        do {
            try operations[slot].complete(code: code, status: &statuses[slot], operation: operation)
        } catch let underlying as MPIError {
            throw MPIError(errorClass: underlying.errorClass, code: underlying.code,
                           message: "request \(slot) failed: \(underlying.message)",
                           operation: underlying.operation, argument: "requests[\(slot)]")
        }
    }
}
