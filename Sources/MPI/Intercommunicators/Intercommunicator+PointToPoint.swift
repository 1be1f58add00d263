import CMPI

// Point-to-point over an intercommunicator: destinations and sources are
// ranks of the remote group. Each forwards to the Communicator form, whose
// checks use the remote group's size here.

extension Intercommunicator {
    /// Sends the elements of `buffer` to rank `destination` of the remote group.
    ///
    /// The corresponding C function is `MPI_Send`.
    @inlinable
    public func send<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) throws {
        try peers.send(buffer, to: destination, tag: tag)
    }

    /// Sends one value to rank `destination` of the remote group.
    ///
    /// The corresponding C function is `MPI_Send`.
    @inlinable
    public func send<T: MPIElement>(_ value: T, to destination: Int, tag: Int = 0) throws {
        try peers.send(value, to: destination, tag: tag)
    }

    /// Receives a message from rank `source` of the remote group into `buffer`.
    ///
    /// The corresponding C function is `MPI_Recv` (see ``Communicator/receive(into:from:tag:)``).
    @inlinable @discardableResult
    public func receive<Buffer: ReceiveBuffer>(
        into buffer: inout Buffer, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Status {
        try peers.receive(into: &buffer, from: source, tag: tag)
    }

    /// Receives a message from rank `source` of the remote group into a new
    /// array as long as the message.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    @inlinable
    public func receive<T: MPIElement>(_ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag) throws -> [T] {
        try peers.receive(type, from: source, tag: tag)
    }

    /// Receives a message from rank `source` of the remote group into a new
    /// array, with its status.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    @inlinable
    public func receiveWithStatus<T: MPIElement>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) throws -> ([T], Status) {
        try peers.receiveWithStatus(type, from: source, tag: tag)
    }

    /// Starts sending `buffer` to rank `destination` of the remote group.
    ///
    /// The corresponding C function is `MPI_Isend`.
    @inlinable
    public func isend<Buffer: SendBuffer>(_ buffer: Buffer, to destination: Int, tag: Int = 0) throws -> Request<Status> {
        try peers.isend(buffer, to: destination, tag: tag)
    }

    /// Starts receiving up to `count` elements from rank `source` of the
    /// remote group into a new array.
    ///
    /// The corresponding C function is `MPI_Irecv`.
    @inlinable
    public func ireceive<T: MPIElement>(
        _ type: T.Type, count: Int, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<([T], Status)> {
        try peers.ireceive(type, count: count, from: source, tag: tag)
    }

    /// Starts receiving a message from rank `source` of the remote group into `buffer`.
    ///
    /// The corresponding C function is `MPI_Irecv`.
    @inlinable
    public func ireceive<Buffer: ReceiveBuffer>(
        into buffer: consuming Buffer, from source: Int, tag: Int = MPI.anyTag
    ) throws -> Request<(Buffer, Status)> {
        try peers.ireceive(into: buffer, from: source, tag: tag)
    }
}
