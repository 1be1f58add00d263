// The async forms of object messages (Communicator+Objects.swift): a send
// encodes and starts the send, then suspends until it completes; a receive
// polls for the message (MPI_Improbe) and suspends meanwhile. Cancelling the
// task ends a receive that has not matched a message with CancellationError.

extension Communicator {
    /// Sends `object` encoded, suspending the task until the encoding may be
    /// freed (see ``send(object:to:tag:)``).
    ///
    /// The corresponding C functions are `MPI_Isend` and `MPI_Test` (polled).
    @MPIActor
    public func send<T: Encodable>(object: T, to destination: Int, tag: Int = 0) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Isend")
        try await startObjectSend(object, to: destination, tag: tag, synchronously: false).wait()
    }

    /// Sends an object encoded once, suspending the task until it is sent.
    ///
    /// The corresponding C functions are `MPI_Isend` and `MPI_Test` (polled).
    @MPIActor
    public func send(_ object: EncodedObject, to destination: Int, tag: Int = 0) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Isend")
        try await startSend(object.bytes, to: destination, tag: tag).wait()
    }

    /// Sends `object` encoded in synchronous mode: the task resumes once the
    /// matching receive has started.
    ///
    /// The corresponding C functions are `MPI_Issend` and `MPI_Test` (polled).
    @MPIActor
    public func synchronousSend<T: Encodable>(object: T, to destination: Int, tag: Int = 0) async throws {
        try ProgressEngine.checkAsyncUse("MPI_Issend")
        try await startObjectSend(object, to: destination, tag: tag, synchronously: true).wait()
    }

    /// Receives an object message and decodes it, suspending the task until
    /// it arrives (see ``receiveObject(_:from:tag:)``).
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public func receiveObject<T: Decodable>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) async throws -> sending T {
        UncheckedSendable(try await receiveObjectWithStatus(type, from: source, tag: tag).0).value
    }

    /// Receives an object message and decodes it, with its status.
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public func receiveObjectWithStatus<T: Decodable>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) async throws -> sending (T, Status) {
        try refuseProcessNull(source, operation: "MPI_Improbe")
        let message = try await matchedProbe(from: source, tag: tag)
        return UncheckedSendable(try receiveObject(type, message)).value
    }
}

extension PendingObject {
    /// Suspends the task until the message arrives and returns it decoded.
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public consuming func wait() async throws -> sending Value {
        UncheckedSendable(try await waitWithStatus().0).value
    }

    /// Suspends the task until the message arrives and returns it decoded,
    /// with its status. Cancelling the task before a message matched throws
    /// CancellationError.
    ///
    /// The corresponding C functions are `MPI_Improbe` (polled) and `MPI_Mrecv`.
    @MPIActor
    public consuming func waitWithStatus() async throws -> sending (Value, Status) {
        try ProgressEngine.checkAsyncUse("MPI_Improbe")
        if try !test() {
            try await ProgressEngine.poll(until: { try test() || Task.isCancelled })
            if try !test() { throw CancellationError() }
        }
        return UncheckedSendable(try finishObject(self)).value
    }
}

private func finishObject<T: Decodable>(_ pending: consuming PendingObject<T>) throws -> (T, Status) {
    try pending.waitWithStatus()
}
