import CMPI

/// What a completed receive or probe found (MPI_Status).
public struct Status: Sendable, Equatable, CustomStringConvertible {
    // MPI's own values, translated when read: making a status costs two loads.
    @usableFromInline internal let mpiSource: CInt
    @usableFromInline internal let mpiTag: CInt
    /// The size of the message in bytes (MPI_Get_count with MPI_BYTE, or
    /// MPI_Get_elements_x beyond Int32.max bytes); 0 for a send, whose status
    /// MPI fills only for cancellation.
    public let byteCount: Int
    /// The size of one element of the receive's type; 1 for a probe.
    @usableFromInline internal let elementStride: Int32
    /// Whether the operation was cancelled (MPI_Test_cancelled).
    public let isCancelled: Bool

    /// The rank that sent the message (MPI_SOURCE); `MPI.processNull` for a
    /// receive from the null process (and `MPI.anySource` where MPI reports
    /// MPI_ANY_SOURCE, as in the empty status of a cancelled receive).
    @inlinable
    public var source: Int { Wildcards.swiftRank(mpiSource) }

    /// The message's tag (MPI_TAG); `MPI.anyTag` where MPI reports MPI_ANY_TAG.
    @inlinable
    public var tag: Int { Wildcards.swiftTag(mpiTag) }

    @inlinable
    internal var elementSize: Int { Int(elementStride) }

    /// A status of MPI's source and tag values.
    @inlinable @inline(__always)
    internal init(mpiSource: CInt, mpiTag: CInt, byteCount: Int, elementSize: Int, isCancelled: Bool = false) {
        self.mpiSource = mpiSource
        self.mpiTag = mpiTag
        self.byteCount = byteCount
        self.elementStride = Int32(truncatingIfNeeded: elementSize)
        self.isCancelled = isCancelled
    }

    /// A status of Swift's source and tag values (MPI.processNull, MPI.anyTag, ...).
    @inlinable
    internal init(source: Int, tag: Int, byteCount: Int, elementSize: Int, isCancelled: Bool = false) {
        self.init(mpiSource: Wildcards.mpiRank(source, allowsAnySource: true) ?? CInt(truncatingIfNeeded: source),
                  mpiTag: Wildcards.mpiTag(tag) ?? CInt(truncatingIfNeeded: tag),
                  byteCount: byteCount, elementSize: elementSize, isCancelled: isCancelled)
    }

    /// The number of elements of the receive's type in the message (bytes for a
    /// probe), or `nil` when the message is not a whole number of them: MPI
    /// calls that count MPI_UNDEFINED (MPI_Get_count).
    @inlinable
    public var count: Int? {
        byteCount % elementSize == 0 ? byteCount / elementSize : nil
    }

    /// The number of elements of type `type` in the message, or `nil` when the
    /// message is not a whole number of them (MPI_Get_count). An element is
    /// its datatype's bytes of data (MPI_Type_size): its stride, unless it is
    /// a struct with padding.
    @inlinable
    public func count<T: MPIElement>(of type: T.Type) -> Int? {
        let unit = (try? T.checkedArrayReceiveUnit("MPI_Get_count")) ?? MemoryLayout<T>.stride
        return byteCount % unit == 0 ? byteCount / unit : nil
    }

    /// Source, tag and size, for printing (no MPI call).
    public var description: String {
        let source = self.source == MPI.processNull ? "MPI.processNull"
            : self.source == MPI.anySource ? "MPI.anySource" : "\(self.source)"
        let tag = self.tag == MPI.anyTag ? "MPI.anyTag" : "\(self.tag)"
        return "Status(source: \(source), tag: \(tag), bytes: \(byteCount)\(isCancelled ? ", cancelled" : ""))"
    }
}

extension Status {
    /// Reads the status a probe filled in, counting its message's bytes
    /// (MPI_Get_count); `elementSize` is the size `count` divides by.
    @inlinable
    internal init(_ status: inout MPI_Status, elementSize: Int) throws {
        self.init(&status, byteCount: try messageBytes(&status), elementSize: elementSize)
    }

    /// A status for a matched message whose size the probe already told.
    @inlinable @inline(__always)
    internal init(_ status: inout MPI_Status, byteCount: Int, elementSize: Int) {
        self.init(mpiSource: cmpi_status_source(&status), mpiTag: cmpi_status_tag(&status),
                  byteCount: byteCount, elementSize: elementSize)
    }
}
