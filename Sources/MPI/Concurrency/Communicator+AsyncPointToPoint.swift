// The async forms of the blocking point-to-point operations and probes: each
// starts the nonblocking operation (or polls MPI_Improbe for a message whose
// size it must learn) and suspends the task until it completes, so no thread
// blocks in MPI. They take the arguments of the synchronous forms and check
// them the same way. Cancelling the task cancels a receive or probe that has
// not matched a message (CancellationError); a send is still waited for.

extension Communicator {
    /// Sends the elements of `buffer`, suspending the task until the buffer
    /// may be reused (see the synchronous ``send(_:to:tag:)``).
    ///
    /// The corresponding C functions are `MPI_Isend` and `MPI_Test` (polled).
    @MPIActor
    public func send<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Isend")
        try await startSend(buffer, to: destination, tag: tag).wait()
    }

    /// Sends one value, suspending the task until it is sent.
    ///
    /// The corresponding C functions are `MPI_Isend` and `MPI_Test` (polled).
    @MPIActor
    public func send<T: MPIElement>(_ value: T, to destination: Int, tag: Int = 0) async throws {
        try await send(CollectionOfOne(value).map { $0 }, to: destination, tag: tag)
    }

    /// Sends the elements of `buffer` in synchronous mode: the task resumes
    /// once the matching receive has started.
    ///
    /// The corresponding C functions are `MPI_Issend` and `MPI_Test` (polled).
    @MPIActor
    public func synchronousSend<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Issend")
        try await startSend(buffer, to: destination, tag: tag, synchronously: true).wait()
    }

    /// Receives a message into `buffer`, suspending the task until it has
    /// arrived (see ``receive(into:from:tag:)``); a longer message throws a
    /// truncation error without writing past the buffer.
    ///
    /// The corresponding C functions are `MPI_Irecv`, `MPI_Test` (polled) and `MPI_Cancel`.
    @MPIActor @discardableResult
    public func receive<Buffer: ReceiveBuffer>(
        into buffer: inout Buffer, from source: Int, tag: Int = MPI.anyTag
    ) async throws -> Status {
        try ProgressEngine.checkAsyncUse("MPI_Irecv")
        // The request owns the buffer while MPI writes it, and gives it back.
        let request = try startReceive(into: buffer, from: source, tag: tag, trimsToMessage: false)
        let (received, status) = try await request.wait()
        buffer = received
        return status
    }

    /// Receives a message into a new array exactly as long as it, suspending
    /// the task until it arrives (see ``receive(_:from:tag:)``).
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public func receive<T: MPIElement>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) async throws -> sending [T] {
        try await receiveWithStatus(type, from: source, tag: tag).0
    }

    /// Receives a message into a new array exactly as long as it, with its
    /// status, suspending the task until it arrives.
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public func receiveWithStatus<T: MPIElement>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) async throws -> sending ([T], Status) {
        if source == MPI.processNull {
            return UncheckedSendable(try receiveWithStatusNow(type, from: source, tag: tag)).value
        }
        let message = try await matchedProbe(from: source, tag: tag)
        let status = message.status
        return UncheckedSendable((try message.receive(type), status)).value
    }

    /// Sends `buffer` and receives a message into a new array, suspending the
    /// task until both complete (see ``sendReceive(_:to:sendTag:from:receiveTag:as:)``).
    ///
    /// The corresponding C functions are `MPI_Isend`, `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public func sendReceive<Buffer: SendBuffer, T: MPIElement>(
        _ buffer: Buffer, to destination: Int, sendTag: Int = 0,
        from source: Int, receiveTag: Int = MPI.anyTag, as type: T.Type = T.self
    ) async throws -> sending [T] {
        try ProgressEngine.checkAsyncUse("MPI_Isend")
        let sent = try startSend(buffer, to: destination, tag: sendTag)
        let received = UncheckedSendable(try await receive(type, from: source, tag: receiveTag))
        try await sent.wait()
        return received.value
    }

    /// Sends `buffer` and receives a message into `receiveBuffer`, suspending
    /// the task until both complete.
    ///
    /// The corresponding C functions are `MPI_Isend`, `MPI_Irecv` and `MPI_Test` (polled).
    @MPIActor @discardableResult
    public func sendReceive<Buffer: SendBuffer, Received: ReceiveBuffer>(
        _ buffer: Buffer, to destination: Int, sendTag: Int = 0,
        into receiveBuffer: inout Received, from source: Int, receiveTag: Int = MPI.anyTag
    ) async throws -> Status {
        try ProgressEngine.checkAsyncUse("MPI_Isend")
        let sent = try startSend(buffer, to: destination, tag: sendTag)
        let status = try await receive(into: &receiveBuffer, from: source, tag: receiveTag)
        try await sent.wait()
        return status
    }

    /// Waits, suspending the task, for a message from `source` with `tag` and
    /// returns its status without receiving it (see ``probe(from:tag:)``).
    ///
    /// The corresponding C function is `MPI_Iprobe` (polled).
    @MPIActor
    public func probe(from source: Int, tag: Int = MPI.anyTag) async throws -> Status {
        try ProgressEngine.checkAsyncUse("MPI_Iprobe")
        if let status = try probeIfAvailable(from: source, tag: tag) { return status }
        var found: Status?
        try await ProgressEngine.poll(until: {
            found = try probeIfAvailable(from: source, tag: tag)
            return found != nil || Task.isCancelled
        })
        guard let found else { throw CancellationError() }
        return found
    }

    /// Waits, suspending the task, for a message from `source` with `tag` and
    /// takes it off the queue for this caller alone (see ``matchedProbe(from:tag:)``).
    ///
    /// The corresponding C function is `MPI_Improbe` (polled).
    @MPIActor
    public func matchedProbe(from source: Int, tag: Int = MPI.anyTag) async throws -> sending Message {
        try ProgressEngine.checkAsyncUse("MPI_Improbe")
        var found = try matchedProbeIfAvailable(from: source, tag: tag)
        if found == nil {
            try await ProgressEngine.poll(until: {
                found = try matchedProbeIfAvailable(from: source, tag: tag)
                return found != nil || Task.isCancelled
            })
        }
        guard let message = found.take() else { throw CancellationError() }
        return UncheckedSendable(message).value
    }
}

// The synchronous receive, for the null process (which matches at once).
extension Communicator {
    fileprivate func receiveWithStatusNow<T: MPIElement>(
        _ type: T.Type, from source: Int, tag: Int
    ) throws -> ([T], Status) {
        try receiveWithStatus(type, from: source, tag: tag)
    }
}

extension Communicator {
    /// Sends `buffer` and receives a message into it, suspending the task
    /// until both complete (see ``sendReceive(replacing:to:sendTag:from:receiveTag:)``).
    /// MPI 3.1 has no nonblocking MPI_Sendrecv_replace: the outgoing elements
    /// are copied once, as MPI's own implementation copies them, and sent from
    /// the copy while the message is received into the array.
    ///
    /// The corresponding C functions are `MPI_Isend`, `MPI_Irecv` and `MPI_Test` (polled).
    @MPIActor @discardableResult
    public func sendReceive<T: MPIElement>(
        replacing buffer: inout [T], to destination: Int, sendTag: Int = 0,
        from source: Int, receiveTag: Int = MPI.anyTag
    ) async throws -> Status {
        try ProgressEngine.checkAsyncUse("MPI_Isend")
        let outgoing = Array(buffer)
        let sent = try startSend(outgoing, to: destination, tag: sendTag)
        let status = try await receive(into: &buffer, from: source, tag: receiveTag)
        try await sent.wait()
        return status
    }
}
