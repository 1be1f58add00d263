import MPI

/// Every predefined operation on every element type it applies to, against
/// a serial reference; Swift operations, commutative and not (rank order,
/// case 23); MINLOC/MAXLOC ties (case 14); in-place forms (case 24).
func reductions(_ world: Communicator) throws {
    for comm in try communicators(of: world) {
        for count in smallCounts {
            try arithmetic(comm, Int8.self, count: count)
            try arithmetic(comm, Int16.self, count: count)
            try arithmetic(comm, Int32.self, count: count)
            try arithmetic(comm, Int64.self, count: count)
            try arithmetic(comm, Int.self, count: count)
            try arithmetic(comm, UInt8.self, count: count)
            try arithmetic(comm, UInt16.self, count: count)
            try arithmetic(comm, UInt32.self, count: count)
            try arithmetic(comm, UInt64.self, count: count)
            try arithmetic(comm, UInt.self, count: count)
            try arithmetic(comm, Float.self, count: count)
            try arithmetic(comm, Double.self, count: count)
            #if arch(x86_64) || arch(i386)
            try arithmetic(comm, Float80.self, count: count)
            #endif
            try bitwise(comm, Int8.self, count: count)
            try bitwise(comm, Int16.self, count: count)
            try bitwise(comm, Int32.self, count: count)
            try bitwise(comm, Int64.self, count: count)
            try bitwise(comm, Int.self, count: count)
            try bitwise(comm, UInt8.self, count: count)
            try bitwise(comm, UInt16.self, count: count)
            try bitwise(comm, UInt32.self, count: count)
            try bitwise(comm, UInt64.self, count: count)
            try bitwise(comm, UInt.self, count: count)
            try logical(comm, count: count)
            try locations(comm, Int16.self, count: count)
            try locations(comm, Int32.self, count: count)
            try locations(comm, Int.self, count: count)
            try locations(comm, Float.self, count: count)
            try locations(comm, Double.self, count: count)
            #if arch(x86_64) || arch(i386)
            try locations(comm, Float80.self, count: count)
            #endif
            try swiftOperations(comm, count: count)
        }
        // At least 1 MiB: every form with MPI_SUM, and every kind of
        // operation with reduce and all-reduce.
        try arithmetic(comm, Int64.self, count: largeCount, everyForm: false)
        try bitwise(comm, UInt64.self, count: largeCount, everyForm: false)
        try logical(comm, count: largeCount * 8, everyForm: false)
        try locations(comm, Double.self, count: largeCount / 2, everyForm: false)
        try swiftOperations(comm, count: largeCount / 4, everyForm: false)
        try comm.barrier()
    }
    for count in [1, 64, 1_000] {
        try overflowingArithmetic(world, Int8.self, count: count)
        try overflowingArithmetic(world, Int16.self, count: count)
        try overflowingArithmetic(world, Int32.self, count: count)
        try overflowingArithmetic(world, Int64.self, count: count)
        try overflowingArithmetic(world, UInt8.self, count: count)
        try overflowingArithmetic(world, UInt16.self, count: count)
        try overflowingArithmetic(world, UInt32.self, count: count)
        try overflowingArithmetic(world, UInt64.self, count: count)
    }
}

/// Sums and products that overflow wrap around, as C's arithmetic does (Open
/// MPI 4.1's vectorized MPI_SUM saturates 8- and 16-bit integers instead,
/// which the library works around); in every form, at counts long enough for
/// the vector path.
func overflowingArithmetic<T: TestValue & FixedWidthInteger>(_ comm: Communicator, _ type: T.Type, count: Int) throws {
    let large = { (rank: Int) in (0..<count).map { T.max - T(truncatingIfNeeded: ($0 + rank) % 7) } }
    try checkReduction(comm, "overflowing sum", .sum, inputs: large, combine: &+)
    try checkReduction(comm, "overflowing product", .product, inputs: large, combine: &*)
    // Extremes across the sign bit: a signed comparison gets unsigned ones
    // wrong (MPICH 4.0.2 does that; the library works around it).
    let acrossSignBit = { (rank: Int) in
        (0..<count).map { index in (rank + index) % 2 == 0 ? T.max - T(truncatingIfNeeded: index % 5) : T(truncatingIfNeeded: rank + 1) }
    }
    try checkReduction(comm, "max across the sign bit", .max, inputs: acrossSignBit, combine: { Swift.max($0, $1) })
    try checkReduction(comm, "min across the sign bit", .min, inputs: acrossSignBit, combine: { Swift.min($0, $1) })
}

/// Checks one operation in every form: reduce (to two roots), all-reduce,
/// reduce-scatter (block and vector), inclusive and exclusive scan, with
/// their `into:` and in-place forms.
func checkReduction<T: TestValue>(
    _ comm: Communicator, _ name: String, _ operation: ReductionOperation<T>,
    inputs makeInputs: (Int) -> [T], combine: (T, T) -> T, everyForm: Bool = true
) throws {
    let rank = comm.rank, size = comm.size
    let everyonesInputs = (0..<size).map(makeInputs)
    func inputs(_ peer: Int) -> [T] { everyonesInputs[peer] }
    let mine = inputs(rank)
    let count = mine.count
    let what = "\(name) on \(T.self) x \(count) at \(size) ranks"
    // result[i] = v0[i] ∘ v1[i] ∘ ... in rank order, the order MPI promises.
    func fold(_ ranks: Range<Int>) -> [T]? {
        guard let first = ranks.first else { return nil }
        return ranks.dropFirst().reduce(inputs(first)) { partial, next in zip(partial, inputs(next)).map(combine) }
    }
    let total = fold(0..<size)!
    guard everyForm else {
        try check(try comm.allReduce(mine, operation) == total, "allReduce \(what)")
        let reduced = try comm.reduce(mine, operation, root: 0)
        try check(rank == 0 ? reduced == total : reduced.isEmpty, "reduce \(what)")
        return
    }

    for root in Set([0, size - 1]).sorted() {
        let reduced = try comm.reduce(mine, operation, root: root)
        try check(rank == root ? reduced == total : reduced.isEmpty, "reduce \(what)")
        var inPlace = mine
        try comm.reduce(inPlace: &inPlace, operation, root: root)       // case 24
        try check(rank == root ? inPlace == total : inPlace == mine, "reduce in place \(what)")
    }
    try check(try comm.allReduce(mine, operation) == total, "allReduce \(what)")
    var into = makeInputs(rank + 1)
    try comm.allReduce(mine, into: &into, operation)
    try check(into == total, "allReduce into \(what)")
    var inPlace = mine
    try comm.allReduce(inPlace: &inPlace, operation)                   // case 24
    try check(inPlace == total, "allReduce in place \(what)")

    // Reduce-scatter: every rank sends `size` copies of its input, so every
    // block of the result is the total.
    let blocks = Array((0..<size).map { _ in mine }.joined())
    if count > 0 {
        try check(try comm.reduceScatter(blocks, operation) == total, "reduceScatter block \(what)")
        var scattered = blocks
        try comm.reduceScatter(inPlace: &scattered, operation)
        try check(Array(scattered.prefix(count)) == total, "reduceScatter in place \(what)")
    }
    // Vector form: rank i gets i % 3 elements of a vector built from the inputs.
    if count > 0 {
        let counts = (0..<size).map { $0 % 3 }
        let total = counts.reduce(0, +)
        func vector(_ peer: Int) -> [T] { (0..<total).map { inputs(peer)[$0 % count] } }
        let vectorTotal = (1..<size).reduce(vector(0)) { zip($0, vector($1)).map(combine) }
        let start = counts.prefix(rank).reduce(0, +)
        try check(try comm.reduceScatter(vector(rank), counts: counts, operation)
                    == Array(vectorTotal[start..<(start + counts[rank])]), "reduceScatter vector \(what)")
    } else {
        let none = try comm.reduceScatter([T](), counts: Array(repeating: 0, count: size), operation)
        try check(none.isEmpty, "reduceScatter of nothing \(what)")
    }

    // Scans.
    let inclusivePrefix = fold(0..<(rank + 1))!
    let exclusivePrefix = fold(0..<rank)
    try check(try comm.scan(mine, operation) == inclusivePrefix, "scan \(what)")
    var scanned = mine
    try comm.scan(inPlace: &scanned, operation)
    try check(scanned == inclusivePrefix, "scan in place \(what)")
    let exclusive = try comm.exclusiveScan(mine, operation)
    try check(rank == 0 ? exclusive.isEmpty : exclusive == exclusivePrefix, "exclusive scan \(what)")
    var exclusiveInPlace = mine
    try comm.exclusiveScan(inPlace: &exclusiveInPlace, operation)
    if rank > 0 { try check(exclusiveInPlace == exclusivePrefix, "exclusive scan in place \(what)") }
    // Into caller buffers: an array, and a slice of a longer one (its
    // neighbours stay untouched).
    var exclusiveInto = mine
    try comm.exclusiveScan(mine, into: &exclusiveInto, operation)
    if rank > 0 { try check(exclusiveInto == exclusivePrefix, "exclusive scan into \(what)") }
    var padded = [mine.first ?? mine.last].compactMap { $0 } + mine + [mine.first ?? mine.last].compactMap { $0 }
    let edges = (padded.first, padded.last)
    var inner = padded[padded.startIndex + (mine.isEmpty ? 0 : 1)..<padded.endIndex - (mine.isEmpty ? 0 : 1)]
    try comm.exclusiveScan(mine, into: &inner, operation)
    if rank > 0 { try check(Array(inner) == exclusivePrefix, "exclusive scan into a slice \(what)") }
    padded.replaceSubrange(padded.startIndex + (mine.isEmpty ? 0 : 1)..<padded.endIndex - (mine.isEmpty ? 0 : 1), with: inner)
    try check(padded.first == edges.0 && padded.last == edges.1, "exclusive scan into a slice stays inside \(what)")
    var scannedInto = mine
    try comm.scan(mine, into: &scannedInto, operation)
    try check(scannedInto == inclusivePrefix, "scan into \(what)")
}

func arithmetic<T: TestValue & Numeric & Comparable>(
    _ comm: Communicator, _ type: T.Type, count: Int, everyForm: Bool = true
) throws {
    let values = { (rank: Int) in contribution(T.self, rank: rank, count: count) }
    try checkReduction(comm, "sum", .sum, inputs: values, combine: +)
    try checkReduction(comm, "min", .min, inputs: values, combine: { Swift.min($0, $1) }, everyForm: everyForm)
    try checkReduction(comm, "max", .max, inputs: values, combine: { Swift.max($0, $1) }, everyForm: everyForm)
    if count <= 1_000 {
        try checkReduction(comm, "product", .product, inputs: { factors(T.self, rank: $0, count: count) }, combine: *)
    }
}

func bitwise<T: TestValue & FixedWidthInteger>(
    _ comm: Communicator, _ type: T.Type, count: Int, everyForm: Bool = true
) throws {
    let values = { (rank: Int) in contribution(T.self, rank: rank, count: count) }
    try checkReduction(comm, "bitwiseAnd", .bitwiseAnd, inputs: values, combine: &, everyForm: everyForm)
    try checkReduction(comm, "bitwiseOr", .bitwiseOr, inputs: values, combine: |, everyForm: everyForm)
    try checkReduction(comm, "bitwiseXor", .bitwiseXor, inputs: values, combine: ^, everyForm: everyForm)
}

func logical(_ comm: Communicator, count: Int, everyForm: Bool = true) throws {
    let values = { (rank: Int) in contribution(Bool.self, rank: rank, count: count) }
    try checkReduction(comm, "logicalAnd", .logicalAnd, inputs: values, combine: { $0 && $1 }, everyForm: everyForm)
    try checkReduction(comm, "logicalOr", .logicalOr, inputs: values, combine: { $0 || $1 }, everyForm: everyForm)
    try checkReduction(comm, "logicalXor", .logicalXor, inputs: values, combine: { $0 != $1 }, everyForm: everyForm)
}

/// MINLOC and MAXLOC; every even element ties on all ranks, and the tie goes
/// to the lowest rank (case 14).
func locations<V: LocatableValue & TestValue>(
    _ comm: Communicator, _ type: V.Type, count: Int, everyForm: Bool = true
) throws {
    let inputs = { (rank: Int) in
        (0..<count).map { index in
            ValueAndRank(value: index % 2 == 0 ? V.make(42) : V.make(index * 13 + rank * 7), rank: rank)
        }
    }
    func pick(_ better: @escaping (V, V) -> Bool) -> (ValueAndRank<V>, ValueAndRank<V>) -> ValueAndRank<V> {
        { a, b in
            if better(a.value, b.value) { return a }
            if better(b.value, a.value) { return b }
            return a.rank <= b.rank ? a : b
        }
    }
    try checkReduction(comm, "minLoc", .minLoc, inputs: inputs, combine: pick(<), everyForm: everyForm)
    try checkReduction(comm, "maxLoc", .maxLoc, inputs: inputs, combine: pick(>), everyForm: everyForm)
    if count > 0 && comm.size > 1 {
        let tie = try comm.allReduce(ValueAndRank(value: V.make(42), rank: comm.rank), .minLoc)
        try check(tie.rank == 0, "MINLOC tie went to rank \(tie.rank)")
        let maxTie = try comm.allReduce(ValueAndRank(value: V.make(42), rank: comm.size - 1 - comm.rank), .maxLoc)
        try check(maxTie.rank == 0, "MAXLOC tie went to index \(maxTie.rank)")
    }
}

/// An affine map x -> a*x + b, packed in an Int64, composed in rank order:
/// associative, not commutative, so a wrong order gives a wrong answer.
func compose(_ first: Int64, _ second: Int64) -> Int64 {
    let (a1, b1) = (first >> 32, first & 0xFFFF_FFFF)
    let (a2, b2) = (second >> 32, second & 0xFFFF_FFFF)
    // (second ∘ first)(x) = a2 * (a1 x + b1) + b2, kept small modulo 2^31.
    return ((a1 * a2) % 1_000_003) << 32 | ((a2 * b1 + b2) % 2_147_483_647)
}

/// Swift operations: commutative over several types, and non-commutative
/// ones whose result depends on rank order (case 23).
func swiftOperations(_ comm: Communicator, count: Int, everyForm: Bool = true) throws {
    try checkReduction(comm, "custom max", .custom(commutative: true) { Swift.max($0, $1) },
                       inputs: { contribution(Double.self, rank: $0, count: count) }, combine: { Swift.max($0, $1) }, everyForm: everyForm)
    try checkReduction(comm, "custom or", .custom(commutative: true) { $0 || $1 },
                       inputs: { contribution(Bool.self, rank: $0, count: count) }, combine: { $0 || $1 }, everyForm: everyForm)
    try checkReduction(comm, "custom sum", .custom(commutative: true) { $0 &+ $1 },
                       inputs: { contribution(Int32.self, rank: $0, count: count) }, combine: { $0 &+ $1 }, everyForm: everyForm)
    // Non-commutative: composition of affine maps, and the two projections.
    let maps = { (rank: Int) in
        (0..<count).map { index -> Int64 in
            let slope = Int64(2 + (rank + index) % 3)
            let offset = Int64(rank * 10 + index % 7 + 1)
            return slope << 32 | offset
        }
    }
    try checkReduction(comm, "affine composition", .custom(commutative: false, compose), inputs: maps, combine: compose, everyForm: everyForm)
    try checkReduction(comm, "left projection", .custom(commutative: false) { a, _ in a },
                       inputs: { contribution(Int.self, rank: $0, count: count) }, combine: { a, _ in a }, everyForm: everyForm)
    try checkReduction(comm, "right projection", .custom(commutative: false) { _, b in b },
                       inputs: { contribution(UInt16.self, rank: $0, count: count) }, combine: { _, b in b }, everyForm: everyForm)
    // The first smallest value: ties keep the lower rank's pair.
    let firstMinimum: (ValueAndRank<Double>, ValueAndRank<Double>) -> ValueAndRank<Double> = { a, b in
        a.value <= b.value ? a : b
    }
    let pairs = { (rank: Int) -> [ValueAndRank<Double>] in
        (0..<count).map { ValueAndRank(value: Double($0 % 3), rank: rank) }
    }
    try checkReduction(comm, "custom minloc", .custom(commutative: false, firstMinimum), inputs: pairs, combine: firstMinimum, everyForm: everyForm)
}
