// What the root and the workers of a TaskPool say to each other, as object
// messages on the pool's own communicator (a duplicate, so that they never
// match the program's messages).

/// The tags of the pool's messages.
internal enum TaskPoolTag {
    /// Root to worker: a chunk of inputs (TaskChunk).
    static let chunk = 1
    /// Root to worker: this map has no more chunks for you (empty message).
    static let endOfMap = 2
    /// Root to worker: the pool is shut down (empty message).
    static let stop = 3
    /// Worker to root: a chunk's results or its failure (TaskResults).
    static let results = 4
}

/// Consecutive inputs, starting at index `start` of the root's array.
internal struct TaskChunk<Input: Codable>: Codable {
    var start: Int
    var inputs: [Input]
}

/// A chunk's results, in order, or the failure of one of its tasks.
internal struct TaskResults<Output: Codable>: Codable {
    var start: Int
    var outputs: [Output]
    var failure: TaskFailure?
}

internal struct TaskFailure: Codable {
    var taskIndex: Int
    var rank: Int
    var host: String
    var message: String

    var error: TaskPoolError { TaskPoolError(taskIndex: taskIndex, rank: rank, host: host, message: message) }
}

extension TaskResults {
    /// Runs `transform` over the chunk's inputs; the first that throws ends
    /// the chunk with its failure.
    static func computing<Input>(
        _ chunk: TaskChunk<Input>, rank: Int, host: String, _ transform: (Input) throws -> Output
    ) -> TaskResults {
        var outputs: [Output] = []
        outputs.reserveCapacity(chunk.inputs.count)
        for (offset, input) in chunk.inputs.enumerated() {
            do {
                outputs.append(try transform(input))
            } catch {
                let failure = TaskFailure(taskIndex: chunk.start + offset, rank: rank, host: host,
                                          message: String(describing: error))
                return TaskResults(start: chunk.start, outputs: [], failure: failure)
            }
        }
        return TaskResults(start: chunk.start, outputs: outputs, failure: nil)
    }
}
