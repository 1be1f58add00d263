import CMPI

// Argument checks for collectives.
//
// Local checks (an element type whose datatype does not match its layout, a
// root outside the communicator, counts arrays of the wrong length, negative
// counts, displacements that overlap or run past a buffer, a root buffer that
// does not divide evenly) cost nothing and always run.
// Some mistakes are visible only across ranks: ranks passing different counts,
// roots or element types, or calling different collectives, which MPI does
// not detect. Open MPI 4.1.4 then writes past the receiving rank's buffer (from
// its eager limit up: 4 KiB over shared memory, 64 KiB over TCP), overruns its
// own reduction buffers, hangs, or leaves a message that the next collective
// receives. When `MPI.verifiesCollectiveArguments` is on, every collective on
// more than one rank first compares them (and every rank's local verdict) in
// one MPI_Allreduce of seven integers, so that all ranks throw together.
//
// We found no cheaper guard that is safe: any guard costs one more small
// collective, which is as much again as a small collective; and a guard used
// only for large messages would make ranks that disagree on the size disagree
// on whether to guard, and wait in different collectives. So it stays off in
// release builds (the README lists what can go wrong without it). The
// agreement itself is in CollectiveAgreement.swift.

extension Communicator {
    /// A root rank of this communicator.
    @inlinable @inline(__always)
    internal func checkedRoot(_ root: Int, operation: StaticString) throws -> CInt {
        if _fastPath(root >= 0 && root < size) { return CInt(truncatingIfNeeded: root) }
        throw rootError(root, operation: operation)
    }

    @usableFromInline @inline(never)
    internal func rootError(_ root: Int, operation: StaticString) -> MPIError {
        MPIError.invalidArgument("root", root, "must be a rank in 0..<\(size)", errorClass: .root, operation: operation)
    }

    /// Per-rank counts: one for each rank, none negative or beyond Int32.max.
    internal func checkedCounts(_ counts: [Int], _ name: String, operation: StaticString) throws -> [CInt] {
        guard counts.count == size else {
            throw MPIError.invalidArgument(name, counts, "must have one count for each of the \(size) ranks, not \(counts.count)",
                                           errorClass: .count, operation: operation)
        }
        return try counts.enumerated().map { rank, count in
            try checkedCount(count, "\(name)[\(rank)]", operation: operation)
        }
    }

    /// Displacements for `counts` within a buffer of `bufferCount` elements:
    /// the blocks must lie inside the buffer and must not overlap (MPI forbids
    /// reading or writing a location twice). `nil` lays the blocks end to end.
    internal func checkedDisplacements(
        _ displacements: [Int]?, _ name: String, counts: [CInt], countsName: String,
        bufferCount: Int, bufferName: String, operation: StaticString
    ) throws -> [CInt] {
        guard let displacements else {
            var offset = 0
            let packed = counts.map { count -> Int in defer { offset += Int(count) }; return offset }
            guard offset <= bufferCount else {
                throw MPIError.invalidArgument(bufferName, "of \(bufferCount) elements",
                    "is too small for \(countsName), which add up to \(offset)", errorClass: .count, operation: operation)
            }
            return try packed.map { try checkedCount($0, name, operation: operation) }
        }
        guard displacements.count == size else {
            throw MPIError.invalidArgument(name, displacements,
                "must have one displacement for each of the \(size) ranks, not \(displacements.count)",
                errorClass: .argument, operation: operation)
        }
        for (rank, start) in displacements.enumerated() {
            let end = start + Int(counts[rank])
            guard start >= 0, end <= bufferCount else {
                throw MPIError.invalidArgument("\(name)[\(rank)]", start,
                    "with \(countsName)[\(rank)] = \(counts[rank]) runs outside \(bufferName) of \(bufferCount) elements",
                    errorClass: .argument, operation: operation)
            }
        }
        let blocks = (0..<size).filter { counts[$0] > 0 }.sorted { displacements[$0] < displacements[$1] }
        for (earlier, later) in zip(blocks, blocks.dropFirst())
        where displacements[earlier] + Int(counts[earlier]) > displacements[later] {
            throw MPIError.invalidArgument(name, displacements,
                "blocks of ranks \(earlier) and \(later) overlap (\(countsName)[\(earlier)] = \(counts[earlier]) "
                    + "from \(displacements[earlier]), \(countsName)[\(later)] = \(counts[later]) from \(displacements[later]))",
                errorClass: .argument, operation: operation)
        }
        return try displacements.enumerated().map { try checkedCount($1, "\(name)[\($0)]", operation: operation) }
    }
}

/// Runs a collective's local argument checks and returns their results, or
/// `fallback` and the error, which `agree` reports once the ranks have
/// compared notes. (Results are returned as constants, not assigned to
/// variables captured later, so that nothing is boxed on the heap.)
@inlinable @inline(__always)
internal func validating<Arguments>(_ fallback: Arguments, _ checks: () throws -> Arguments) -> (Arguments, MPIError?) {
    do {
        return (try checks(), nil)
    } catch let error as MPIError {
        return (fallback, error)
    } catch {
        return (fallback, MPIError(errorClass: .argument, message: "\(error)", operation: "argument check"))
    }
}

/// A buffer size a collective requires, checked before MPI sees it.
@usableFromInline
internal struct BufferRequirement {
    /// What the buffer is called in the error, e.g. "send count".
    @usableFromInline let name: StaticString
    @usableFromInline let actual: Int
    @usableFromInline let expected: Int
    /// Why `expected`, e.g. "count * size"; nil for "a multiple of size".
    @usableFromInline let rule: StaticString?
    /// Whether the requirement holds only at the root.
    @usableFromInline let atRootOnly: Bool

    /// `actual` must equal `expected`, as `rule` says.
    @inlinable
    init(_ name: StaticString, _ actual: Int, mustBe expected: Int, _ rule: StaticString, atRootOnly: Bool = false) {
        self.name = name
        self.actual = actual
        self.expected = expected
        self.rule = rule
        self.atRootOnly = atRootOnly
    }

    /// `actual` must divide evenly among `size` ranks.
    @inlinable
    init(_ name: StaticString, _ actual: Int, dividingAmong size: Int, atRootOnly: Bool = false) {
        self.name = name
        self.actual = actual
        self.expected = actual / size * size
        self.rule = nil
        self.atRootOnly = atRootOnly
    }
}

extension Communicator {
    /// The C arguments of a collective moving `count` elements per rank,
    /// checked here and (when verifying) agreed on by every rank.
    /// - Parameters:
    ///   - root: the root rank, for rooted collectives.
    ///   - count: the per-rank count every rank must pass alike.
    ///   - buffers: buffer sizes that must match `count`.
    ///   - largeCount: whether the caller handles counts beyond Int32.max (in
    ///     chunks or with a derived type); the returned count is then clamped
    ///     to Int32.max and the caller uses `count` itself.
    @inlinable @inline(__always)
    internal func collectiveArguments<Element: MPIElement>(
        _ element: Element.Type, root: Int?, count: Int, _ first: BufferRequirement? = nil,
        _ second: BufferRequirement? = nil, largeCount: Bool = false, operation: StaticString
    ) throws -> (root: CInt, count: CInt) {
        guard _slowPath(MPI.verifiesCollectiveArguments && size > 1) else {
            // No agreement to reach: the first local failure throws.
            return try localCollectiveArguments(Element.self, root: root, count: count, first, second,
                                                largeCount: largeCount, operation: operation)
        }
        return try agreedCollectiveArguments(Element.self, root: root, count: count, first, second,
                                             largeCount: largeCount, operation: operation)
    }

    @inlinable @inline(__always)
    internal func localCollectiveArguments<Element: MPIElement>(
        _ element: Element.Type, root: Int?, count: Int, _ first: BufferRequirement?,
        _ second: BufferRequirement?, largeCount: Bool, operation: StaticString
    ) throws -> (root: CInt, count: CInt) {
        _ = try Element.checkedDatatype(operation)
        let root32 = try root.map { try checkedRoot($0, operation: operation) } ?? 0
        let count32 = largeCount ? CInt(clamping: try checkedElementCount(count, operation: operation))
            : try checkedCount(count, operation: operation)
        try check(first, operation: operation)
        try check(second, operation: operation)
        return (root32, count32)
    }

    /// The same checks, then the agreement of every rank (which reports any
    /// rank's failure on all of them).
    @usableFromInline
    internal func agreedCollectiveArguments<Element: MPIElement>(
        _ element: Element.Type, root: Int?, count: Int, _ first: BufferRequirement?,
        _ second: BufferRequirement?, largeCount: Bool, operation: StaticString
    ) throws -> (root: CInt, count: CInt) {
        let (arguments, failure) = validating((0, 0) as (CInt, CInt)) {
            try localCollectiveArguments(Element.self, root: root, count: count, first, second,
                                         largeCount: largeCount, operation: operation)
        }
        try agree(failure, signature(operation, Element.self, root: root, count: count),
                  shared: (root.map { [("root", $0)] } ?? []) + [("count", count)], operation: operation)
        return (root: arguments.0, count: arguments.1)
    }

    /// The signature of a collective with a root (or none) and a count.
    @inlinable
    internal func signature<Element>(
        _ operation: StaticString, _ element: Element.Type, root: Int?, count: Int
    ) -> CollectiveSignature {
        var signature = CollectiveSignature(operation, elementStride: MemoryLayout<Element>.stride)
        if let root { signature.mix(root) }
        signature.mix(count)
        return signature
    }

    /// The signature of a v-collective: the values `sharedVector` lists, in order.
    internal func vectorSignature<Element>(
        _ operation: StaticString, _ element: Element.Type, root: Int?, counts: [Int], displacements: [Int]?
    ) -> CollectiveSignature {
        var signature = CollectiveSignature(operation, elementStride: MemoryLayout<Element>.stride)
        if let root { signature.mix(root) }
        for rank in 0..<size { signature.mix(counts.indices.contains(rank) ? counts[rank] : -1) }
        if let displacements {
            for rank in 0..<size { signature.mix(displacements.indices.contains(rank) ? displacements[rank] : -1) }
        }
        return signature
    }

    @inlinable @inline(__always)
    internal func check(_ requirement: BufferRequirement?, operation: StaticString) throws {
        guard let requirement, _slowPath(requirement.actual != requirement.expected) else { return }
        try reject(requirement, operation: operation)
    }

    @usableFromInline
    internal func reject(_ requirement: BufferRequirement, operation: StaticString) throws {
        let where_ = requirement.atRootOnly ? " at the root" : ""
        let reason = requirement.rule.map { "must be \($0) = \(requirement.expected)\(where_)" }
            ?? "must divide evenly among \(size) ranks\(where_)"
        throw MPIError.invalidArgument("\(requirement.name)", requirement.actual, reason, errorClass: .count, operation: operation)
    }

    /// The C arguments of a v-collective: per-rank counts and displacements
    /// into a buffer of `bufferCount` elements, checked here and (when
    /// verifying) agreed on by every rank.
    /// - Parameters:
    ///   - ownCount: this rank's own buffer count, which must equal `counts[rank]`.
    ///   - displacementsHere: whether displacements matter on this rank (only at
    ///     the root for scatterv and gatherv); elsewhere `counts` stand in.
    ///   - sharedDisplacements: whether every rank must pass the same displacements.
    internal func vectorArguments<Element: MPIElement>(
        _ element: Element.Type, root: Int?, counts: [Int], displacements: [Int]?, bufferCount: Int,
        bufferName: String, ownCount: Int?, ownName: String = "send", displacementsHere: Bool,
        sharedDisplacements: Bool = false, _ requirement: BufferRequirement? = nil, operation: StaticString
    ) throws -> (root: CInt, counts: [CInt], displacements: [CInt]) {
        let (arguments, failure) = validating((0, [], []) as (CInt, [CInt], [CInt])) {
            _ = try Element.checkedDatatype(operation)
            let root32 = try root.map { try checkedRoot($0, operation: operation) } ?? 0
            let counts32 = try checkedCounts(counts, "counts", operation: operation)
            if let ownCount { try checkOwnCount(ownCount, counts: counts, name: ownName, operation: operation) }
            try check(requirement, operation: operation)
            let displacements32 = displacementsHere
                ? try checkedDisplacements(displacements, "displacements", counts: counts32, countsName: "counts",
                                           bufferCount: bufferCount, bufferName: bufferName, operation: operation)
                : counts32
            return (root32, counts32, displacements32)
        }
        try agree(failure,
                  vectorSignature(operation, Element.self, root: root, counts: counts,
                                  displacements: sharedDisplacements ? (displacements ?? packedDisplacements(counts)) : nil),
                  shared: (root.map { [("root", $0)] } ?? []) + sharedVector(counts, "counts")
                    + (sharedDisplacements ? sharedVector(displacements ?? packedDisplacements(counts), "displacements") : []),
                  operation: operation)
        return (root: arguments.0, counts: arguments.1, displacements: arguments.2)
    }

    /// The C arguments of an all-to-all-v, checked here and (when verifying)
    /// matched pairwise across ranks.
    internal func allToAllvArguments<Element: MPIElement>(
        _ element: Element.Type, sendCounts: [Int], sendDisplacements: [Int]?, sendBufferCount: Int,
        receiveCounts: [Int], receiveDisplacements: [Int]?, receiveBufferCount: Int, operation: StaticString
    ) throws -> (sendCounts: [CInt], sendDisplacements: [CInt], receiveCounts: [CInt], receiveDisplacements: [CInt]) {
        let (arguments, failure) = validating(([], [], [], []) as ([CInt], [CInt], [CInt], [CInt])) {
            _ = try Element.checkedDatatype(operation)
            let sendCounts32 = try checkedCounts(sendCounts, "sendCounts", operation: operation)
            let receiveCounts32 = try checkedCounts(receiveCounts, "receiveCounts", operation: operation)
            let sendDisplacements32 = try checkedDisplacements(
                sendDisplacements, "sendDisplacements", counts: sendCounts32, countsName: "sendCounts",
                bufferCount: sendBufferCount, bufferName: "send", operation: operation)
            let receiveDisplacements32 = try checkedDisplacements(
                receiveDisplacements, "receiveDisplacements", counts: receiveCounts32, countsName: "receiveCounts",
                bufferCount: receiveBufferCount, bufferName: "the result", operation: operation)
            return (sendCounts32, sendDisplacements32, receiveCounts32, receiveDisplacements32)
        }
        try agree(failure, CollectiveSignature(operation, elementStride: MemoryLayout<Element>.stride), shared: [],
                  operation: operation)
        if MPI.verifiesCollectiveArguments {
            try verifyPairwiseCounts(arguments.0, arguments.2, operation: operation)
        }
        return arguments
    }
}
