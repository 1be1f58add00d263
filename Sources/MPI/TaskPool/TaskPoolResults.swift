/// The results of ``TaskPool/mapUnordered(_:chunkSize:_:)`` as they come
/// back: `(index, result)` pairs on the root, nothing on the workers.
///
/// Nothing is sent until the first iteration. Iterate it once.
public struct TaskPoolResults<Output: Codable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = (index: Int, result: Output)
    public typealias Failure = any Error

    private let iteration: TaskPoolIteration<Output>

    @MPIActor
    internal init(pool: TaskPool, begin: @escaping @MPIActor @Sendable (TaskPool) async throws -> (any TaskPoolResultSource<Output>)?) {
        iteration = TaskPoolIteration(pool: pool, begin: begin)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let iteration: TaskPoolIteration<Output>

        /// The next result with its input's index, or nil at the end.
        public mutating func next() async throws -> (index: Int, result: Output)? {
            try await iteration.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iteration: iteration) }
}

/// Where a root's results come from, a chunk at a time (TaskPool.RootRun).
@MPIActor
internal protocol TaskPoolResultSource<Output>: AnyObject {
    associatedtype Output: Codable & Sendable
    func next() async throws -> TaskResults<Output>?
}

/// The state of one iteration: started or not, and the results of the last
/// chunk not yet returned.
@MPIActor
internal final class TaskPoolIteration<Output: Codable & Sendable> {
    private let pool: TaskPool
    private let begin: @MPIActor @Sendable (TaskPool) async throws -> (any TaskPoolResultSource<Output>)?
    private var started = false
    private var source: (any TaskPoolResultSource<Output>)?
    private var pending: TaskResults<Output>?
    private var position = 0

    init(pool: TaskPool, begin: @escaping @MPIActor @Sendable (TaskPool) async throws -> (any TaskPoolResultSource<Output>)?) {
        self.pool = pool
        self.begin = begin
    }

    func next() async throws -> (index: Int, result: Output)? {
        if !started {
            started = true
            source = try await begin(pool)
        }
        while true {
            if let results = pending, position < results.outputs.count {
                position += 1
                return (results.start + position - 1, results.outputs[position - 1])
            }
            pending = nil
            position = 0
            guard let source else { return nil }
            guard let results = try await source.next() else {
                self.source = nil
                return nil
            }
            pending = results
        }
    }
}
