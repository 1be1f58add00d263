import CMPI

// The shared bodies of the blocking sends and of the send-receives: checks,
// then MPI; the public forms in PointToPoint/ are adapters over these.

extension Communicator {
    /// A blocking send in standard mode (MPI_Send) or synchronous mode (MPI_Ssend).
    @inlinable @inline(__always)
    internal func send<Buffer: SendBuffer>(
        _ buffer: Buffer, to destination: Int, tag: Int, synchronously: Bool
    ) throws {
        let operation: StaticString = synchronously ? "MPI_Ssend" : "MPI_Send"
        let destination = try checkedDestination(destination, operation: operation)
        let tag = try checkedSendTag(tag, operation: operation)
        let datatype = try Buffer.Element.checkedDatatype(operation)
        try buffer.withUnsafeElements { elements in
            try withLargeCount(elements.count, of: datatype, operation: operation) { count, type in
                if synchronously {
                    try MPIC.ssend(elements.baseAddress, count, type, destination, tag, handle)
                } else {
                    try MPIC.send(elements.baseAddress, count, type, destination, tag, handle)
                }
            }
        }
    }

    /// Checks a send-receive's arguments, starts the send, runs `receive` with
    /// the checked source and tag, and completes the send.
    @inlinable
    internal func sendReceiving<Buffer: SendBuffer, R>(
        _ buffer: Buffer, to destination: Int, sendTag: Int, from source: Int, receiveTag: Int,
        _ receive: (_ source: CInt, _ tag: CInt) throws -> R
    ) throws -> R {
        let destination = try checkedDestination(destination, operation: "MPI_Sendrecv")
        let sendTag = try checkedSendTag(sendTag, "sendTag", operation: "MPI_Sendrecv")
        let source = try checkedSource(source, operation: "MPI_Sendrecv")
        let receiveTag = try checkedReceiveTag(receiveTag, "receiveTag", operation: "MPI_Sendrecv")
        let datatype = try Buffer.Element.checkedDatatype("MPI_Sendrecv")
        return try buffer.withUnsafeElements { elements in
            try withLargeCount(elements.count, of: datatype, operation: "MPI_Sendrecv") { count, type in
                try withPendingSend(elements.baseAddress, count, type, destination, sendTag) {
                    try receive(source, receiveTag)
                }
            }
        }
    }

    /// Runs `body` while a nonblocking send of `count` elements at `base` is in
    /// flight, then completes the send (also when `body` throws).
    @inlinable
    internal func withPendingSend<R>(
        _ base: UnsafeRawPointer?, _ count: CInt, _ datatype: DatatypeHandle, _ destination: CInt, _ tag: CInt,
        _ body: () throws -> R
    ) throws -> R {
        var request = cmpi_request_null()
        try MPIC.isend(base, count, datatype, destination, tag, handle, &request)
        let result: R
        do {
            result = try body()
        } catch {
            // The send buffer must stay valid until MPI is done with it.
            if request != cmpi_request_null() {
                try? MPIC.cancel(&request)
                try? MPIC.wait(&request, cmpi_status_ignore())
            }
            throw error
        }
        try MPIC.wait(&request, cmpi_status_ignore())
        return result
    }
}
