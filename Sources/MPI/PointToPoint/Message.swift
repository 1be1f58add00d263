import CMPI

/// A message taken off the queue by a matched probe (MPI_Message), waiting to
/// be received exactly once.
///
/// A message dropped without being received is received and discarded
/// (without allocating its size), so MPI never keeps it matched forever.
public struct Message: ~Copyable {
    @usableFromInline internal var handle: MessageHandle
    @usableFromInline internal var probed: MPI_Status
    @usableFromInline internal let communicator: Communicator
    /// Who sent the message, its tag, and its size (`count` is in bytes; use
    /// `status.count(of:)` for elements of a type).
    public let status: Status

    internal init(handle: MessageHandle, status: MPI_Status, communicator: Communicator) throws {
        var status = status
        self.handle = handle
        self.probed = status
        self.communicator = communicator
        self.status = try Status(&status, elementSize: 1)
    }

    /// Receives the message into a new array exactly as long as it. A message
    /// larger than `MPI.receiveSizeLimit` is discarded and throws instead.
    ///
    /// The corresponding C function is `MPI_Mrecv`.
    @inlinable
    public consuming func receive<T: MPIElement>(_ type: T.Type = T.self) throws -> [T] {
        // Before the handle is given up: a message not received is discarded.
        _ = try T.checkedArrayReceiveUnit("MPI_Mrecv")
        defer { handle = cmpi_message_null() }
        return try communicator.receiveMatchedArray(&handle, probed: &probed, as: T.self, operation: "MPI_Mrecv").0
    }

    /// Receives the message into `buffer`, which must be large enough for it;
    /// a longer message throws a truncation error without writing past `buffer`.
    ///
    /// The corresponding C function is `MPI_Mrecv`.
    @inlinable @discardableResult
    public consuming func receive<Buffer: ReceiveBuffer>(into buffer: inout Buffer) throws -> Status {
        _ = try Buffer.Element.checkedReceiveDatatype("MPI_Mrecv")
        defer { handle = cmpi_message_null() }
        return try buffer.withUnsafeMutableElements { elements in
            try communicator.receiveMatched(&handle, probed: &probed, into: elements)
        }
    }

    deinit {
        guard handle != cmpi_message_null() else { return }
        var handle = self.handle
        do {
            try receiveDiscarding(&handle, bytes: status.byteCount, keeping: nil, operation: "MPI_Mrecv")
        } catch {
            printToStandardError("swift-mpi: \(error) (while discarding a message that was never received)")
        }
    }
}
