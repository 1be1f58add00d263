import CMPI

// The neighbourhood all-to-all-w: per neighbour a count, a byte displacement
// and a datatype, over raw memory. On repeated neighbours it is calibrated
// like the v form (MPIs misplace its blocks too), separately, since the w
// form runs its own code in Open MPI and MPICH.

extension Communicator {
    /// Sends `sendCounts[j]` elements of `sendTypes[j]` from byte
    /// `sendDisplacements[j]` of `send` to outgoing neighbour `j`, and
    /// receives `receiveCounts[i]` elements of `receiveTypes[i]` from incoming
    /// neighbour `i` at byte `receiveDisplacements[i]` of `receive`.
    ///
    /// The corresponding C function is `MPI_Neighbor_alltoallw`.
    public func neighborAllToAll(
        bytes send: UnsafeRawBufferPointer, sendCounts: [Int], sendDisplacements: [Int], sendTypes: [Datatype],
        into receive: UnsafeMutableRawBufferPointer, receiveCounts: [Int], receiveDisplacements: [Int],
        receiveTypes: [Datatype]
    ) throws {
        let operation: StaticString = "MPI_Neighbor_alltoallw"
        let neighborhood = try checkedNeighborhood(operation)
        let w = try allToAllwArguments(send.count, sendCounts, sendDisplacements, sendTypes, receive.count,
                                       receiveCounts, receiveDisplacements, receiveTypes, neighborhood,
                                       slots: neighborhood.hasRepeatedNeighbors ? neighborSlotsW(neighborhood, .blocking) : nil,
                                       operation: operation)
        try MPIC.neighborAlltoallw(send.baseAddress ?? UnsafeRawPointer(emptyBufferAddress), w.sendCounts,
                                   w.sendDisplacements, w.sendTypes, receive.baseAddress ?? emptyBufferAddress,
                                   w.receiveCounts, w.receiveDisplacements, w.receiveTypes, handle)
    }

    /// Starts a neighbourhood all-to-all-w; `send` and `receive` must stay
    /// valid until the request completes.
    ///
    /// The corresponding C function is `MPI_Ineighbor_alltoallw`.
    public func ineighborAllToAll(
        bytes send: UnsafeRawBufferPointer, sendCounts: [Int], sendDisplacements: [Int], sendTypes: [Datatype],
        into receive: UnsafeMutableRawBufferPointer, receiveCounts: [Int], receiveDisplacements: [Int],
        receiveTypes: [Datatype]
    ) throws -> Request<Void> {
        let operation: StaticString = "MPI_Ineighbor_alltoallw"
        let neighborhood = try checkedNeighborhood(operation)
        let w = try allToAllwArguments(send.count, sendCounts, sendDisplacements, sendTypes, receive.count,
                                       receiveCounts, receiveDisplacements, receiveTypes, neighborhood,
                                       slots: neighborhood.hasRepeatedNeighbors ? neighborSlotsW(neighborhood, .nonblocking) : nil,
                                       operation: operation)
        let storage = WStorage(w)
        var request = cmpi_request_null()
        try storage.withPointers { sc, sd, st, rc, rd, rt in
            try MPIC.ineighborAlltoallw(send.baseAddress ?? UnsafeRawPointer(emptyBufferAddress), sc, sd, st,
                                        receive.baseAddress ?? emptyBufferAddress, rc, rd, rt, handle, &request)
        }
        return Request(handle: request,
                       PendingOperation(.collective, elementSize: 1, origin: RequestOrigin(operation), owner: storage))
    }
}

internal struct WArguments {
    var sendCounts: [CInt], sendDisplacements: [Int], sendTypes: [DatatypeHandle]
    var receiveCounts: [CInt], receiveDisplacements: [Int], receiveTypes: [DatatypeHandle]
}

/// The argument arrays of a started all-to-all-w, which MPI reads until it completes.
internal final class WStorage {
    let sendCounts: UnsafeMutableBufferPointer<CInt>, receiveCounts: UnsafeMutableBufferPointer<CInt>
    let sendDisplacements: UnsafeMutableBufferPointer<MPI_Aint>, receiveDisplacements: UnsafeMutableBufferPointer<MPI_Aint>
    let sendTypes: UnsafeMutableBufferPointer<DatatypeHandle>, receiveTypes: UnsafeMutableBufferPointer<DatatypeHandle>

    init(_ w: WArguments) {
        func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
            _ = buffer.initialize(from: values)
            return buffer
        }
        sendCounts = copy(w.sendCounts); receiveCounts = copy(w.receiveCounts)
        sendDisplacements = copy(w.sendDisplacements.map { MPI_Aint($0) })
        receiveDisplacements = copy(w.receiveDisplacements.map { MPI_Aint($0) })
        sendTypes = copy(w.sendTypes); receiveTypes = copy(w.receiveTypes)
    }

    func withPointers(_ body: (UnsafePointer<CInt>, UnsafePointer<MPI_Aint>, UnsafePointer<DatatypeHandle>,
                               UnsafePointer<CInt>, UnsafePointer<MPI_Aint>, UnsafePointer<DatatypeHandle>) throws -> Void) rethrows {
        try body(UnsafePointer(sendCounts.baseAddress!), UnsafePointer(sendDisplacements.baseAddress!),
                 UnsafePointer(sendTypes.baseAddress!), UnsafePointer(receiveCounts.baseAddress!),
                 UnsafePointer(receiveDisplacements.baseAddress!), UnsafePointer(receiveTypes.baseAddress!))
    }

    deinit {
        sendCounts.deallocate(); receiveCounts.deallocate(); sendDisplacements.deallocate()
        receiveDisplacements.deallocate(); sendTypes.deallocate(); receiveTypes.deallocate()
    }
}

extension Communicator {
    private func allToAllwArguments(
        _ sendBytes: Int, _ sendCounts: [Int], _ sendDisplacements: [Int], _ sendTypes: [Datatype],
        _ receiveBytes: Int, _ receiveCounts: [Int], _ receiveDisplacements: [Int], _ receiveTypes: [Datatype],
        _ neighborhood: Neighborhood, slots: [Int]?, operation: StaticString
    ) throws -> WArguments {
        if BuiltImplementation.losesNeighborAllToAllWOnUnequalDegrees && neighborhood.hasUnequalDegrees {
            // Thrown on every rank alike (the flag is agreed at creation).
            throw MPIError(errorClass: .other,
                           message: "\(BuiltImplementation.name)'s \(operation) loses blocks on a distributed graph where "
                               + "a process's in-degree differs from its out-degree; use the v form there",
                           operation: "\(operation)")
        }
        func side(_ counts: [Int], _ displacements: [Int], _ types: [Datatype], degree: Int, bytes: Int,
                  _ prefix: String, _ buffer: String) throws -> ([CInt], [Int], [DatatypeHandle]) {
            for (name, count) in [("\(prefix)Counts", counts.count), ("\(prefix)Displacements", displacements.count),
                                  ("\(prefix)Types", types.count)] where count != degree {
                throw MPIError.invalidArgument(name, "of \(count) entries", "must have one for each of the \(degree) neighbours",
                                               errorClass: .argument, operation: operation)
            }
            var counts32: [CInt] = []
            for slot in 0..<degree {
                counts32.append(try checkedCount(counts[slot], "\(prefix)Counts[\(slot)]", operation: operation))
                guard counts[slot] > 0 else { continue }
                let (lowerBound, extent) = try types[slot].extent()
                let start = displacements[slot] + lowerBound, end = start + counts[slot] * extent
                guard start >= 0, end <= bytes else {
                    throw MPIError.invalidArgument("\(prefix)Displacements[\(slot)]", displacements[slot],
                        "with \(prefix)Counts[\(slot)] = \(counts[slot]) of extent \(extent) runs outside \(buffer) of \(bytes) bytes",
                        errorClass: .argument, operation: operation)
                }
            }
            return (counts32, displacements, types.map(\.handle))
        }
        let s = try side(sendCounts, sendDisplacements, sendTypes, degree: neighborhood.destinations.count,
                         bytes: sendBytes, "send", "send")
        var r = try side(receiveCounts, receiveDisplacements, receiveTypes, degree: neighborhood.sources.count,
                         bytes: receiveBytes, "receive", "receive")
        if let slots { r = (slots.map { r.0[$0] }, slots.map { r.1[$0] }, slots.map { r.2[$0] }) }
        return WArguments(sendCounts: s.0, sendDisplacements: s.1, sendTypes: s.2,
                          receiveCounts: r.0, receiveDisplacements: r.1, receiveTypes: r.2)
    }
}
