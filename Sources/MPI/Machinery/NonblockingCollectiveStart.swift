// Starting a nonblocking collective over owned or borrowed buffers. An owned
// buffer's memory stays where it is while the request keeps the buffer, so
// its address may outlive the closure that lent it.

extension Communicator {
    /// Starts the collective `describe` makes from `send` and a new array of
    /// `resultCount` elements, which `wait` returns (or `[]` when
    /// `resultIsEmpty`: a non-root's gather, rank 0's exclusive scan).
    @inlinable
    internal func startReturningArray<Send: SendBuffer>(
        _ send: Send, resultCount: Int, resultIsEmpty: Bool = false, operation: CustomOperation? = nil,
        _ describe: (UnsafeBufferPointer<Send.Element>, UnsafeMutableBufferPointer<Send.Element>) throws
            -> CollectiveCall<Send.Element>
    ) throws -> Request<[Send.Element]> {
        var receive = zeroedArray(Send.Element.self, count: resultCount)
        let target = receive.withUnsafeMutableBufferPointer { $0 }
        let call = try describe(send.withUnsafeElements { $0 }, target)
        return try start(call, keeping: send, receive, operation: operation, result: resultIsEmpty ? [] : receive)
    }

    /// The same for a v-collective.
    @inlinable
    internal func startReturningArray<Send: SendBuffer>(
        _ send: Send, resultCount: Int, resultIsEmpty: Bool = false, operation: CustomOperation? = nil,
        _ describe: (UnsafeBufferPointer<Send.Element>, UnsafeMutableBufferPointer<Send.Element>) throws
            -> VectorCollectiveCall<Send.Element>
    ) throws -> Request<[Send.Element]> {
        var receive = zeroedArray(Send.Element.self, count: resultCount)
        let target = receive.withUnsafeMutableBufferPointer { $0 }
        let call = try describe(send.withUnsafeElements { $0 }, target)
        return try start(call, keeping: send, receive, operation: operation, result: resultIsEmpty ? [] : receive)
    }

    /// Starts the collective `describe` makes from `send` and memory the
    /// caller owns, which must stay valid until the request completes.
    @inlinable
    internal func startIntoCallerBuffer<Send: SendBuffer>(
        _ send: Send, _ receive: UnsafeMutableBufferPointer<Send.Element>, operation: CustomOperation? = nil,
        _ describe: (UnsafeBufferPointer<Send.Element>, UnsafeMutableBufferPointer<Send.Element>) throws
            -> CollectiveCall<Send.Element>
    ) throws -> Request<Void> {
        let call = try describe(send.withUnsafeElements { $0 }, receive)
        return try start(call, keeping: send, operation: operation)
    }

    /// Starts the in-place collective `describe` makes from the owned `buffer`,
    /// which `wait` returns.
    @inlinable
    internal func startInPlace<T: MPIElement>(
        _ buffer: consuming [T], operation: CustomOperation? = nil,
        _ describe: (UnsafeMutableBufferPointer<T>) throws -> CollectiveCall<T>
    ) throws -> Request<[T]> {
        var buffer = buffer
        let elements = buffer.withUnsafeMutableBufferPointer { $0 }
        return try start(describe(elements), keeping: buffer, operation: operation, result: buffer)
    }
}
