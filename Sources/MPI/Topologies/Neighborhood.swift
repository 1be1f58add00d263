import CMPI

// What the neighbourhood collectives need to know of a communicator's
// topology, read once when the topology is made: the neighbours in MPI's
// order (as MPI ranks; MPI_PROC_NULL at a non-periodic Cartesian edge), and
// whether some process has the same neighbour in two slots.
//
// With a repeated neighbour the standard (MPI-4.0 errata of 3.1) fixes which
// slot each block lands in: on a periodic Cartesian dimension of size 1 or
// 2, the block sent to the -1 neighbour arrives in the receiver's +1 slot and
// vice versa; in a graph the k-th edge to a process matches the k-th edge
// from it. Open MPI 4.1's MPI_Ineighbor_alltoall(v) and MPICH 4.0's
// MPI_(I)neighbor_alltoallv and (on graphs) MPI_(I)neighbor_alltoall get
// this wrong. So on such topologies each all-to-all form (plain, v, w,
// blocking and nonblocking) is calibrated once per communicator by a labelled
// exchange: a form MPI gets right is called as it is (the plain blocking one
// under Open MPI, say: no cost), a v or w form MPI gets wrong runs with its
// receive slots permuted to where MPI actually delivers, and a plain form MPI
// gets wrong runs as the v form. The calibration runs when the topology is
// made (a collective call already), so that a later nonblocking all-to-all
// never blocks.

internal final class Neighborhood {
    let kind: Topology
    /// MPI ranks this process receives from, slot by slot.
    let sources: [CInt]
    /// MPI ranks this process sends to, slot by slot.
    let destinations: [CInt]
    /// Whether any process of the communicator has a repeated neighbour
    /// (the same on every rank, so that every rank calibrates together).
    let hasRepeatedNeighbors: Bool
    /// Whether any process's in-degree differs from its out-degree (agreed likewise).
    let hasUnequalDegrees: Bool
    /// For each receive slot MPI fills, the slot the standard puts that block
    /// in; per mode, found at the first all-to-all of that mode.
    var blockingSlots: [Int]?
    var nonblockingSlots: [Int]?
    /// The same for the all-to-all-w, which MPIs run by other code.
    var blockingSlotsW: [Int]?
    var nonblockingSlotsW: [Int]?
    /// Whether the plain (equal-block) all-to-all delivers as the standard says, per mode.
    var plainBlockingIsStandard: Bool?
    var plainNonblockingIsStandard: Bool?

    init(kind: Topology, sources: [CInt], destinations: [CInt], hasRepeatedNeighbors: Bool,
         hasUnequalDegrees: Bool = false) {
        self.hasUnequalDegrees = hasUnequalDegrees
        self.kind = kind
        self.sources = sources
        self.destinations = destinations
        self.hasRepeatedNeighbors = hasRepeatedNeighbors
    }

    func forDuplicate() -> Neighborhood {
        Neighborhood(kind: kind, sources: sources, destinations: destinations,
                     hasRepeatedNeighbors: hasRepeatedNeighbors, hasUnequalDegrees: hasUnequalDegrees)
    }

    /// `slots`, or nil if it leaves every slot where it is.
    static func permutation(_ slots: [Int]) -> [Int]? {
        slots.indices.allSatisfy { slots[$0] == $0 } ? nil : slots
    }

    static func hasRepeats(_ ranks: [CInt]) -> Bool {
        let real = ranks.filter { $0 >= 0 }
        return Set(real).count != real.count
    }
}

extension Communicator {
    /// Records a Cartesian communicator's neighbours: for each dimension the
    /// -1 then the +1 neighbour, as MPI_Cart_shift reports them.
    internal func recordCartesianNeighborhood(dimensions: [Int], periodic: [Bool]) throws {
        var neighbors: [CInt] = []
        for dimension in dimensions.indices {
            var source: CInt = 0, destination: CInt = 0
            try MPIC.cartShift(handle, CInt(dimension), 1, &source, &destination)
            neighbors += [source, destination]
        }
        // Every rank sees the same dims, so every rank decides alike.
        let repeated = zip(dimensions, periodic).contains { $1 && $0 <= 2 }
        neighborhood = Neighborhood(kind: .cartesian, sources: neighbors, destinations: neighbors,
                                    hasRepeatedNeighbors: repeated)
        try calibrateNeighborSlots()
    }

    /// Records a distributed graph's neighbours, as MPI reports them; whether
    /// any rank has a repeated neighbour is agreed by an all-reduce.
    internal func recordDistributedGraphNeighborhood() throws {
        let neighbors = try readDistributedGraphNeighbors()
        let sources = neighbors.sources.map(CInt.init), destinations = neighbors.destinations.map(CInt.init)
        var send: [CInt] = [Neighborhood.hasRepeats(sources) || Neighborhood.hasRepeats(destinations) ? 1 : 0,
                            sources.count != destinations.count ? 1 : 0]
        var any: [CInt] = [0, 0]
        try MPIC.allreduce(&send, &any, 2, CInt.mpiDatatype.handle, ReductionOperation<CInt>.max.handle, handle)
        neighborhood = Neighborhood(kind: .distributedGraph, sources: sources, destinations: destinations,
                                    hasRepeatedNeighbors: any[0] != 0, hasUnequalDegrees: any[1] != 0)
        try calibrateNeighborSlots()
    }

    /// On a topology with repeated neighbours, finds where MPI delivers in
    /// both modes; every rank calls it at the same point (topology creation).
    internal func calibrateNeighborSlots() throws {
        guard let neighborhood, neighborhood.hasRepeatedNeighbors else { return }
        _ = try plainAllToAllIsStandard(neighborhood, .blocking)
        _ = try plainAllToAllIsStandard(neighborhood, .nonblocking)
        _ = try neighborSlots(neighborhood, .blocking)
        _ = try neighborSlots(neighborhood, .nonblocking)
        _ = try neighborSlotsW(neighborhood, .blocking)
        _ = try neighborSlotsW(neighborhood, .nonblocking)
    }

    /// The topology's neighbours, or a thrown error without one.
    internal func checkedNeighborhood(_ operation: StaticString) throws -> Neighborhood {
        if let neighborhood { return neighborhood }
        throw noTopologyError(operation)
    }

    @inline(never)
    internal func noTopologyError(_ operation: StaticString) -> MPIError {
        MPIError.invalidArgument("communicator", description,
            "has no process topology (make one with cartesianGrid, graph or distributedGraph)",
            errorClass: .communicator, operation: operation)
    }

    /// The receive-slot permutation for the all-to-alls of `mode` on a topology
    /// with repeated neighbours, found once by a labelled exchange (every rank
    /// runs it at its first all-to-all of that mode, so all together).
    /// nil where MPI already delivers as the standard says.
    internal func neighborSlotsW(_ neighborhood: Neighborhood, _ mode: CollectiveMode) throws -> [Int]? {
        if let known = mode == .blocking ? neighborhood.blockingSlotsW : neighborhood.nonblockingSlotsW {
            return Neighborhood.permutation(known)
        }
        let slots = try calibrate(neighborhood, mode, .w)
        if mode == .blocking { neighborhood.blockingSlotsW = slots } else { neighborhood.nonblockingSlotsW = slots }
        return Neighborhood.permutation(slots)
    }

    /// The v form's slots; nil where MPI already delivers as the standard says.
    internal func neighborSlots(_ neighborhood: Neighborhood, _ mode: CollectiveMode) throws -> [Int]? {
        if let known = mode == .blocking ? neighborhood.blockingSlots : neighborhood.nonblockingSlots {
            return Neighborhood.permutation(known)
        }
        let slots = try calibrate(neighborhood, mode, .v)
        if mode == .blocking { neighborhood.blockingSlots = slots } else { neighborhood.nonblockingSlots = slots }
        return Neighborhood.permutation(slots)
    }

    /// Whether the plain all-to-all of `mode` delivers as the standard says
    /// (then it is called as it is; else it runs as the v form).
    internal func plainAllToAllIsStandard(_ neighborhood: Neighborhood, _ mode: CollectiveMode) throws -> Bool {
        if let known = mode == .blocking ? neighborhood.plainBlockingIsStandard : neighborhood.plainNonblockingIsStandard {
            return known
        }
        let standard = Neighborhood.permutation(try calibrate(neighborhood, mode, .plain)) == nil
        if mode == .blocking { neighborhood.plainBlockingIsStandard = standard }
        else { neighborhood.plainNonblockingIsStandard = standard }
        return standard
    }

    private enum CalibratedForm { case plain, v, w }

    private func calibrate(_ neighborhood: Neighborhood, _ mode: CollectiveMode, _ form: CalibratedForm) throws -> [Int] {
        let w = form == .w
        let inCount = neighborhood.sources.count, outCount = neighborhood.destinations.count
        // Each block: (sender, label). The label is the send slot on a Cartesian
        // grid, else the how-many-th edge to that destination it is.
        var send = [Int64](repeating: 0, count: 2 * outCount)
        for slot in 0..<outCount {
            let destination = neighborhood.destinations[slot]
            let earlier = neighborhood.destinations[..<slot].filter { $0 == destination }.count
            send[2 * slot] = Int64(rank)
            send[2 * slot + 1] = Int64(neighborhood.kind == .cartesian ? slot : earlier)
        }
        var receive = [Int64](repeating: -1, count: 2 * inCount)
        let sendCounts = [CInt](repeating: 2, count: outCount)
        let sendDisplacements = (0..<outCount).map { CInt(2 * $0) }
        let receiveCounts = [CInt](repeating: 2, count: inCount)
        let receiveDisplacements = (0..<inCount).map { CInt(2 * $0) }
        let type = Int64.mpiDatatype.handle
        try send.withUnsafeBufferPointer { source in
            try receive.withUnsafeMutableBufferPointer { target in
                if form == .plain {
                    if mode == .blocking {
                        try MPIC.neighborAlltoall(source.mpiAddress, 2, type, target.mpiAddress, 2, type, handle)
                    } else {
                        var request = cmpi_request_null()
                        try MPIC.ineighborAlltoall(source.mpiAddress, 2, type, target.mpiAddress, 2, type, handle,
                                                   &request)
                        try MPIC.wait(&request, cmpi_status_ignore())
                    }
                } else if w {
                    let stride = MemoryLayout<Int64>.stride
                    let sendBytes = sendDisplacements.map { Int($0) * stride }
                    let receiveBytes = receiveDisplacements.map { Int($0) * stride }
                    let sendTypes = [DatatypeHandle](repeating: type, count: outCount)
                    let receiveTypes = [DatatypeHandle](repeating: type, count: inCount)
                    if mode == .blocking {
                        try MPIC.neighborAlltoallw(source.mpiAddress, sendCounts, sendBytes, sendTypes, target.mpiAddress,
                                                   receiveCounts, receiveBytes, receiveTypes, handle)
                    } else {
                        var request = cmpi_request_null()
                        try MPIC.ineighborAlltoallw(source.mpiAddress, sendCounts, sendBytes, sendTypes,
                                                    target.mpiAddress, receiveCounts, receiveBytes, receiveTypes,
                                                    handle, &request)
                        try MPIC.wait(&request, cmpi_status_ignore())
                    }
                } else if mode == .blocking {
                    try MPIC.neighborAlltoallv(source.mpiAddress, sendCounts, sendDisplacements, type, target.mpiAddress,
                                               receiveCounts, receiveDisplacements, type, handle)
                } else {
                    var request = cmpi_request_null()
                    try MPIC.ineighborAlltoallv(source.mpiAddress, sendCounts, sendDisplacements, type,
                                                target.mpiAddress, receiveCounts, receiveDisplacements, type, handle,
                                                &request)
                    try MPIC.wait(&request, cmpi_status_ignore())
                }
            }
        }
        var slots = Array(0..<inCount)
        var taken = [Bool](repeating: false, count: inCount)
        for arrived in 0..<inCount where receive[2 * arrived] >= 0 {
            let sender = CInt(receive[2 * arrived]), label = Int(receive[2 * arrived + 1])
            let correct: Int?
            if neighborhood.kind == .cartesian {
                correct = label ^ 1
            } else {
                correct = (0..<inCount).filter { neighborhood.sources[$0] == sender }.dropFirst(label).first
            }
            guard let correct, correct < inCount, neighborhood.sources[correct] == sender, !taken[correct] else {
                throw MPIError(errorClass: .internal,
                               message: "the neighbourhood all-to-all delivered a block from rank \(sender) "
                                   + "(label \(label)) to slot \(arrived), which no standard slot explains",
                               operation: form == .w ? "MPI_Neighbor_alltoallw"
                                   : form == .v ? "MPI_Neighbor_alltoallv" : "MPI_Neighbor_alltoall")
            }
            taken[correct] = true
            slots[arrived] = correct
        }
        return slots
    }
}
