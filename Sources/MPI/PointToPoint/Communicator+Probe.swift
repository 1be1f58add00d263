import CMPI

// Probing for messages without receiving them (MPI 3.1 sections 3.8.1-3.8.3).

extension Communicator {
    /// Waits for a message from `source` with `tag` and describes it without
    /// receiving it. The status's `count` is in bytes; use `count(of:)` for
    /// elements of a type.
    ///
    /// With several threads receiving, another thread may take the probed
    /// message first: use ``matchedProbe(from:tag:)`` there.
    ///
    /// The corresponding C function is `MPI_Probe`.
    public func probe(from source: Int, tag: Int = MPI.anyTag) throws -> Status {
        let source = try checkedSource(source, operation: "MPI_Probe")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Probe")
        var status = MPI_Status()
        try MPIC.probe(source, tag, handle, &status)
        return try Status(&status, elementSize: 1)
    }

    /// Describes a message from `source` with `tag` if one has arrived, without
    /// receiving it; `nil` if none has.
    ///
    /// The corresponding C function is `MPI_Iprobe`.
    public func probeIfAvailable(from source: Int, tag: Int = MPI.anyTag) throws -> Status? {
        let source = try checkedSource(source, operation: "MPI_Iprobe")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Iprobe")
        var status = MPI_Status()
        var found: CInt = 0
        try MPIC.iprobe(source, tag, handle, &found, &status)
        return found != 0 ? try Status(&status, elementSize: 1) : nil
    }

    /// Waits for a message from `source` with `tag` and takes it off the queue,
    /// so that only the returned ``Message`` can receive it.
    ///
    /// The corresponding C function is `MPI_Mprobe`.
    public func matchedProbe(from source: Int, tag: Int = MPI.anyTag) throws -> Message {
        let source = try checkedSource(source, operation: "MPI_Mprobe")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Mprobe")
        var status = MPI_Status()
        let message = try matchMessage(source: source, tag: tag, status: &status)
        return try Message(handle: message, status: status, communicator: self)
    }

    /// Takes a message from `source` with `tag` off the queue if one has
    /// arrived; `nil` if none has.
    ///
    /// The corresponding C function is `MPI_Improbe`.
    public func matchedProbeIfAvailable(from source: Int, tag: Int = MPI.anyTag) throws -> Message? {
        let source = try checkedSource(source, operation: "MPI_Improbe")
        let tag = try checkedReceiveTag(tag, operation: "MPI_Improbe")
        var status = MPI_Status()
        var message = cmpi_message_null()
        var found: CInt = 0
        try MPIC.improbe(source, tag, handle, &found, &message, &status)
        return found != 0 ? try Message(handle: message, status: status, communicator: self) : nil
    }
}
