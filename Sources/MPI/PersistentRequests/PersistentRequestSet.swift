import CMPI

/// Persistent requests started and completed together (a halo exchange's
/// sends and receives, every step).
///
/// ``append(_:)`` takes a request over and returns its index; ``startAll()``
/// starts every request with one MPI call, ``waitAll()`` completes them all.
/// The handles and statuses MPI needs are kept from one step to the next, so
/// a step allocates nothing. Each buffer is reached by its index while the
/// set is inactive.
public struct PersistentRequestSet<Element: MPIElement>: ~Copyable {
    internal var cores: [PersistentCore] = []
    internal var counts: [Int] = []
    internal var handles: [RequestHandle] = []
    internal var statuses: [MPI_Status] = []

    /// An empty set.
    public init() {}

    /// The number of requests.
    public var count: Int { cores.count }

    /// Whether any request is active.
    public var isActive: Bool { cores.contains { $0.isActive } }

    /// Adds `request` (which the set now owns) and returns its index.
    @discardableResult
    public mutating func append(_ request: consuming PersistentRequest<Element>) -> Int {
        cores.append(request.core)
        counts.append(request.count)
        handles.append(request.core.handle)
        statuses.append(MPI_Status())
        return cores.count - 1
    }

    /// Starts every request; throws, starting none, if one is active.
    ///
    /// The corresponding C function is `MPI_Startall`.
    public mutating func startAll() throws {
        guard !cores.isEmpty else { return }
        for index in cores.indices where cores[index].isActive {
            throw MPIError(errorClass: .request,
                           message: "requests[\(index)] of the set is active (started and not completed); "
                               + "waitAll() or testAll() first",
                           operation: "MPI_Startall", argument: "requests[\(index)]")
        }
        for index in cores.indices { cores[index].prepareStart() }
        let count = CInt(cores.count)
        defer { syncHandles() }   // MPI_Startall may replace a handle (Open MPI does)
        try handles.withUnsafeMutableBufferPointer { try MPIC.startall(count, $0.baseAddress) }
        for index in cores.indices { cores[index].isActive = true }
    }

    /// Waits for every request, which all become inactive; throws the first
    /// failure (a truncated receive, say), naming its index.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    public mutating func waitAll() throws {
        guard !cores.isEmpty else { return }
        let count = CInt(cores.count)
        let code = try handles.withUnsafeMutableBufferPointer { handles in
            try statuses.withUnsafeMutableBufferPointer { statuses in
                try MPIC.waitallReturningCode(count, handles.baseAddress, statuses.baseAddress)
            }
        }
        try finishAll(code: code, operation: "MPI_Waitall")
    }

    /// Whether every request has completed (then all are inactive), without
    /// waiting; throws as ``waitAll()``.
    ///
    /// The corresponding C function is `MPI_Testall`.
    public mutating func testAll() throws -> Bool {
        guard !cores.isEmpty else { return true }
        let count = CInt(cores.count)
        var flag: CInt = 0
        let code = try handles.withUnsafeMutableBufferPointer { handles in
            try statuses.withUnsafeMutableBufferPointer { statuses in
                try MPIC.testallReturningCode(count, handles.baseAddress, &flag, statuses.baseAddress)
            }
        }
        guard flag != 0 || code != cmpi_success() else { return false }
        try finishAll(code: code, operation: "MPI_Testall")
        return true
    }

    /// Gives each core the handle MPI left in the array.
    private func syncHandles() {
        for index in cores.indices { cores[index].handle = handles[index] }
    }

    private mutating func finishAll(code: CInt, operation: StaticString) throws {
        syncHandles()
        defer { for index in cores.indices { handles[index] = cores[index].handle } }   // remade ones
        if code != cmpi_success() && code != cmpi_err_in_status() {
            for index in cores.indices { cores[index].isActive = false }
            throw MPIError(code: code, operation: operation)
        }
        var firstError: MPIError?
        for index in cores.indices where cores[index].isActive {
            let slotCode = code == cmpi_err_in_status() ? cmpi_status_error(&statuses[index]) : cmpi_success()
            do {
                _ = try cores[index].finish(code: slotCode, status: &statuses[index], operation: operation)
            } catch let error as MPIError {
                if firstError == nil {
                    firstError = MPIError(errorClass: error.errorClass, code: error.code,
                                          message: "requests[\(index)] of the set: \(error.message)",
                                          operation: error.operation, argument: "requests[\(index)]")
                }
            }
        }
        if let firstError { throw firstError }
    }

    /// The status of request `index`'s last completion.
    public func status(at index: Int) throws -> Status {
        try checkedIndex(index)
        return cores[index].lastStatus
    }

    /// Calls `body` with request `index`'s buffer to read; throws while it is active.
    public func withBuffer<R>(at index: Int, _ body: (UnsafeBufferPointer<Element>) throws -> R) throws -> R {
        try checkedIndex(index)
        let core = cores[index]
        try core.requireInactive("requests[\(index)]", operation: "MPI_Startall")
        return try body(UnsafeBufferPointer(start: core.buffer?.assumingMemoryBound(to: Element.self),
                                            count: counts[index]))
    }

    /// Calls `body` with request `index`'s buffer to change; throws while it is active.
    public func withMutableBuffer<R>(
        at index: Int, _ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R
    ) throws -> R {
        try checkedIndex(index)
        let core = cores[index]
        try core.requireInactive("requests[\(index)]", operation: "MPI_Startall")
        var elements = UnsafeMutableBufferPointer(start: core.buffer?.assumingMemoryBound(to: Element.self),
                                                  count: counts[index])
        let base = elements.baseAddress
        defer { precondition(elements.baseAddress == base, "withMutableBuffer: the buffer must not be replaced") }
        return try body(&elements)
    }

    private func checkedIndex(_ index: Int) throws {
        guard index >= 0 && index < cores.count else {
            throw MPIError.invalidArgument("index", index, "must be in 0..<\(cores.count)", errorClass: .argument,
                                           operation: "MPI_Startall")
        }
    }
}
