import MPI

/// Initialization at each thread level, reporting the level
/// MPI provided. Every level exchanges around the ring from the main thread;
/// at `.serialized` and above, the same exchange also runs on another thread
/// (one thread calls MPI at a time: the main thread waits for it). Several
/// threads calling at once, under `.multiple`, is the `threads` suite.
func threadLevel(_ world: Communicator, requested: ThreadLevel) throws {
    let provided = try MPI.providedThreadLevel()
    if world.rank == 0 { print("thread level: requested \(requested), provided \(provided)") }
    // MPI may provide less than asked (or more); both MPIs here, built with
    // thread support, provide exactly the level asked for.
    try check(provided == requested, "requested \(requested), MPI provided \(provided)")

    try ringExchange(world, tag: 1, label: "main thread")
    guard provided >= .serialized else { return }
    try runOnThreads(1) { _ in try ringExchange(world, tag: 2, label: "second thread") }
    try ringExchange(world, tag: 3, label: "main thread after the second")
}

/// Passes this rank's number around the ring and checks what arrives.
private func ringExchange(_ world: Communicator, tag: Int, label: String) throws {
    let received: [Int] = try world.sendingRight([world.rank, tag], tag: tag) {
        try world.receive(from: world.left, tag: tag)
    }
    try check(received == [world.left, tag], "\(label): received \(received) from rank \(world.left)")
}
