/// A pool of worker ranks: the root hands out tasks, the other ranks work
/// them, as `multiprocessing.Pool` and mpi4py.futures do for Python.
///
/// Collective over a communicator: every rank makes the pool and calls each
/// of its operations in the same order. On the root, `map` takes the inputs
/// and returns the results; on the other ranks (the workers) it takes no
/// inputs (any given are ignored), runs the tasks the root sends, and returns
/// an empty array once the root has no more for it. The root hands out chunks
/// of `chunkSize` consecutive inputs, two per worker at first and then one
/// each time a worker returns one (dynamic load balancing: a fast worker asks
/// more often). A worker runs its tasks one at a time, on the MPI thread.
/// With no workers (a communicator of one rank) the root runs the tasks itself.
///
/// A task that throws comes back to the root as a ``TaskPoolError`` naming the
/// task's index, the worker's rank and host, and the error's description;
/// the chunks not yet handed out are not run, and the pool stays usable. A
/// worker that crashes ends the job (MPI 3.1 has no fault tolerance: the
/// package's fault handler prints the rank and signal and aborts the job).
/// ``shutdown()`` sends each worker a stop message; a `mapUnordered` whose
/// results were not all taken is ended first (its pending tasks cancelled).
///
/// ```swift
/// let pool = try TaskPool(world, root: 0)
/// let squares = try await pool.map(world.rank == 0 ? Array(1...100) : []) { $0 * $0 }
/// try await pool.shutdown()
/// ```
///
/// Its messages go over a duplicate of the communicator (MPI_Comm_dup), so
/// they never match the program's own.
@MPIActor
public final class TaskPool {
    /// The pool's own communicator (a duplicate of the one it was made from).
    public let communicator: Communicator
    /// The rank that hands out the tasks.
    public let root: Int
    private let host: String
    private var unfinished: (any UnfinishedMap)?
    private var isShutDown = false

    /// Makes a pool over `communicator` (collective: every rank calls it).
    ///
    /// The corresponding C functions are `MPI_Comm_dup` and `MPI_Get_processor_name`.
    public init(_ communicator: Communicator, root: Int = 0) throws {
        guard root >= 0 && root < communicator.size else {
            throw MPIError.invalidArgument("root", root, "not a rank of the communicator (size \(communicator.size))",
                                           errorClass: .root, operation: "MPI_Comm_dup")
        }
        self.communicator = try communicator.duplicate()
        self.root = root
        self.host = try MPI.processorName()
    }

    /// The number of worker ranks (all but the root).
    public nonisolated var workerCount: Int { communicator.size - 1 }

    private var workers: [Int] { (0..<communicator.size).filter { $0 != root } }

    /// Applies `transform` to each of the root's `inputs` over the pool and
    /// returns the results in input order on the root (empty elsewhere).
    ///
    /// Throws ``TaskPoolError`` on the root if a task threw (the workers
    /// return normally). Cancelling the root's task stops handing out
    /// chunks, waits for those handed out, and throws CancellationError.
    /// - Parameters:
    ///   - inputs: the root's inputs; ignored on the workers.
    ///   - chunkSize: how many consecutive inputs a worker gets at a time (at least 1).
    ///   - transform: the task, run on the worker that gets the input.
    public func map<Input: Codable & Sendable, Output: Codable & Sendable>(
        _ inputs: [Input], chunkSize: Int = 1, _ transform: @escaping @Sendable (Input) throws -> Output
    ) async throws -> [Output] {
        try await prepare(chunkSize: chunkSize)
        guard communicator.rank == root else {
            try await work(Input.self, Output.self, transform)
            return []
        }
        var outputs = [Output?](repeating: nil, count: inputs.count)
        let run = RootRun(pool: self, inputs: inputs, chunkSize: chunkSize, transform: transform)
        try await run.start()
        while let results = try await run.next() {
            for (offset, output) in results.outputs.enumerated() { outputs[results.start + offset] = output }
        }
        return outputs.map { $0! }
    }

    /// Applies `transform` to each of the root's `inputs` over the pool and
    /// yields `(index, result)` on the root as results come back, in no set
    /// order; on the workers the sequence runs their tasks and yields nothing.
    ///
    /// Iterate it to the end on every rank (a task's failure is thrown by the
    /// iteration, as ``TaskPoolError``). If the root stops early, the next
    /// `map`, `mapUnordered` or `shutdown` ends this one first: chunks not
    /// handed out are not run, results still coming are discarded.
    public func mapUnordered<Input: Codable & Sendable, Output: Codable & Sendable>(
        _ inputs: [Input], chunkSize: Int = 1, _ transform: @escaping @Sendable (Input) throws -> Output
    ) -> TaskPoolResults<Output> {
        TaskPoolResults(pool: self) { pool in
            try await pool.prepare(chunkSize: chunkSize)
            guard pool.communicator.rank == pool.root else {
                try await pool.work(Input.self, Output.self, transform)
                return nil
            }
            let run = RootRun(pool: pool, inputs: inputs, chunkSize: chunkSize, transform: transform)
            pool.unfinished = run
            try await run.start()
            return run
        }
    }

    /// Ends the pool: on the root, ends an unfinished `mapUnordered` and sends
    /// each worker a stop message; on a worker, waits for it. Collective.
    public func shutdown() async throws {
        guard !isShutDown else { return }
        try await endUnfinished()
        isShutDown = true
        if communicator.rank == root {
            var stops = RequestSet<Status>()
            for worker in workers { stops.append(try communicator.isend([UInt8](), to: worker, tag: TaskPoolTag.stop)) }
            try await stops.waitForAll()
        } else {
            let message = try await PoolReceive.next(communicator, from: root, cancellable: false)
            guard message.status.tag == TaskPoolTag.stop else {
                throw TaskPoolProtocolError.unexpected(tag: message.status.tag, expecting: "the stop message")
            }
            _ = try message.receive(UInt8.self)
        }
    }

    // MARK: - Internals

    private func prepare(chunkSize: Int) async throws {
        guard !isShutDown else {
            throw MPIError(errorClass: .other, message: "the task pool has been shut down", operation: "MPI_Send")
        }
        guard chunkSize >= 1 else {
            throw MPIError.invalidArgument("chunkSize", chunkSize, "must be at least 1", errorClass: .argument,
                                           operation: "MPI_Send")
        }
        try await endUnfinished()
    }

    private func endUnfinished() async throws {
        if let run = unfinished {
            unfinished = nil
            try await run.end()
        }
    }

    internal func finished(_ run: any UnfinishedMap) {
        if unfinished === run { unfinished = nil }
    }

    /// A worker's part of one map: run each chunk the root sends until it says the map has ended.
    private func work<Input: Codable, Output: Codable>(
        _ input: Input.Type, _ output: Output.Type, _ transform: (Input) throws -> Output
    ) async throws {
        while true {
            let message = try await PoolReceive.next(communicator, from: root, cancellable: false)
            switch message.status.tag {
            case TaskPoolTag.chunk:
                let (chunk, _) = try communicator.receiveObject(TaskChunk<Input>.self, message)
                let results = TaskResults.computing(chunk, rank: communicator.rank, host: host, transform)
                try await communicator.send(object: results, to: root, tag: TaskPoolTag.results)
            case TaskPoolTag.endOfMap:
                _ = try message.receive(UInt8.self)
                return
            default:
                throw TaskPoolProtocolError.unexpected(tag: message.status.tag, expecting: "a chunk of tasks")
            }
        }
    }

    /// The root's side of one map: hands out chunks, collects results.
    internal final class RootRun<Input: Codable & Sendable, Output: Codable & Sendable>: UnfinishedMap, TaskPoolResultSource {
        private unowned let pool: TaskPool
        private let inputs: [Input]
        private let chunkSize: Int
        private let transform: (Input) throws -> Output
        private var nextStart = 0
        private var outstanding = 0
        private var failure: TaskPoolError?
        private var ended = false

        init(pool: TaskPool, inputs: [Input], chunkSize: Int, transform: @escaping (Input) throws -> Output) {
            self.pool = pool
            self.inputs = inputs
            self.chunkSize = chunkSize
            self.transform = transform
        }

        /// Two chunks to each worker, so that each has the next while it works.
        func start() async throws {
            for _ in 0..<2 {
                for worker in pool.workers { try await handOut(to: worker) }
            }
        }

        /// The next chunk's results, or nil at the end (then every worker has
        /// been told the map ended). Throws the first failure at the end.
        func next() async throws -> TaskResults<Output>? {
            if pool.workerCount == 0 { return try nextComputedHere() }
            while outstanding > 0 {
                if Task.isCancelled && nextStart < inputs.count { nextStart = inputs.count }
                let message: Message
                do {
                    message = try await PoolReceive.next(pool.communicator, from: MPI.anySource, tag: TaskPoolTag.results,
                                                        cancellable: false)
                } catch {
                    try? await end()
                    throw error
                }
                let (results, status) = try pool.communicator.receiveObject(TaskResults<Output>.self, message)
                outstanding -= 1
                if let failed = results.failure {
                    if failure == nil { failure = failed.error }
                    nextStart = inputs.count           // the rest are not run
                } else {
                    try await handOut(to: status.source)
                }
                if failure == nil { return results }
            }
            try await finish()
            if Task.isCancelled && failure == nil { throw CancellationError() }
            if let failure { throw failure }
            return nil
        }

        /// Ends the map early: hands out nothing more, waits for what is out.
        func end() async throws {
            guard !ended else { return }
            nextStart = inputs.count
            while outstanding > 0 {
                let message = try await PoolReceive.next(pool.communicator, from: MPI.anySource, tag: TaskPoolTag.results,
                                                         cancellable: false)
                _ = try pool.communicator.receiveObject(TaskResults<Output>.self, message)
                outstanding -= 1
            }
            try await finish()
        }

        private func handOut(to worker: Int) async throws {
            guard nextStart < inputs.count else { return }
            let end = min(nextStart + chunkSize, inputs.count)
            let chunk = TaskChunk(start: nextStart, inputs: Array(inputs[nextStart..<end]))
            nextStart = end
            outstanding += 1
            try await pool.communicator.send(object: chunk, to: worker, tag: TaskPoolTag.chunk)
        }

        private func finish() async throws {
            guard !ended else { return }
            ended = true
            pool.finished(self)
            var ends = RequestSet<Status>()
            for worker in pool.workers {
                ends.append(try pool.communicator.isend([UInt8](), to: worker, tag: TaskPoolTag.endOfMap))
            }
            try await ends.waitForAll()
        }

        /// With no workers: the root runs the next chunk itself.
        private func nextComputedHere() throws -> TaskResults<Output>? {
            guard nextStart < inputs.count, !ended else {
                ended = true
                pool.finished(self)
                return nil
            }
            if Task.isCancelled { ended = true; pool.finished(self); throw CancellationError() }
            let end = min(nextStart + chunkSize, inputs.count)
            let chunk = TaskChunk(start: nextStart, inputs: Array(inputs[nextStart..<end]))
            nextStart = end
            let results = TaskResults.computing(chunk, rank: pool.communicator.rank, host: pool.host, transform)
            if let failed = results.failure {
                ended = true
                pool.finished(self)
                throw failed.error
            }
            return results
        }
    }
}

/// A map whose results have not all been taken, which the pool ends before its next operation.
@MPIActor
internal protocol UnfinishedMap: AnyObject {
    func end() async throws
}

/// The next pool message for this rank, matched (MPI_Improbe, polled).
@MPIActor
internal enum PoolReceive {
    static func next(_ communicator: Communicator, from source: Int, tag: Int = MPI.anyTag,
                     cancellable: Bool) async throws -> Message {
        if cancellable { return try await communicator.matchedProbe(from: source, tag: tag) }
        var found = try communicator.matchedProbeIfAvailable(from: source, tag: tag)
        if found == nil {
            try await ProgressEngine.poll(until: {
                found = try communicator.matchedProbeIfAvailable(from: source, tag: tag)
                return found != nil
            })
        }
        return found.take()!
    }
}

/// A message a pool rank did not expect: the ranks called the pool's operations in different orders.
internal enum TaskPoolProtocolError: Error, CustomStringConvertible {
    case unexpected(tag: Int, expecting: String)

    var description: String {
        switch self {
        case .unexpected(let tag, let expecting):
            "TaskPool: a worker received a message with tag \(tag) while waiting for \(expecting); "
                + "every rank must call the pool's operations (map, mapUnordered, shutdown) in the same order"
        }
    }
}
