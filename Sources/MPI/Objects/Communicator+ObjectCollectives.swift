import CMPI

// Collectives of objects. Every rank first learns the sizes it needs (and
// whether any rank failed to encode, or refuses what it would receive under
// MPI.receiveSizeLimit), so that all ranks take the same path and none is left
// waiting in a collective the others skipped. Then the bytes travel in one
// v-collective. Sizes beyond Int32.max are sent in units of a 4 KiB
// contiguous type, each piece padded to whole units, so that counts and
// displacements stay C ints.

/// The marks ranks exchange in place of a size, and the sizes of the blocks.
internal enum ObjectCollective {
    /// The rank could not encode its object (or, at a root, had none to send).
    static let failed: Int64 = -1
    /// The receiving rank refuses its part under `MPI.receiveSizeLimit`.
    static let refused: Int64 = -2
    /// A broadcast's first block: the size, where the largest array's elements
    /// start (or -1), their byte count and element code, then the first bytes,
    /// so that a small object takes one MPI_Bcast and receivers can put the
    /// largest array straight into its own memory.
    static let firstBlock = 256
    static let firstBlockHeader = 25
    static let firstBlockPayload = firstBlock - firstBlockHeader
    /// A larger broadcast continues in chunks of this many bytes (a refusing rank discards through one such scratch).
    static let chunk = 1 << 26
    /// The unit of the v-collectives when a size or displacement would not fit a C int.
    static let largeUnit = 4096

    static func unit(forLargest bytes: Int) -> Int { bytes <= Int(CInt.max) ? 1 : largeUnit }
}

extension Communicator {
    /// Sends `object` from `root` to every rank, encoded once at the root;
    /// every rank returns it (the root its own value).
    ///
    /// An object that fits in 248 bytes takes one MPI_Bcast of 256 bytes;
    /// a larger one continues in further MPI_Bcasts of up to 64 MiB. A rank
    /// whose `MPI.receiveSizeLimit` the object exceeds takes part without
    /// allocating it and throws ``MPIError`` of class `.noMemory`. A root
    /// with `nil`, or whose object fails to encode, makes every rank throw.
    ///
    /// The corresponding C function is `MPI_Bcast`.
    /// - Parameters:
    ///   - object: the value at the root; ignored elsewhere (pass `nil`).
    ///   - root: the rank that sends.
    public func broadcast<T: Codable>(object: T?, root: Int) throws -> T {
        let operation: StaticString = "MPI_Bcast"
        let root32 = try checkedRoot(root, operation: operation)
        let isRoot = rank == root
        var encoding = SegmentedEncoding(bytes: [], segments: [])
        var failure: (any Error)?
        var block = [UInt8](repeating: 0, count: ObjectCollective.firstBlock)
        if isRoot {
            var size = ObjectCollective.failed
            do {
                guard let object else {
                    throw MPIError.invalidArgument("object", "nil", "must be a value at the root (rank \(root))",
                                                   errorClass: .argument, operation: operation)
                }
                encoding = try ObjectEncoder().encodeSegmented(object, threshold: objectSegmentThreshold)
                size = Int64(encoding.totalBytes)
            } catch {
                failure = error
            }
            block.storeLittleEndian(size, at: 0)
            let hint = encoding.largestSegment.flatMap { $0.bytes >= ObjectReceiveBuffer.smallest ? $0 : nil }
            block.storeLittleEndian(Int64(hint?.dataAt ?? -1), at: 8)
            block.storeLittleEndian(Int64(hint?.bytes ?? 0), at: 16)
            block[24] = hint?.code ?? 0
            let head = min(max(Int(size), 0), ObjectCollective.firstBlockPayload, hint?.dataAt ?? Int.max)
            block.withUnsafeMutableBytes { encoding.copy(0..<head, to: $0.baseAddress! + ObjectCollective.firstBlockHeader) }
        }
        try block.withUnsafeMutableBytes { try MPIC.bcast($0.baseAddress, CInt($0.count), cmpi_byte(), root32, handle) }
        let (announced, hintAt, hintBytes) = block.withUnsafeBytes {
            (Int64(littleEndian: $0.loadUnaligned(as: Int64.self)), Int(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int64.self))),
             Int(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 16, as: Int64.self))))
        }
        guard announced >= 0 else {
            if let failure { throw failure }
            throw otherRankFailed(root, "had no object to broadcast, or could not encode it", operation: operation)
        }
        let size = Int(announced)
        let head = min(size, ObjectCollective.firstBlockPayload, hintAt >= 0 ? hintAt : Int.max)
        if isRoot {
            if encoding.segments.isEmpty {
                try encoding.bytes.withUnsafeBytes { bytes in
                    try broadcastRest(UnsafeMutableRawPointer(mutating: bytes.baseAddress), size: size, head: head,
                                      stepping: true, root: root32)
                }
            } else {
                try encoding.withPieces { pieces in try broadcastRest(pieces, size: size, head: head, root: root32) }
            }
            return object!
        }
        if size > MPI.receiveSizeLimit {
            let scratchBytes = min(size - head, ObjectCollective.chunk)
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(scratchBytes, 1), alignment: 16)
            defer { scratch.deallocate() }
            try broadcastRest(scratch - head, size: size, head: head, stepping: false, root: root32)
            throw refusedError(bytes: size, what: "a broadcast object from rank \(root)", operation: operation)
        }
        // A large object arrives in the kept receive buffer (see ObjectReceiveBuffer), its largest array
        // (where the root says where it is) straight into the array that decoding returns.
        var bytes = size >= ObjectReceiveBuffer.smallest ? ObjectReceiveBuffer.take(size)
            : [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
        defer { if size >= ObjectReceiveBuffer.smallest { ObjectReceiveBuffer.give(bytes) } }
        let adoptable = hintAt >= head && hintBytes > 0 && hintAt + hintBytes <= size
            ? makeAdoptableArray(code: block[24], bytes: hintBytes) : nil
        try bytes.withUnsafeMutableBytes { buffer in
            block.withUnsafeBytes {
                buffer.baseAddress!.copyMemory(from: $0.baseAddress! + ObjectCollective.firstBlockHeader, byteCount: head)
            }
            if let adoptable {
                let pieces: [(UnsafeRawPointer, Int)] = [
                    (UnsafeRawPointer(buffer.baseAddress!), hintAt), (UnsafeRawPointer(adoptable.base), hintBytes),
                    (UnsafeRawPointer(buffer.baseAddress! + hintAt + hintBytes), size - hintAt - hintBytes),
                ]
                try broadcastRest(pieces, size: size, head: head, root: root32)
            } else {
                try broadcastRest(buffer.baseAddress!, size: size, head: head, stepping: true, root: root32)
            }
        }
        return try bytes.withUnsafeBytes {
            try decodeObject(T.self, from: UnsafeRawBufferPointer(rebasing: $0[0..<size]),
                             adopting: adoptable.map { AdoptedArray(dataAt: hintAt, array: $0.array, base: UnsafeRawPointer($0.base)) },
                             describing: "the object of \(size) bytes broadcast from rank \(root)")
        }
    }

    /// The bytes after the first block of a message laid out as `pieces`, in
    /// the chunks every rank cuts alike, each through one datatype.
    private func broadcastRest(_ pieces: [(UnsafeRawPointer, Int)], size: Int, head: Int, root: CInt) throws {
        var offset = head
        while offset < size {
            let length = min(ObjectCollective.chunk, size - offset)
            try withPiecesDatatype(pieces, covering: offset..<offset + length, operation: "MPI_Bcast") { type in
                try MPIC.bcast(cmpi_bottom(), 1, type, root, handle)
            }
            offset += length
        }
    }

    /// The bytes after the first block, in chunks that every rank cuts alike.
    /// `stepping` false keeps every chunk at the same address (a scratch block).
    private func broadcastRest(_ base: UnsafeMutableRawPointer?, size: Int, head: Int, stepping: Bool, root: CInt) throws {
        var offset = head
        while offset < size {
            let length = min(ObjectCollective.chunk, size - offset)
            try MPIC.bcast(base.map { $0 + (stepping ? offset : head) }, CInt(length), cmpi_byte(), root, handle)
            offset += length
        }
    }

    /// Gathers one object from every rank at `root`, in rank order; `nil` on the other ranks.
    ///
    /// If the objects together exceed the root's `MPI.receiveSizeLimit`, or a
    /// rank cannot encode its object, every rank throws (before any bytes move).
    ///
    /// The corresponding C functions are `MPI_Allgather` (of the sizes, so that
    /// every rank knows the outcome) and `MPI_Gatherv`.
    public func gather<T: Codable>(object: T, root: Int) throws -> [T]? {
        let operation: StaticString = "MPI_Gatherv"
        let root32 = try checkedRoot(root, operation: operation)
        let (encoded, sizes, limits) = try exchangeSizes(of: object, operation: operation)
        let total = sizes.reduce(0, +)
        if total > limits[root] {
            throw refusedError(bytes: total, what: "\(size) gathered objects", at: root, operation: operation)
        }
        let isRoot = rank == root
        let pieces = try collectivePieces(sizes, operation: operation)
        var received: [UInt8] = isRoot ? [UInt8](repeating: 0, count: pieces.totalBytes) : []
        try withPadded(encoded, to: pieces.counts[rank] * pieces.unit) { send in
            try withUnitType(pieces.unit) { type in
                try received.withUnsafeMutableBytes { receive in
                    try MPIC.gatherv(send, CInt(pieces.counts[rank]), type, receive.baseAddress, pieces.counts32,
                                     pieces.displacements32, type, root32, handle)
                }
            }
        }
        guard isRoot else { return nil }
        return try decodePieces(received, pieces, sizes: sizes, own: object, describing: "gathered")
    }

    /// Gathers one object from every rank on every rank, in rank order.
    ///
    /// If the objects together exceed any rank's `MPI.receiveSizeLimit`, or a
    /// rank cannot encode its object, every rank throws (before any bytes move).
    ///
    /// The corresponding C functions are `MPI_Allgather` (of the sizes) and `MPI_Allgatherv`.
    public func allGather<T: Codable>(object: T) throws -> [T] {
        let operation: StaticString = "MPI_Allgatherv"
        let (encoded, sizes, limits) = try exchangeSizes(of: object, operation: operation)
        let total = sizes.reduce(0, +)
        if let refusing = limits.indices.first(where: { limits[$0] < total }) {
            throw refusedError(bytes: total, what: "\(size) gathered objects", at: refusing, operation: operation)
        }
        let pieces = try collectivePieces(sizes, operation: operation)
        var received = [UInt8](repeating: 0, count: pieces.totalBytes)
        try withPadded(encoded, to: pieces.counts[rank] * pieces.unit) { send in
            try withUnitType(pieces.unit) { type in
                try received.withUnsafeMutableBytes { receive in
                    try MPIC.allgatherv(send, CInt(pieces.counts[rank]), type, receive.baseAddress, pieces.counts32,
                                        pieces.displacements32, type, handle)
                }
            }
        }
        return try decodePieces(received, pieces, sizes: sizes, own: object, describing: "all-gathered")
    }

    /// Sends `objects[i]` from `root` to rank i (each encoded once); every rank returns its own.
    ///
    /// A root with `nil` or with other than `size` objects, or whose objects
    /// fail to encode, makes every rank throw. A rank whose object exceeds its
    /// `MPI.receiveSizeLimit` throws ``MPIError`` of class `.noMemory`; the others
    /// receive theirs.
    ///
    /// The corresponding C functions are `MPI_Gather` (of the limits),
    /// `MPI_Scatter` (of the sizes) and `MPI_Scatterv`.
    public func scatter<T: Codable>(objects: [T]?, root: Int) throws -> T {
        let operation: StaticString = "MPI_Scatterv"
        let root32 = try checkedRoot(root, operation: operation)
        let isRoot = rank == root
        var limit = Int64(MPI.receiveSizeLimit)
        var limits = [Int64](repeating: 0, count: isRoot ? size : 0)
        try limits.withUnsafeMutableBytes { limits in
            try MPIC.gather(&limit, 1, Int64.mpiDatatype.handle, limits.baseAddress, 1, Int64.mpiDatatype.handle, root32, handle)
        }
        // At the root: each rank's size (or mark) and the unit, two values per rank.
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
        var mine: (size: Int64, unit: Int64) = (0, 0)
        try info.withUnsafeBytes { info in
            try withUnsafeMutableBytes(of: &mine) { mine in
                try MPIC.scatter(info.baseAddress, 2, Int64.mpiDatatype.handle, mine.baseAddress, 2,
                                 Int64.mpiDatatype.handle, root32, handle)
            }
        }
        if mine.size == ObjectCollective.failed {
            if let failure { throw failure }
            throw otherRankFailed(root, "had no objects to scatter (or not one per rank), or could not encode them",
                                  operation: operation)
        }
        let unit = Int(mine.unit)
        let myBytes = max(Int(mine.size), 0)
        let myCount = (myBytes + unit - 1) / unit
        var received = [UInt8](repeating: 0, count: isRoot ? 0 : myCount * unit)
        let sendBuffer = isRoot ? pieces.concatenate(encoded) : []
        try withUnitType(unit) { type in
            try sendBuffer.withUnsafeBytes { send in
                try received.withUnsafeMutableBytes { receive in
                    try MPIC.scatterv(send.baseAddress, isRoot ? pieces.counts32 : nil, isRoot ? pieces.displacements32 : nil,
                                      type, isRoot ? cmpi_in_place() : receive.baseAddress, CInt(myCount), type, root32, handle)
                }
            }
        }
        if isRoot { return objects![root] }
        if mine.size == ObjectCollective.refused {
            throw refusedError(bytes: -1, what: "its scattered object from rank \(root)", operation: operation)
        }
        return try received.withUnsafeBytes { bytes in
            try decodeObject(T.self, from: UnsafeRawBufferPointer(rebasing: bytes[0..<myBytes]),
                             describing: "the object of \(myBytes) bytes scattered from rank \(root)")
        }
    }

    /// Sends `objects[i]` to rank i and returns what each rank sent here, in rank order.
    ///
    /// If a rank passes other than `size` objects or cannot encode them, or a
    /// rank's incoming objects exceed its `MPI.receiveSizeLimit`, every rank
    /// throws (before any object's bytes move).
    ///
    /// The corresponding C functions are `MPI_Alltoall` (of the sizes),
    /// `MPI_Allreduce` (of the outcome) and `MPI_Alltoallv`.
    public func allToAll<T: Codable>(objects: [T]) throws -> [T] {
        let operation: StaticString = "MPI_Alltoallv"
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
        try sendSizes.withUnsafeBytes { send in
            try receiveSizes.withUnsafeMutableBytes { receive in
                try MPIC.alltoall(send.baseAddress, 1, Int64.mpiDatatype.handle, receive.baseAddress, 1,
                                  Int64.mpiDatatype.handle, handle)
            }
        }
        // The outcome, agreed: a rank that failed, a rank that refuses, and the largest total sent or received.
        let incoming = receiveSizes.reduce(0) { $0 + max($1, 0) }
        let outgoing = sendSizes.reduce(0) { $0 + max($1, 0) }
        var outcome: [Int64] = [failure != nil ? Int64(rank + 1) : 0,
                                incoming > Int64(MPI.receiveSizeLimit) ? Int64(rank + 1) : 0, max(incoming, outgoing)]
        var agreed = [Int64](repeating: 0, count: 3)
        try MPIC.allreduce(&outcome, &agreed, 3, Int64.mpiDatatype.handle, cmpi_max(), handle)
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
        let sendBuffer = sending.concatenate(encoded)
        var received = [UInt8](repeating: 0, count: receiving.totalBytes)
        try withUnitType(unit) { type in
            try sendBuffer.withUnsafeBytes { send in
                try received.withUnsafeMutableBytes { receive in
                    try MPIC.alltoallv(send.baseAddress, sending.counts32, sending.displacements32, type,
                                       receive.baseAddress, receiving.counts32, receiving.displacements32, type, handle)
                }
            }
        }
        return try decodePieces(received, receiving, sizes: receiveSizes.map(Int.init), own: objects[rank], describing: "sent")
    }

    // MARK: Helpers

    /// Encodes `object` and all-gathers every rank's size and receive limit.
    internal func exchangeSizes<T: Encodable>(of object: T, operation: StaticString) throws -> ([UInt8], sizes: [Int], limits: [Int]) {
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
        try all.withUnsafeMutableBytes { all in
            try MPIC.allgather(&mine, 2, Int64.mpiDatatype.handle, all.baseAddress, 2, Int64.mpiDatatype.handle, handle)
        }
        if let failure { throw failure }
        if let failed = (0..<size).first(where: { all[2 * $0] < 0 }) {
            throw otherRankFailed(failed, "could not encode its object", operation: operation)
        }
        return (encoded, (0..<size).map { Int(all[2 * $0]) }, (0..<size).map { Int(all[2 * $0 + 1]) })
    }

    internal func collectivePieces(_ sizes: [Int], unit: Int? = nil, operation: StaticString) throws -> CollectivePieces {
        let unit = unit ?? ObjectCollective.unit(forLargest: sizes.reduce(0) { $0 + max($1, 0) })
        let counts = sizes.map { (max($0, 0) + unit - 1) / unit }
        var displacements: [Int] = []
        displacements.reserveCapacity(counts.count)
        var offset = 0
        for count in counts {
            displacements.append(offset)
            offset += count
        }
        guard offset <= Int(CInt.max) else {
            throw MPIError.invalidArgument("total size", offset * unit, "is beyond what one collective can carry "
                                           + "(\(CInt.max) units of \(unit) bytes)", errorClass: .count, operation: operation)
        }
        return CollectivePieces(unit: unit, counts: counts, displacements: displacements)
    }

    /// Decodes each rank's piece of `received`; this rank's own is `own`, not decoded again.
    internal func decodePieces<T: Decodable>(
        _ received: [UInt8], _ pieces: CollectivePieces, sizes: [Int], own: T, describing what: String
    ) throws -> [T] {
        try received.withUnsafeBytes { bytes in
            try (0..<size).map { source in
                if source == rank { return own }
                let start = pieces.displacements[source] * pieces.unit
                return try decodeObject(T.self, from: UnsafeRawBufferPointer(rebasing: bytes[start..<start + sizes[source]]),
                                        describing: "the object of \(sizes[source]) bytes \(what) from rank \(source)")
            }
        }
    }

    /// `bytes`, padded with zeros to `length` when it is shorter (a piece sent in whole large units).
    private func withPadded<R>(_ bytes: [UInt8], to length: Int, _ body: (UnsafeRawPointer?) throws -> R) rethrows -> R {
        if bytes.count >= length { return try bytes.withUnsafeBytes { try body($0.baseAddress) } }
        let padded = bytes + [UInt8](repeating: 0, count: length - bytes.count)
        return try padded.withUnsafeBytes { try body($0.baseAddress) }
    }

    /// MPI_BYTE, or a committed contiguous type of `unit` bytes (freed after `body`).
    private func withUnitType<R>(_ unit: Int, _ body: (DatatypeHandle) throws -> R) throws -> R {
        if unit == 1 { return try body(cmpi_byte()) }
        var type = cmpi_datatype_null()
        try MPIC.typeContiguous(CInt(unit), cmpi_byte(), &type)
        defer { MPIC.releasing { try MPIC.typeFree(&type) } }
        try MPIC.typeCommit(&type)
        return try body(type)
    }

    internal func otherRankFailed(_ other: Int, _ what: String, operation: StaticString) -> MPIError {
        MPIError(errorClass: .other, message: "rank \(other) \(what), so no rank received anything", operation: "\(operation)")
    }

    internal func refusedError(bytes: Int, what: String, at refusing: Int? = nil, operation: StaticString) -> MPIError {
        let who = refusing.map { $0 == rank ? "this rank" : "rank \($0)" } ?? "this rank"
        let size = bytes >= 0 ? "\(bytes) bytes of " : ""
        return MPIError(
            errorClass: .noMemory,
            message: "\(who) refused \(size)\(what): more than its MPI.receiveSizeLimit; nothing was allocated for them"
                + (refusing == nil || refusing == rank ? ". Raise MPI.receiveSizeLimit to accept them" : ""),
            operation: "\(operation)", argument: "MPI.receiveSizeLimit")
    }
}

/// How a v-collective lays out the ranks' pieces: in units of `unit` bytes.
internal struct CollectivePieces {
    let unit: Int
    let counts: [Int]
    let displacements: [Int]
    var counts32: [CInt] { counts.map { CInt($0) } }
    var displacements32: [CInt] { displacements.map { CInt($0) } }
    var totalBytes: Int { ((displacements.last ?? 0) + (counts.last ?? 0)) * unit }

    /// The pieces one after another, each at its displacement (padded to whole units).
    func concatenate(_ pieces: [[UInt8]]) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: totalBytes)
        buffer.withUnsafeMutableBytes { buffer in
            for (index, piece) in pieces.enumerated() where counts[index] > 0 {
                piece.withUnsafeBytes { buffer.baseAddress!.advanced(by: displacements[index] * unit).copyMemory(from: $0.baseAddress!, byteCount: piece.count) }
            }
        }
        return buffer
    }
}
