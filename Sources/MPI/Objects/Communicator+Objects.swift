import CMPI

// Object messages: any Codable value as one MPI message of bytes in the
// object format (ObjectFormat.swift). A receive learns the size from a matched
// probe (MPI_Mprobe), so no buffer is guessed and no message is split.
//
// Object and typed messages share one communicator and its tags: an object
// message is a message of MPI_BYTE, and the receive that matches it decides
// how it is read. An object receive of a typed message throws (the first byte
// is not the format's header, or the bytes do not decode), and the message is
// consumed; keep them apart by tag where both are in flight.

/// A value encoded once, to send to any number of destinations without
/// encoding it again.
///
/// No MPI call: `ObjectEncoder().encode(value)`.
public struct EncodedObject: Sendable {
    /// The encoded bytes (the object format of ``ObjectEncoder``).
    public let bytes: [UInt8]

    /// Encodes `value`.
    public init<T: Encodable>(_ value: T) throws {
        bytes = try ObjectEncoder().encode(value)
    }
}

extension Communicator {
    /// Sends `object` to `destination` as one message (standard mode).
    ///
    /// The corresponding C function is `MPI_Send` (of the encoded bytes, as `MPI_BYTE`).
    /// - Parameters:
    ///   - object: any `Encodable` value, encoded by ``ObjectEncoder``.
    ///   - destination: a rank of this communicator, or `MPI.processNull`.
    ///   - tag: 0 through the job's MPI_TAG_UB.
    public func send<T: Encodable>(object: T, to destination: Int, tag: Int = 0) throws {
        try sendSegmented(ObjectEncoder().encodeSegmented(object, threshold: objectSegmentThreshold),
                          to: destination, tag: tag, synchronously: false)
    }

    /// Sends an object encoded once before (standard mode).
    ///
    /// The corresponding C function is `MPI_Send`.
    public func send(_ object: EncodedObject, to destination: Int, tag: Int = 0) throws {
        try send(object.bytes, to: destination, tag: tag)
    }

    /// Sends `object` to `destination` and returns once the matching receive
    /// has started (synchronous mode).
    ///
    /// The corresponding C function is `MPI_Ssend`. It pairs with the matched
    /// probe of ``receiveObject(_:from:tag:)`` without deadlock: the probe
    /// matches the message, then receives it at once.
    public func synchronousSend<T: Encodable>(object: T, to destination: Int, tag: Int = 0) throws {
        try sendSegmented(ObjectEncoder().encodeSegmented(object, threshold: objectSegmentThreshold),
                          to: destination, tag: tag, synchronously: true)
    }

    /// Starts sending `object` and returns at once; the request owns the
    /// encoded bytes until it completes.
    ///
    /// The corresponding C function is `MPI_Isend`.
    public func isend<T: Encodable>(object: T, to destination: Int, tag: Int = 0) throws -> Request<Status> {
        try startObjectSend(object, to: destination, tag: tag, synchronously: false)
    }

    /// Starts sending an object encoded once before; the request shares its bytes.
    ///
    /// The corresponding C function is `MPI_Isend`.
    public func isend(_ object: EncodedObject, to destination: Int, tag: Int = 0) throws -> Request<Status> {
        try isend(object.bytes, to: destination, tag: tag)
    }

    /// Starts sending `object` to each of `destinations`, encoded once.
    ///
    /// The corresponding C function is `MPI_Isend`, once per destination.
    public func isend<T: Encodable>(object: T, to destinations: [Int], tag: Int = 0) throws -> RequestSet<Status> {
        let encoded = try EncodedObject(object)
        var requests = RequestSet<Status>()
        requests.reserveCapacity(destinations.count)
        for destination in destinations {
            requests.append(try isend(encoded, to: destination, tag: tag))
        }
        return requests
    }

    /// Receives one object message from `source` and decodes it as `T`.
    ///
    /// The message's size comes from a matched probe, so an object of any size
    /// arrives whole; one larger than `MPI.receiveSizeLimit` is discarded and
    /// throws ``MPIError`` of class `.noMemory`. A message that does not decode
    /// as `T` (another type, a typed message, garbage) throws `DecodingError`
    /// naming the sender and tag; it has been consumed either way, and the
    /// channel goes on working.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    /// - Parameters:
    ///   - type: the type to decode; usually inferred from the result.
    ///   - source: a rank or `MPI.anySource`.
    ///   - tag: a tag or `MPI.anyTag` (the default).
    public func receiveObject<T: Decodable>(_ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag) throws -> T {
        try receiveObjectWithStatus(type, from: source, tag: tag).0
    }

    /// Receives one object message and returns it with the status (the count
    /// is in bytes of the encoding).
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    public func receiveObjectWithStatus<T: Decodable>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) throws -> (T, Status) {
        try refuseProcessNull(source, operation: "MPI_Mprobe")
        return try receiveObject(type, matchedProbe(from: source, tag: tag))
    }

    /// Starts receiving one object message from `source`; `wait()` returns it
    /// decoded, whatever its size.
    ///
    /// An object receive is matched by `MPI_Improbe` when it starts and each
    /// time it is tested, and by `MPI_Mprobe` when it is waited for, not by a
    /// receive posted in advance (a posted receive would need the size first).
    /// So among receives for the same source and tag, messages go to object
    /// receives in the order those match, and a blocking receive called while
    /// an object receive is still unmatched may take the message first.
    ///
    /// The corresponding C functions are `MPI_Improbe`, `MPI_Mprobe` and `MPI_Mrecv`.
    public func ireceiveObject<T: Decodable>(
        _ type: T.Type = T.self, from source: Int, tag: Int = MPI.anyTag
    ) throws -> PendingObject<T> {
        try refuseProcessNull(source, operation: "MPI_Improbe")
        var pending = PendingObject<T>(communicator: self, source: source, tag: tag)
        _ = try pending.test()
        return pending
    }

    /// Encodes `object` and starts sending it (MPI_Isend, or MPI_Issend when
    /// `synchronously`); the request keeps the encoding.
    internal func startObjectSend<T: Encodable>(
        _ object: T, to destination: Int, tag: Int, synchronously: Bool
    ) throws -> Request<Status> {
        let encoding = try ObjectEncoder().encodeSegmented(object, threshold: objectSegmentThreshold)
        guard !encoding.segments.isEmpty else {
            return try startSend(encoding.bytes, to: destination, tag: tag, synchronously: synchronously)
        }
        let operation: StaticString = synchronously ? "MPI_Issend" : "MPI_Isend"
        let origin = RequestOrigin(operation, peer: destination, tag: tag)
        let destination32 = try checkedDestination(destination, operation: operation)
        let tag32 = try checkedSendTag(tag, operation: operation)
        var request = cmpi_request_null()
        try encoding.withDatatype(covering: 0..<encoding.totalBytes, operation: operation) { type in
            if synchronously {
                try MPIC.issend(cmpi_bottom(), 1, type, destination32, tag32, handle, &request)
            } else {
                try MPIC.isend(cmpi_bottom(), 1, type, destination32, tag32, handle, &request)
            }
        }
        return Request(handle: request, PendingOperation(.send, elementSize: 1, origin: origin, owner: KeptEncoding(encoding)))
    }

    /// Sends an encoding: its bytes alone, or with its arrays in place through one datatype.
    internal func sendSegmented(_ encoding: SegmentedEncoding, to destination: Int, tag: Int, synchronously: Bool) throws {
        guard !encoding.segments.isEmpty else {
            return synchronously ? try synchronousSend(encoding.bytes, to: destination, tag: tag)
                : try send(encoding.bytes, to: destination, tag: tag)
        }
        let operation: StaticString = synchronously ? "MPI_Ssend" : "MPI_Send"
        let destination32 = try checkedDestination(destination, operation: operation)
        let tag32 = try checkedSendTag(tag, operation: operation)
        try encoding.withDatatype(covering: 0..<encoding.totalBytes, operation: operation) { type in
            if synchronously {
                try MPIC.ssend(cmpi_bottom(), 1, type, destination32, tag32, handle)
            } else {
                try MPIC.send(cmpi_bottom(), 1, type, destination32, tag32, handle)
            }
        }
    }

    /// Receives a matched object message and decodes it: a large one through
    /// the kept receive buffer, others (and refused ones) as `Message.receive()` does.
    internal func receiveObject<T: Decodable>(_ type: T.Type, _ message: consuming Message) throws -> (T, Status) {
        let status = message.status
        let bytes = status.byteCount
        guard bytes >= ObjectReceiveBuffer.smallest, bytes <= MPI.receiveSizeLimit else {
            return (try decodeObject(type, from: message.receive(UInt8.self), status: status), status)
        }
        var buffer = ObjectReceiveBuffer.take(bytes)
        try message.receive(into: &buffer)
        defer { ObjectReceiveBuffer.give(buffer) }
        return (try buffer.withUnsafeBytes { all in
            try decodeObject(type, from: UnsafeRawBufferPointer(rebasing: all[0..<bytes]),
                             describing: "the message of \(bytes) bytes from rank \(status.source) with tag \(status.tag)")
        }, status)
    }

    internal func refuseProcessNull(_ source: Int, operation: StaticString) throws {
        if source == MPI.processNull {
            throw MPIError.invalidArgument("source", "MPI.processNull", "sends no message, so there is no object to receive",
                                           errorClass: .rank, operation: operation)
        }
    }

    /// Decodes a received message, naming its sender and tag in the error.
    internal func decodeObject<T: Decodable>(_ type: T.Type, from bytes: [UInt8], status: Status) throws -> T {
        try bytes.withUnsafeBytes { bytes in
            try decodeObject(type, from: bytes, describing: "the message of \(bytes.count) bytes from rank \(status.source) "
                             + "with tag \(status.tag)")
        }
    }

    /// Decodes received bytes; `what` names them in the error ("the message ... from rank 2 with tag 5").
    internal func decodeObject<T: Decodable>(
        _ type: T.Type, from bytes: UnsafeRawBufferPointer, adopting adopted: AdoptedArray? = nil,
        describing what: @autoclosure () -> String
    ) throws -> T {
        do {
            return try ObjectDecoder().decode(type, from: bytes, adopting: adopted)
        } catch let error as DecodingError {
            throw error.prefixingDescription("\(what()) is not an encoded \(T.self): ")
        }
    }
}

/// An object receive in progress, from ``Communicator/ireceiveObject(_:from:tag:)``.
///
/// Nothing is posted to MPI until a message is matched, so dropping one that
/// has not matched leaves nothing behind; one that has matched has received
/// its message already.
public struct PendingObject<Value: Decodable>: ~Copyable {
    private let communicator: Communicator
    private let source: Int
    private let tag: Int
    /// The message, once matched and received (decoded at `wait`, which throws a decoding error).
    private var received: ([UInt8], Status)?
    private var matched: Message?

    internal init(communicator: Communicator, source: Int, tag: Int) {
        self.communicator = communicator
        self.source = source
        self.tag = tag
    }

    /// Whether the message has arrived (it is then received, and ``wait()``
    /// only decodes it).
    ///
    /// The corresponding C functions are `MPI_Improbe` and `MPI_Mrecv`.
    public mutating func test() throws -> Bool {
        if received != nil || matched != nil { return true }
        guard let message = try communicator.matchedProbeIfAvailable(from: source, tag: tag) else { return false }
        if message.status.byteCount >= ObjectReceiveBuffer.smallest {
            matched = consume message   // received at `wait`, through the kept receive buffer
        } else {
            let status = message.status
            received = (try message.receive(UInt8.self), status)
        }
        return true
    }

    /// Waits for the message and returns it decoded.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    public consuming func wait() throws -> Value {
        try waitWithStatus().0
    }

    /// Waits for the message and returns it decoded, with its status.
    ///
    /// The corresponding C functions are `MPI_Mprobe` and `MPI_Mrecv`.
    public consuming func waitWithStatus() throws -> (Value, Status) {
        if let (bytes, status) = received {
            return (try communicator.decodeObject(Value.self, from: bytes, status: status), status)
        }
        if let message = matched.take() {
            return try communicator.receiveObject(Value.self, message)
        }
        return try communicator.receiveObject(Value.self, communicator.matchedProbe(from: source, tag: tag))
    }
}
