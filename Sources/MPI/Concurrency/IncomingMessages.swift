/// The messages arriving from a source with a tag, as an `AsyncSequence`:
/// each iteration awaits the next one (``Communicator/messages(_:from:tag:)``
/// for typed messages, ``Communicator/objects(_:from:tag:)`` for objects).
///
/// The sequence has no end of its own: it ends (returns nil) when the
/// iterating task is cancelled, or after a message with `endTag` (which is
/// received, and not returned). Break out of the loop to stop early; a message
/// not yet matched stays queued for other receives.
public struct IncomingMessages<Element>: AsyncSequence, Sendable {
    public typealias Failure = any Error
    let receive: @MPIActor @Sendable () async throws -> UncheckedSendable<(Element, Status)?>

    internal init(receive: @escaping @MPIActor @Sendable () async throws -> UncheckedSendable<(Element, Status)?>) {
        self.receive = receive
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let receive: @MPIActor @Sendable () async throws -> UncheckedSendable<(Element, Status)?>
        var ended = false

        /// The next message with its status, or nil at the end.
        public mutating func next() async throws -> (Element, Status)? {
            guard !ended else { return nil }
            do {
                if let message = try await receive().value { return message }
            } catch is CancellationError {}
            ended = true
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(receive: receive) }
}

extension Communicator {
    /// The typed messages from `source` with `tag`, each received into a new
    /// array exactly as long as it, as they arrive.
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    /// - Parameters:
    ///   - endTag: a tag whose message ends the sequence (received from the
    ///     same source, whatever its contents), or nil for none. With a
    ///     specific `tag`, the end message must have that tag too unless `tag`
    ///     is `MPI.anyTag`.
    public func messages<T: MPIElement>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag, endTag: Int? = nil
    ) -> IncomingMessages<[T]> {
        IncomingMessages { @MPIActor [self] in
            let message = try await matchedProbe(from: source, tag: tag)
            if let endTag, message.status.tag == endTag {
                _ = try message.receive(UInt8.self)
                return UncheckedSendable(nil)
            }
            let status = message.status
            return UncheckedSendable((try message.receive(T.self), status))
        }
    }

    /// The object messages from `source` with `tag`, decoded, as they arrive.
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    /// - Parameter endTag: a tag whose message ends the sequence, or nil for none.
    public func objects<T: Decodable>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag, endTag: Int? = nil
    ) -> IncomingMessages<T> {
        IncomingMessages { @MPIActor [self] in
            let message = try await matchedProbe(from: source, tag: tag)
            if let endTag, message.status.tag == endTag {
                _ = try message.receive(UInt8.self)
                return UncheckedSendable(nil)
            }
            return UncheckedSendable(try receiveObject(T.self, message))
        }
    }
}
