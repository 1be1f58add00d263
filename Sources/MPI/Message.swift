import CMPI

/// A message taken off the queue by a matched probe (MPI_Message), waiting to
/// be received exactly once.
///
/// A message dropped without being received is received into scratch memory
/// and discarded, so MPI never keeps it matched forever.
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

    /// Receives the message into a new array exactly as long as it.
    ///
    /// The corresponding C function is `MPI_Mrecv`.
    @inlinable
    public consuming func receive<T: MPIElement>(_ type: T.Type = T.self) throws -> [T] {
        defer { handle = cmpi_message_null() }
        return try communicator.receiveMatchedArray(&handle, probed: &probed, as: T.self, operation: "MPI_Mrecv").0
    }

    /// Receives the message into `buffer`, which must be large enough for it;
    /// a longer message throws a truncation error without writing past `buffer`.
    ///
    /// The corresponding C function is `MPI_Mrecv`.
    @inlinable @discardableResult
    public consuming func receive<Buffer: ReceiveBuffer>(into buffer: inout Buffer) throws -> Status {
        defer { handle = cmpi_message_null() }
        return try buffer.withUnsafeMutableElements { elements in
            try communicator.receiveMatched(&handle, probed: &probed, into: elements)
        }
    }

    deinit {
        guard handle != cmpi_message_null() else { return }
        let bytes = max(status.byteCount, 1)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        defer { scratch.deallocate() }
        var handle = self.handle
        mpiCallInDeinit("MPI_Mrecv") {
            MPI_Mrecv(scratch, CInt(truncatingIfNeeded: status.byteCount), cmpi_byte(), &handle, cmpi_status_ignore())
        }
    }
}
