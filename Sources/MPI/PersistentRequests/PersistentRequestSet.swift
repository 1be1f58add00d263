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
    internal var batch = PersistentBatch()
    internal var counts: [Int] = []

    /// An empty set.
    public init() {}

    /// The number of requests.
    public var count: Int { batch.count }

    /// Whether the requests are active (started and not completed).
    public var isActive: Bool { batch.isActive }

    /// Adds `request` (which the set now owns) and returns its index.
    @discardableResult
    public mutating func append(_ request: consuming PersistentRequest<Element>) -> Int {
        counts.append(request.count)
        return batch.append(request.core)
    }

    /// Starts every request; throws, starting none, if they are active.
    ///
    /// The corresponding C function is `MPI_Startall`.
    public mutating func startAll() throws { try batch.startAll() }

    /// Waits for every request, which all become inactive; throws the first
    /// failure (a truncated receive, say), naming its index.
    ///
    /// The corresponding C function is `MPI_Waitall`.
    public mutating func waitAll() throws { try batch.waitAll() }

    /// Whether every request has completed (then all are inactive), without
    /// waiting; throws as ``waitAll()``.
    ///
    /// The corresponding C function is `MPI_Testall`.
    public mutating func testAll() throws -> Bool { try batch.testAll() }

    /// The status of request `index`'s last completion.
    public func status(at index: Int) throws -> Status {
        try checkedIndex(index)
        return batch.lastStatus(at: index)
    }

    /// Calls `body` with request `index`'s buffer to read; throws while it is active.
    public func withBuffer<R>(at index: Int, _ body: (UnsafeBufferPointer<Element>) throws -> R) throws -> R {
        try checkedIndex(index)
        try batch.requireInactive(index)
        let core = batch.cores[index]
        return try body(UnsafeBufferPointer(start: core.buffer?.assumingMemoryBound(to: Element.self),
                                            count: counts[index]))
    }

    /// Calls `body` with request `index`'s buffer to change; throws while it is active.
    public func withMutableBuffer<R>(
        at index: Int, _ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R
    ) throws -> R {
        try checkedIndex(index)
        try batch.requireInactive(index)
        let core = batch.cores[index]
        var elements = UnsafeMutableBufferPointer(start: core.buffer?.assumingMemoryBound(to: Element.self),
                                                  count: counts[index])
        let base = elements.baseAddress
        defer { precondition(elements.baseAddress == base, "withMutableBuffer: the buffer must not be replaced") }
        return try body(&elements)
    }

    private func checkedIndex(_ index: Int) throws {
        guard index >= 0 && index < count else {
            throw MPIError.invalidArgument("index", index, "must be in 0..<\(count)", errorClass: .argument,
                                           operation: "MPI_Startall")
        }
    }
}
