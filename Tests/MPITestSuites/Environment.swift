import MPI

/// Initialization, queries, and calls before and after the environment:
/// run without MPI.run, at any rank count.
func environmentOutsideRun() throws {
    try check(!MPI.isInitialized && !MPI.isFinalized, "state before init")
    try expectError(.other) { _ = try Communicator.world }
    try expectError(.other) { _ = try MPI.wallTime() }
    try check(MPI.standardVersion.major >= 3, "standard version \(MPI.standardVersion)")
    try check(!MPI.libraryVersion.isEmpty, "library version")

    let world = try MPI.initialize(threadLevel: .funneled)
    try check(MPI.isInitialized && !MPI.isFinalized, "state after init")
    try check(try MPI.providedThreadLevel() >= .single, "thread level")
    try expectError(.other) { try MPI.initialize() }
    try check(!(try MPI.processorName()).isEmpty, "processor name")
    let start = try MPI.wallTime()
    try check(try MPI.wallTime() >= start && (try MPI.wallTimeResolution()) > 0, "wall time")
    try check(world.size >= 1 && (0..<world.size).contains(world.rank), "rank and size")
    let rank = world.rank, size = world.size
    let copy = try world.duplicate()
    try world.barrier()
    try MPI.finalize()

    try check(MPI.isFinalized, "state after finalize")
    // Using MPI after finalization is a thrown error, not a crash.
    try expectError(.other) { try world.send([1], to: 0) }
    try expectError(.other) { try copy.barrier() }
    try expectError(.other) { _ = try copy.duplicate() }
    // Scans reach MPI through the same checked call as every collective.
    var prefix = [1]
    try expectError(.other) { _ = try world.scan(1, .sum) }
    try expectError(.other) { _ = try world.exclusiveScan([1], .sum) }
    try expectError(.other) { try world.exclusiveScan([1], into: &prefix, .sum) }
    try expectError(.other) { try world.scan(inPlace: &prefix, .sum) }
    try expectError(.other) { _ = try world.iexclusiveScan([1], .sum) }
    try expectError(.other) { _ = try world.isend([1], to: 0) }
    try expectError(.other) { try MPI.initialize() }
    if rank == 0 { print("passed: environment at \(size) ranks") }
}
