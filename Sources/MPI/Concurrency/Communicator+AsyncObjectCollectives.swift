import CMPI

// The async forms of the object collectives (Objects/Communicator+ObjectCollectives.swift):
// the same steps and the same outcomes (which rank throws what, and that no
// rank is left waiting), each step a nonblocking collective whose buffers are
// locals of the awaiting function, alive until it completes. Differences: a
// broadcast encodes the object into one buffer (the blocking form's
// zero-copy segments and adopted arrays are not used) and announces its
// size in a broadcast of its own before the bytes.

extension Communicator {
    /// Starts one nonblocking collective and suspends until it completes.
    @MPIActor
    private func awaitStep(_ name: StaticString, _ start: (UnsafeMutablePointer<RequestHandle>) throws -> Void) async throws {
        var handle = cmpi_request_null()
        try start(&handle)
        try await Request<Void>(handle: handle, PendingOperation(.collective, elementSize: 1, origin: RequestOrigin(name))).wait()
    }

    /// MPI_BYTE, or a committed contiguous type of `unit` bytes, which the caller frees.
    private func unitType(_ unit: Int) throws -> DatatypeHandle {
        if unit == 1 { return cmpi_byte() }
        var type = cmpi_datatype_null()
        try MPIC.typeContiguous(CInt(unit), cmpi_byte(), &type)
        do {
            try MPIC.typeCommit(&type)
        } catch {
            MPIC.releasing { try MPIC.typeFree(&type) }
            throw error
        }
        return type
    }

    private func freeUnitType(_ type: DatatypeHandle, unit: Int) {
        guard unit != 1 else { return }
        var type = type
        MPIC.releasing { try MPIC.typeFree(&type) }
    }

    /// Broadcasts `count` bytes at `base` in chunks of at most 64 MiB; a
    /// refusing rank passes a scratch chunk (`stepping` false) that every chunk overwrites.
    @MPIActor
    private func broadcastBytes(_ base: UnsafeMutableRawPointer, count: Int, stepping: Bool, root: CInt) async throws {
        var offset = 0
        while offset < count {
            let length = min(ObjectCollective.chunk, count - offset)
            let target = stepping ? base + offset : base
            try await awaitStep("MPI_Ibcast") { try MPIC.ibcast(target, CInt(length), cmpi_byte(), root, handle, $0) }
            offset += length
        }
    }

    /// Sends `object` from `root` to every rank; every rank returns it (see
    /// ``broadcast(object:root:)``: a rank whose `MPI.receiveSizeLimit` the
    /// object exceeds takes part and throws `.noMemory`; a root with `nil` or
    /// an object that fails to encode makes every rank throw).
    ///
    /// The corresponding C functions are `MPI_Ibcast` and `MPI_Test` (polled).
    @MPIActor
    public func broadcast<T: Codable>(object: T?, root: Int) async throws -> sending T {
        let operation: StaticString = "MPI_Ibcast"
        try ProgressEngine.checkAsyncUse(operation)
        let root32 = try checkedRoot(root, operation: operation)
        let isRoot = rank == root
        var encoded: [UInt8] = []
        var failure: (any Error)?
        var announced = [ObjectCollective.failed]
        if isRoot {
            do {
                guard let object else {
                    throw MPIError.invalidArgument("object", "nil", "must be a value at the root (rank \(root))",
                                                   errorClass: .argument, operation: operation)
                }
                encoded = try ObjectEncoder().encode(object)
                announced[0] = Int64(encoded.count)
            } catch {
                failure = error
            }
        }
        let sizeCell = announced.withUnsafeMutableBytes { $0.baseAddress! }
        try await awaitStep(operation) { try MPIC.ibcast(sizeCell, 1, Int64.mpiDatatype.handle, root32, handle, $0) }
        guard announced[0] >= 0 else {
            if let failure { throw failure }
            throw otherRankFailed(root, "had no object to broadcast, or could not encode it", operation: operation)
        }
        let size = Int(announced[0])
        if isRoot {
            let bytes = encoded.withUnsafeMutableBytes { $0.baseAddress }
            if let bytes { try await broadcastBytes(bytes, count: size, stepping: true, root: root32) }
            withExtendedLifetime(encoded) {}
            return UncheckedSendable(object!).value
        }
        if size > MPI.receiveSizeLimit {
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(min(size, ObjectCollective.chunk), 1), alignment: 16)
            defer { scratch.deallocate() }
            try await broadcastBytes(scratch, count: size, stepping: false, root: root32)
            throw refusedError(bytes: size, what: "a broadcast object from rank \(root)", operation: operation)
        }
        var received = [UInt8](repeating: 0, count: size)
        if let target = received.withUnsafeMutableBytes({ $0.baseAddress }) {
            try await broadcastBytes(target, count: size, stepping: true, root: root32)
        }
        return UncheckedSendable(try received.withUnsafeBytes {
            try decodeObject(T.self, from: $0, describing: "the object of \(size) bytes broadcast from rank \(root)")
        }).value
    }

    /// Encodes `object` and all-gathers every rank's size and receive limit (async ``exchangeSizes(of:operation:)``).
    @MPIActor
    private func exchangeSizesAwaiting<T: Encodable>(of object: T, operation: StaticString) async throws
        -> ([UInt8], sizes: [Int], limits: [Int]) {
        var encoded: [UInt8] = []
        var failure: (any Error)?
        var mine: [Int64] = [ObjectCollective.failed, Int64(MPI.receiveSizeLimit)]
        do {
            encoded = try ObjectEncoder().encode(object)
            mine[0] = Int64(encoded.count)
        } catch {
            failure = error
        }
        var all = [Int64](repeating: 0, count: 2 * size)
        let send = mine.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress!) }
        let receive = all.withUnsafeMutableBytes { $0.baseAddress! }
        try await awaitStep("MPI_Iallgather") {
            try MPIC.iallgather(send, 2, Int64.mpiDatatype.handle, receive, 2, Int64.mpiDatatype.handle, handle, $0)
        }
        withExtendedLifetime(mine) {}
        if let failure { throw failure }
        if let failed = (0..<size).first(where: { all[2 * $0] < 0 }) {
            throw otherRankFailed(failed, "could not encode its object", operation: operation)
        }
        return (encoded, (0..<size).map { Int(all[2 * $0]) }, (0..<size).map { Int(all[2 * $0 + 1]) })
    }

    /// `bytes` padded with zeros to `length`.
    private func padded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes.count >= length ? bytes : bytes + [UInt8](repeating: 0, count: length - bytes.count)
    }

    /// Gathers one object from every rank at `root`, in rank order; `nil`
    /// elsewhere (see ``gather(object:root:)``).
    ///
    /// The corresponding C functions are `MPI_Iallgather` (of the sizes) and `MPI_Igatherv`.
    @MPIActor
    public func gather<T: Codable>(object: T, root: Int) async throws -> sending [T]? {
        let operation: StaticString = "MPI_Igatherv"
        try ProgressEngine.checkAsyncUse(operation)
        let root32 = try checkedRoot(root, operation: operation)
        let (encoded, sizes, limits) = try await exchangeSizesAwaiting(of: object, operation: operation)
        let total = sizes.reduce(0, +)
        if total > limits[root] {
            throw refusedError(bytes: total, what: "\(size) gathered objects", at: root, operation: operation)
        }
        let isRoot = rank == root
        let pieces = try collectivePieces(sizes, operation: operation)
        var send = padded(encoded, to: pieces.counts[rank] * pieces.unit)
        var received = [UInt8](repeating: 0, count: isRoot ? pieces.totalBytes : 0)
        var counts = pieces.counts32, displacements = pieces.displacements32
        let type = try unitType(pieces.unit)
        defer { freeUnitType(type, unit: pieces.unit) }
        let sendBase = send.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress) }
        let receiveBase = received.withUnsafeMutableBytes { $0.baseAddress }
        let countsBase = counts.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let displacementsBase = displacements.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let myCount = CInt(pieces.counts[rank])
        try await awaitStep(operation) {
            try MPIC.igatherv(sendBase, myCount, type, receiveBase, countsBase, displacementsBase, type, root32, handle, $0)
        }
        withExtendedLifetime((send, counts, displacements)) {}
        guard isRoot else { return nil }
        return UncheckedSendable(try decodePieces(received, pieces, sizes: sizes, own: object, describing: "gathered")).value
    }

    /// Gathers one object from every rank on every rank, in rank order (see ``allGather(object:)``).
    ///
    /// The corresponding C functions are `MPI_Iallgather` (of the sizes) and `MPI_Iallgatherv`.
    @MPIActor
    public func allGather<T: Codable>(object: T) async throws -> sending [T] {
        let operation: StaticString = "MPI_Iallgatherv"
        try ProgressEngine.checkAsyncUse(operation)
        let (encoded, sizes, limits) = try await exchangeSizesAwaiting(of: object, operation: operation)
        let total = sizes.reduce(0, +)
        if let refusing = limits.indices.first(where: { limits[$0] < total }) {
            throw refusedError(bytes: total, what: "\(size) gathered objects", at: refusing, operation: operation)
        }
        let pieces = try collectivePieces(sizes, operation: operation)
        var send = padded(encoded, to: pieces.counts[rank] * pieces.unit)
        var received = [UInt8](repeating: 0, count: pieces.totalBytes)
        var counts = pieces.counts32, displacements = pieces.displacements32
        let type = try unitType(pieces.unit)
        defer { freeUnitType(type, unit: pieces.unit) }
        let sendBase = send.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress) }
        let receiveBase = received.withUnsafeMutableBytes { $0.baseAddress }
        let countsBase = counts.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let displacementsBase = displacements.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let myCount = CInt(pieces.counts[rank])
        try await awaitStep(operation) {
            try MPIC.iallgatherv(sendBase, myCount, type, receiveBase, countsBase, displacementsBase, type, handle, $0)
        }
        withExtendedLifetime((send, counts, displacements)) {}
        return UncheckedSendable(try decodePieces(received, pieces, sizes: sizes, own: object, describing: "all-gathered")).value
    }

    /// Sends `objects[i]` from `root` to rank i; every rank returns its own
    /// (see ``scatter(objects:root:)``).
    ///
    /// The corresponding C functions are `MPI_Igather` (of the limits),
    /// `MPI_Iscatter` (of the sizes) and `MPI_Iscatterv`.
    @MPIActor
    public func scatter<T: Codable>(objects: [T]?, root: Int) async throws -> sending T {
        let operation: StaticString = "MPI_Iscatterv"
        try ProgressEngine.checkAsyncUse(operation)
        let root32 = try checkedRoot(root, operation: operation)
        let isRoot = rank == root
        var limit = [Int64(MPI.receiveSizeLimit)]
        var limits = [Int64](repeating: 0, count: isRoot ? size : 0)
        let limitBase = limit.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress!) }
        let limitsBase = limits.withUnsafeMutableBytes { $0.baseAddress }
        try await awaitStep("MPI_Igather") {
            try MPIC.igather(limitBase, 1, Int64.mpiDatatype.handle, limitsBase, 1, Int64.mpiDatatype.handle, root32, handle, $0)
        }
        withExtendedLifetime(limit) {}
        var info = [Int64](repeating: 0, count: isRoot ? 2 * size : 0)
        var encoded: [[UInt8]] = []
        var failure: (any Error)?
        var pieces = CollectivePieces(unit: 1, counts: [], displacements: [])
        if isRoot {
            do {
                guard let objects else {
                    throw MPIError.invalidArgument("objects", "nil", "must be \(size) values at the root (rank \(root))",
                                                   errorClass: .argument, operation: operation)
                }
                guard objects.count == size else {
                    throw MPIError.invalidArgument("objects.count", objects.count, "must be the communicator's size, \(size)",
                                                   errorClass: .count, operation: operation)
                }
                encoded = try objects.map { try ObjectEncoder().encode($0) }
                var sizes = encoded.map(\.count)
                for other in 0..<size where other != root && sizes[other] > Int(limits[other]) { sizes[other] = 0 }
                pieces = try collectivePieces(sizes, operation: operation)
                for other in 0..<size {
                    let refused = other != root && encoded[other].count > Int(limits[other])
                    info[2 * other] = refused ? ObjectCollective.refused : Int64(encoded[other].count)
                    info[2 * other + 1] = Int64(pieces.unit)
                }
            } catch {
                failure = error
                for index in info.indices { info[index] = ObjectCollective.failed }
            }
        }
        var mine: [Int64] = [0, 0]
        let infoBase = info.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress) }
        let mineBase = mine.withUnsafeMutableBytes { $0.baseAddress! }
        try await awaitStep("MPI_Iscatter") {
            try MPIC.iscatter(infoBase, 2, Int64.mpiDatatype.handle, mineBase, 2, Int64.mpiDatatype.handle, root32, handle, $0)
        }
        withExtendedLifetime(info) {}
        if mine[0] == ObjectCollective.failed {
            if let failure { throw failure }
            throw otherRankFailed(root, "had no objects to scatter (or not one per rank), or could not encode them",
                                  operation: operation)
        }
        let unit = Int(mine[1])
        let myBytes = max(Int(mine[0]), 0)
        let myCount = (myBytes + unit - 1) / unit
        var received = [UInt8](repeating: 0, count: isRoot ? 0 : myCount * unit)
        var sendBuffer = isRoot ? pieces.concatenate(encoded) : []
        var counts = isRoot ? pieces.counts32 : [], displacements = isRoot ? pieces.displacements32 : []
        let type = try unitType(unit)
        defer { freeUnitType(type, unit: unit) }
        let sendBase = sendBuffer.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress) }
        let receiveBase = isRoot ? cmpi_in_place() : received.withUnsafeMutableBytes { $0.baseAddress }
        let countsBase = isRoot ? counts.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) } : nil
        let displacementsBase = isRoot ? displacements.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) } : nil
        try await awaitStep(operation) {
            try MPIC.iscatterv(sendBase, countsBase, displacementsBase, type, receiveBase, CInt(myCount), type, root32, handle, $0)
        }
        withExtendedLifetime((sendBuffer, counts, displacements)) {}
        if isRoot { return UncheckedSendable(objects![root]).value }
        if mine[0] == ObjectCollective.refused {
            throw refusedError(bytes: -1, what: "its scattered object from rank \(root)", operation: operation)
        }
        return UncheckedSendable(try received.withUnsafeBytes { bytes in
            try decodeObject(T.self, from: UnsafeRawBufferPointer(rebasing: bytes[0..<myBytes]),
                             describing: "the object of \(myBytes) bytes scattered from rank \(root)")
        }).value
    }

    /// Sends `objects[i]` to rank i and returns what each rank sent here, in
    /// rank order (see ``allToAll(objects:)``).
    ///
    /// The corresponding C functions are `MPI_Ialltoall` (of the sizes),
    /// `MPI_Iallreduce` (of the outcome) and `MPI_Ialltoallv`.
    @MPIActor
    public func allToAll<T: Codable>(objects: [T]) async throws -> sending [T] {
        let operation: StaticString = "MPI_Ialltoallv"
        try ProgressEngine.checkAsyncUse(operation)
        var encoded: [[UInt8]] = []
        var failure: (any Error)?
        var sendSizes = [Int64](repeating: ObjectCollective.failed, count: size)
        do {
            guard objects.count == size else {
                throw MPIError.invalidArgument("objects.count", objects.count, "must be the communicator's size, \(size)",
                                               errorClass: .count, operation: operation)
            }
            encoded = try objects.map { try ObjectEncoder().encode($0) }
            sendSizes = encoded.map { Int64($0.count) }
        } catch {
            failure = error
        }
        var receiveSizes = [Int64](repeating: 0, count: size)
        let sizesBase = sendSizes.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress!) }
        let receiveSizesBase = receiveSizes.withUnsafeMutableBytes { $0.baseAddress! }
        try await awaitStep("MPI_Ialltoall") {
            try MPIC.ialltoall(sizesBase, 1, Int64.mpiDatatype.handle, receiveSizesBase, 1, Int64.mpiDatatype.handle, handle, $0)
        }
        let incoming = receiveSizes.reduce(0) { $0 + max($1, 0) }
        let outgoing = sendSizes.reduce(0) { $0 + max($1, 0) }
        var outcome: [Int64] = [failure != nil ? Int64(rank + 1) : 0,
                                incoming > Int64(MPI.receiveSizeLimit) ? Int64(rank + 1) : 0, max(incoming, outgoing)]
        var agreed = [Int64](repeating: 0, count: 3)
        let outcomeBase = outcome.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress!) }
        let agreedBase = agreed.withUnsafeMutableBytes { $0.baseAddress! }
        try await awaitStep("MPI_Iallreduce") {
            try MPIC.iallreduce(outcomeBase, agreedBase, 3, Int64.mpiDatatype.handle, cmpi_max(), handle, $0)
        }
        withExtendedLifetime(outcome) {}
        if agreed[0] > 0 {
            if let failure { throw failure }
            throw otherRankFailed(Int(agreed[0]) - 1, "passed other than one object per rank, or could not encode them",
                                  operation: operation)
        }
        if agreed[1] > 0 {
            throw refusedError(bytes: Int(incoming), what: "the objects sent to it", at: Int(agreed[1]) - 1, operation: operation)
        }
        let unit = ObjectCollective.unit(forLargest: Int(agreed[2]))
        let sending = try collectivePieces(sendSizes.map(Int.init), unit: unit, operation: operation)
        let receiving = try collectivePieces(receiveSizes.map(Int.init), unit: unit, operation: operation)
        var sendBuffer = sending.concatenate(encoded)
        var received = [UInt8](repeating: 0, count: receiving.totalBytes)
        var sendCounts = sending.counts32, sendDisplacements = sending.displacements32
        var receiveCounts = receiving.counts32, receiveDisplacements = receiving.displacements32
        let type = try unitType(unit)
        defer { freeUnitType(type, unit: unit) }
        let sendBase = sendBuffer.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress) }
        let receiveBase = received.withUnsafeMutableBytes { $0.baseAddress }
        let sc = sendCounts.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let sd = sendDisplacements.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let rc = receiveCounts.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        let rd = receiveDisplacements.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        try await awaitStep(operation) {
            try MPIC.ialltoallv(sendBase, sc, sd, type, receiveBase, rc, rd, type, handle, $0)
        }
        withExtendedLifetime((sendBuffer, sendCounts, sendDisplacements, receiveCounts, receiveDisplacements, sendSizes)) {}
        return UncheckedSendable(try decodePieces(received, receiving, sizes: receiveSizes.map(Int.init),
                                                  own: objects[rank], describing: "sent")).value
    }
}
