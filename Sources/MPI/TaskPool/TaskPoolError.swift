/// A task of a ``TaskPool`` that threw: which task, where it ran, and what it threw.
///
/// Thrown on the root by `map`, or by the iteration of `mapUnordered`, once
/// the tasks already handed out have come back; the tasks not yet handed out
/// are not run. The pool stays usable.
public struct TaskPoolError: Error, CustomStringConvertible, Sendable {
    /// The index of the task's input in the root's array.
    public let taskIndex: Int
    /// The rank (in the pool's communicator, which numbers ranks as the one
    /// the pool was made from) that ran the task.
    public let rank: Int
    /// That rank's host (MPI_Get_processor_name).
    public let host: String
    /// The description of the error the task threw (`String(describing:)`).
    public let message: String

    public var description: String {
        "task \(taskIndex) failed on rank \(rank) (\(host)): \(message)"
    }
}
