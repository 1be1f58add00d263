import CMPI

// Collective data movement (MPI 3.1 chapter 5): barrier, broadcast, scatter,
// gather, all-gather and all-to-all, with their vector (v) forms.
//
// Every rank of the communicator must call the same collective, in the same
// order, with the same root and matching counts. Forms that return an array
// allocate it; forms that take `into:` or `inPlace:` buffers allocate nothing.

extension Communicator {
    /// Waits until every process of the communicator has called it.
    ///
    /// The corresponding C function is `MPI_Barrier`.
    public func barrier() throws {
        try mpiCall("MPI_Barrier", MPI_Barrier(handle))
    }

    // MARK: - Broadcast

    /// Copies the root's `buffer` into `buffer` on every other rank. Every rank
    /// passes a buffer of the same count.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    @inlinable
    public func broadcast<Buffer: ReceiveBuffer>(_ buffer: inout Buffer, root: Int) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (root32, _) = try collectiveArguments(Buffer.Element.self, root: root, count: elements.count, largeCount: true,
                                                      operation: "MPI_Bcast")
            try withLargeCount(elements.count, of: Buffer.Element.mpiDatatype.handle, operation: "MPI_Bcast") { count, type in
                try mpiCall("MPI_Bcast", MPI_Bcast(elements.mpiAddress, count, type, root32, handle))
            }
        }
    }

    /// Returns the root's `value` on every rank.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    @inlinable
    public func broadcast<T: MPIElement>(_ value: T, root: Int) throws -> T {
        var buffer = CollectionOfOneBuffer(value)
        try broadcast(&buffer, root: root)
        return buffer.value
    }

    // MARK: - Scatter

    /// Splits the root's `send` into `size` blocks of `count` elements and
    /// returns block `rank` on each rank. `send` is read only at the root and
    /// must hold `count * size` elements there; other ranks may pass `[]`.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    @inlinable
    public func scatter<Send: SendBuffer>(_ send: Send, count: Int, root: Int) throws -> [Send.Element] {
        var result = zeroedArray(Send.Element.self, count: max(count, 0))
        try scatter(send, into: &result, root: root)
        return result
    }

    /// Returns element `rank` of the root's `send`, which must hold one
    /// element per rank there.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    @inlinable
    public func scatter<Send: SendBuffer>(_ send: Send, root: Int) throws -> Send.Element {
        try scatter(send, count: 1, root: root)[0]
    }

    /// Splits the root's `send` into `size` blocks as long as `receive` and
    /// writes block `rank` into `receive` on each rank.
    ///
    /// The corresponding C function is `MPI_Scatter`.
    @inlinable
    public func scatter<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, root: Int
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (root32, count) = try collectiveArguments(Send.Element.self, 
                    root: root, count: target.count,
                    rank == root ? BufferRequirement("send count", source.count, mustBe: target.count * size,
                                                     "count * size", atRootOnly: true) : nil,
                    operation: "MPI_Scatter")
                let type = Send.Element.mpiDatatype.handle
                try mpiCall("MPI_Scatter", MPI_Scatter(source.mpiAddress, count, type, target.mpiAddress, count, type, root32, handle))
            }
        }
    }

    /// Scatters in place: at the root, `buffer` holds all `size` blocks and
    /// keeps its own block where it is; elsewhere `buffer` receives one block.
    ///
    /// The corresponding C function is `MPI_Scatter` with `MPI_IN_PLACE`.
    @inlinable
    public func scatter<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer, root: Int) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (root32, count) = try rootedInPlaceArguments(Buffer.Element.self, root: root, bufferCount: elements.count, operation: "MPI_Scatter")
            let type = Buffer.Element.mpiDatatype.handle
            if rank == root {
                try mpiCall("MPI_Scatter", MPI_Scatter(elements.mpiAddress, count, type, cmpi_in_place(), count, type, root32, handle))
            } else {
                try mpiCall("MPI_Scatter", MPI_Scatter(nil, count, type, elements.mpiAddress, count, type, root32, handle))
            }
        }
    }

    /// Sends `counts[i]` elements of the root's `send`, starting at
    /// `displacements[i]`, to rank `i`, and returns this rank's part.
    ///
    /// Every rank passes the same `counts` (each needs its own count);
    /// `send` and `displacements` are read only at the root, and `nil`
    /// displacements lay the blocks end to end. Blocks must lie inside `send`
    /// and must not overlap.
    ///
    /// The corresponding C function is `MPI_Scatterv`.
    public func scatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> [Send.Element] {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        var result = zeroedArray(Send.Element.self, count: own)
        try send.withUnsafeElements { source in
            let (root32, counts32, displacements32) = try vectorArguments(Send.Element.self, 
                root: root, counts: counts, displacements: displacements, bufferCount: source.count, bufferName: "send",
                ownCount: nil, displacementsHere: rank == root, operation: "MPI_Scatterv")
            let type = Send.Element.mpiDatatype.handle
            try result.withUnsafeMutableBufferPointer { target in
                try mpiCall("MPI_Scatterv", MPI_Scatterv(
                    source.mpiAddress, counts32, displacements32, type,
                    target.mpiAddress, counts32[rank], type, root32, handle))
            }
        }
        return result
    }

    // MARK: - Gather

    /// Collects every rank's `send` (all of the same count) at the root, in
    /// rank order; returns the `count * size` elements at the root and an
    /// empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Gather`.
    @inlinable
    public func gather<Send: SendBuffer>(_ send: Send, root: Int) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: rank == root ? count * size : 0)
        try gather(send, into: &result, root: root)
        return result
    }

    /// Collects one value from every rank at the root, in rank order; an
    /// empty array elsewhere.
    ///
    /// The corresponding C function is `MPI_Gather`.
    @inlinable
    public func gather<T: MPIElement>(_ value: T, root: Int) throws -> [T] {
        try gather(CollectionOfOneBuffer(value), root: root)
    }

    /// Collects every rank's `send` into the root's `receive`, which must hold
    /// `send.count * size` elements there (it is not used elsewhere).
    ///
    /// The corresponding C function is `MPI_Gather`.
    @inlinable
    public func gather<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive, root: Int
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (root32, count) = try collectiveArguments(Send.Element.self, 
                    root: root, count: source.count,
                    rank == root ? BufferRequirement("receive count", target.count, mustBe: source.count * size,
                                                     "count * size", atRootOnly: true) : nil,
                    operation: "MPI_Gather")
                let type = Send.Element.mpiDatatype.handle
                try mpiCall("MPI_Gather", MPI_Gather(source.mpiAddress, count, type, target.mpiAddress, count, type, root32, handle))
            }
        }
    }

    /// Gathers in place: at the root, `buffer` holds `size` blocks and the
    /// root's own block is already in place; elsewhere `buffer` is the block sent.
    ///
    /// The corresponding C function is `MPI_Gather` with `MPI_IN_PLACE`.
    @inlinable
    public func gather<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer, root: Int) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (root32, count) = try rootedInPlaceArguments(Buffer.Element.self, root: root, bufferCount: elements.count, operation: "MPI_Gather")
            let type = Buffer.Element.mpiDatatype.handle
            if rank == root {
                try mpiCall("MPI_Gather", MPI_Gather(cmpi_in_place(), count, type, elements.mpiAddress, count, type, root32, handle))
            } else {
                try mpiCall("MPI_Gather", MPI_Gather(elements.mpiAddress, count, type, nil, count, type, root32, handle))
            }
        }
    }

    /// Collects `counts[i]` elements from rank `i` at the root, placing them at
    /// `displacements[i]` (end to end when `nil`); returns the gathered array
    /// at the root (gaps hold zeros) and an empty array elsewhere.
    ///
    /// Every rank passes the same `counts`, and its `send` must hold
    /// `counts[rank]` elements; `displacements` are read only at the root.
    ///
    /// The corresponding C function is `MPI_Gatherv`.
    public func gather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> [Send.Element] {
        let length = rank == root ? vectorLength(counts: counts, displacements: displacements) : 0
        var result = zeroedArray(Send.Element.self, count: length)
        try send.withUnsafeElements { source in
            let (root32, counts32, displacements32) = try vectorArguments(Send.Element.self, 
                root: root, counts: counts, displacements: displacements, bufferCount: length, bufferName: "the result",
                ownCount: source.count, displacementsHere: rank == root, operation: "MPI_Gatherv")
            let type = Send.Element.mpiDatatype.handle
            try result.withUnsafeMutableBufferPointer { target in
                try mpiCall("MPI_Gatherv", MPI_Gatherv(
                    source.mpiAddress, counts32[rank], type, target.mpiAddress, counts32,
                    displacements32, type, root32, handle))
            }
        }
        return result
    }

    // MARK: - All-gather

    /// Collects one value from every rank, in rank order, on every rank.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    @inlinable
    public func allGather<T: MPIElement>(_ value: T) throws -> [T] {
        try allGather(CollectionOfOneBuffer(value))
    }

    /// Collects every rank's `send` (all of the same count), in rank order,
    /// on every rank.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    @inlinable
    public func allGather<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count * size)
        try allGather(send, into: &result)
        return result
    }

    /// Collects every rank's `send` into `receive`, which must hold
    /// `send.count * size` elements.
    ///
    /// The corresponding C function is `MPI_Allgather`.
    @inlinable
    public func allGather<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (_, count) = try collectiveArguments(Send.Element.self, 
                    root: nil, count: source.count,
                    BufferRequirement("receive count", target.count, mustBe: source.count * size, "count * size"),
                    operation: "MPI_Allgather")
                let type = Send.Element.mpiDatatype.handle
                try mpiCall("MPI_Allgather", MPI_Allgather(source.mpiAddress, count, type, target.mpiAddress, count, type, handle))
            }
        }
    }

    /// All-gathers in place: `buffer` holds `size` blocks, and each rank's own
    /// block is already in place.
    ///
    /// The corresponding C function is `MPI_Allgather` with `MPI_IN_PLACE`.
    @inlinable
    public func allGather<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (_, count) = try collectiveArguments(Buffer.Element.self, 
                root: nil, count: elements.count / size,
                BufferRequirement("buffer count", elements.count, dividingAmong: size),
                operation: "MPI_Allgather")
            let type = Buffer.Element.mpiDatatype.handle
            try mpiCall("MPI_Allgather", MPI_Allgather(cmpi_in_place(), count, type, elements.mpiAddress, count, type, handle))
        }
    }

    /// Collects `counts[i]` elements from rank `i` on every rank, placed at
    /// `displacements[i]` (end to end when `nil`; gaps hold zeros).
    ///
    /// Every rank passes the same `counts` and `displacements`, and its `send`
    /// must hold `counts[rank]` elements.
    ///
    /// The corresponding C function is `MPI_Allgatherv`.
    public func allGather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil
    ) throws -> [Send.Element] {
        let length = vectorLength(counts: counts, displacements: displacements)
        var result = zeroedArray(Send.Element.self, count: length)
        try send.withUnsafeElements { source in
            let (_, counts32, displacements32) = try vectorArguments(Send.Element.self, 
                root: nil, counts: counts, displacements: displacements, bufferCount: length, bufferName: "the result",
                ownCount: source.count, displacementsHere: true, sharedDisplacements: true, operation: "MPI_Allgatherv")
            let type = Send.Element.mpiDatatype.handle
            try result.withUnsafeMutableBufferPointer { target in
                try mpiCall("MPI_Allgatherv", MPI_Allgatherv(
                    source.mpiAddress, counts32[rank], type, target.mpiAddress, counts32, displacements32, type, handle))
            }
        }
        return result
    }

    // MARK: - All-to-all

    /// Sends block `i` of `send` to rank `i` and returns the blocks received,
    /// in rank order. `send` holds `size` blocks of equal count on every rank.
    ///
    /// The corresponding C function is `MPI_Alltoall`.
    @inlinable
    public func allToAll<Send: SendBuffer>(_ send: Send) throws -> [Send.Element] {
        let count = send.withUnsafeElements { $0.count }
        var result = zeroedArray(Send.Element.self, count: count)
        try allToAll(send, into: &result)
        return result
    }

    /// Sends block `i` of `send` to rank `i` and writes the blocks received
    /// into `receive`, as long as `send`.
    ///
    /// The corresponding C function is `MPI_Alltoall`.
    @inlinable
    public func allToAll<Send: SendBuffer, Receive: ReceiveBuffer>(
        _ send: Send, into receive: inout Receive
    ) throws where Send.Element == Receive.Element {
        try send.withUnsafeElements { source in
            try receive.withUnsafeMutableElements { target in
                let (_, count) = try collectiveArguments(Send.Element.self, 
                    root: nil, count: source.count / size,
                    BufferRequirement("send count", source.count, dividingAmong: size),
                    BufferRequirement("receive count", target.count, mustBe: source.count, "the send count"),
                    operation: "MPI_Alltoall")
                let type = Send.Element.mpiDatatype.handle
                try mpiCall("MPI_Alltoall", MPI_Alltoall(source.mpiAddress, count, type, target.mpiAddress, count, type, handle))
            }
        }
    }

    /// All-to-all in place: block `i` of `buffer` goes to rank `i` and is
    /// replaced by the block rank `i` sent.
    ///
    /// The corresponding C function is `MPI_Alltoall` with `MPI_IN_PLACE`.
    @inlinable
    public func allToAll<Buffer: ReceiveBuffer>(inPlace buffer: inout Buffer) throws {
        try buffer.withUnsafeMutableElements { elements in
            let (_, count) = try collectiveArguments(Buffer.Element.self, 
                root: nil, count: elements.count / size,
                BufferRequirement("buffer count", elements.count, dividingAmong: size),
                operation: "MPI_Alltoall")
            let type = Buffer.Element.mpiDatatype.handle
            try mpiCall("MPI_Alltoall", MPI_Alltoall(cmpi_in_place(), count, type, elements.mpiAddress, count, type, handle))
        }
    }

    /// Sends `sendCounts[i]` elements of `send` from `sendDisplacements[i]` to
    /// rank `i`, and returns what each rank `i` sent here: `receiveCounts[i]`
    /// elements placed at `receiveDisplacements[i]` (end to end when `nil`;
    /// gaps hold zeros). `receiveCounts[i]` must equal rank `i`'s `sendCounts[rank]`.
    ///
    /// The corresponding C function is `MPI_Alltoallv`.
    public func allToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> [Send.Element] {
        let length = vectorLength(counts: receiveCounts, displacements: receiveDisplacements)
        var result = zeroedArray(Send.Element.self, count: length)
        try send.withUnsafeElements { source in
            let (sendCounts32, sendDisplacements32, receiveCounts32, receiveDisplacements32) = try allToAllvArguments(Send.Element.self, 
                sendCounts: sendCounts, sendDisplacements: sendDisplacements, sendBufferCount: source.count,
                receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements, receiveBufferCount: length,
                operation: "MPI_Alltoallv")
            let type = Send.Element.mpiDatatype.handle
            try result.withUnsafeMutableBufferPointer { target in
                try mpiCall("MPI_Alltoallv", MPI_Alltoallv(
                    source.mpiAddress, sendCounts32, sendDisplacements32, type,
                    target.mpiAddress, receiveCounts32, receiveDisplacements32, type, handle))
            }
        }
        return result
    }

    // MARK: - Helpers

    /// The arguments of an in-place scatter or gather: at the root, `buffer`
    /// holds `size` blocks; elsewhere it is one block.
    @inlinable
    internal func rootedInPlaceArguments<Element: MPIElement>(
        _ element: Element.Type, root: Int, bufferCount: Int, operation: StaticString
    ) throws -> (root: CInt, count: CInt) {
        let isRoot = rank == root
        let blockCount = isRoot ? bufferCount / size : bufferCount
        return try collectiveArguments(element, 
            root: root, count: blockCount,
            isRoot ? BufferRequirement("buffer count", bufferCount, dividingAmong: size, atRootOnly: true) : nil,
            operation: operation)
    }

    /// Per-rank values every rank must pass alike, as exactly `size` entries
    /// (so that the verifying reduction has the same length on every rank).
    @usableFromInline
    internal func sharedVector(_ values: [Int], _ name: String) -> [(name: String, value: Int)] {
        (0..<size).map { ("\(name)[\($0)]", values.indices.contains($0) ? values[$0] : -1) }
    }

    /// Displacements that lay blocks of `counts` end to end.
    @usableFromInline
    internal func packedDisplacements(_ counts: [Int]) -> [Int] {
        var offset = 0
        return counts.map { count in defer { offset += Swift.max(count, 0) }; return offset }
    }

    /// The length of an array that holds `counts` at `displacements`.
    @usableFromInline
    internal func vectorLength(counts: [Int], displacements: [Int]?) -> Int {
        guard let displacements, displacements.count == counts.count else {
            return counts.reduce(0) { $0 + max($1, 0) }
        }
        return zip(counts, displacements).reduce(0) { Swift.max($0, $1.1 + Swift.max($1.0, 0)) }
    }

    /// This rank's send buffer must hold exactly its own entry of `counts`.
    internal func checkOwnCount(_ count: Int, counts: [Int], name: String, operation: StaticString) throws {
        guard counts.indices.contains(rank), counts[rank] != count else { return }
        throw MPIError.invalidArgument("\(name) count", count,
            "must equal counts[\(rank)] = \(counts[rank]) on rank \(rank)", errorClass: .count, operation: operation)
    }

    /// Checks, with one MPI_Alltoall, that what each rank sends to each other
    /// is what that rank expects to receive; throws on every rank if not.
    internal func verifyPairwiseCounts(_ sendCounts: [CInt], _ receiveCounts: [CInt], operation: StaticString) throws {
        var announced = [CInt](repeating: 0, count: size)
        try mpiCall("MPI_Alltoall", MPI_Alltoall(sendCounts, 1, cmpi_int32(), &announced, 1, cmpi_int32(), handle))
        let mismatch = (0..<size).first { announced[$0] != receiveCounts[$0] }
        var flag: CInt = mismatch == nil ? 0 : 1
        var any: CInt = 0
        try mpiCall("MPI_Allreduce", MPI_Allreduce(&flag, &any, 1, cmpi_int32(), cmpi_max(), handle))
        if let mismatch {
            throw MPIError.invalidArgument("receiveCounts[\(mismatch)]", Int(receiveCounts[mismatch]),
                "rank \(mismatch) sends \(announced[mismatch]) elements here", errorClass: .count, operation: operation)
        }
        if any != 0 {
            throw MPIError(errorClass: .count, message: "send and receive counts disagree between other ranks",
                           operation: "\(operation)")
        }
    }
}

/// One value as a buffer, for the scalar forms of the collectives.
@usableFromInline
internal struct CollectionOfOneBuffer<Element: MPIElement>: ReceiveBuffer {
    @usableFromInline var value: Element
    @inlinable init(_ value: Element) { self.value = value }

    @inlinable
    func withUnsafeElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafePointer(to: value) { try body(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    @inlinable
    mutating func withUnsafeMutableElements<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutablePointer(to: &value) { try body(UnsafeMutableBufferPointer(start: $0, count: 1)) }
    }
}
