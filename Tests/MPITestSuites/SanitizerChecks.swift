import MPI

// Controls for `make test-asan` and `make test-tsan` (Tests/Sanitizers): each
// commits one bug on purpose, in this program's own code, which the sanitizer
// must report. They show that the sanitizer is really in the program (a
// replaced malloc once kept it out), and that the suppressions, scoped to
// Open MPI's libraries, do not hide bugs in Swift code. They refuse to run in
// a build without the sanitizer. `make test` does not run them.

/// Reads one element past the end of a heap allocation.
func sanitizerCheckOverflow(_ world: Communicator) throws {
    try requireSanitizer("__asan_init", "AddressSanitizer")
    let elements = UnsafeMutablePointer<Int>.allocate(capacity: 4)
    elements.initialize(repeating: world.rank, count: 4)
    defer { elements.deallocate() }
    print("sanitizer-check-overflow: rank \(world.rank) read \(elements[4])")
}

/// Allocates memory and drops the only pointer to it.
func sanitizerCheckLeak(_ world: Communicator) throws {
    try requireSanitizer("__lsan_do_leak_check", "LeakSanitizer")
    leakOnPurpose(bytes: 4_096 + world.rank)
}

@inline(never)
func leakOnPurpose(bytes: Int) {
    let leaked = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
    leaked.initializeMemory(as: UInt8.self, repeating: 1, count: bytes)
}

/// Two threads increment a counter without synchronization.
func sanitizerCheckRace(_ world: Communicator) throws {
    try requireSanitizer("__tsan_init", "ThreadSanitizer")
    let counter = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    counter.initialize(to: 0)
    defer { counter.deallocate() }
    let shared = UncheckedPointer(pointer: counter)
    try runOnThreads(2) { _ in
        for _ in 0..<1_000 { shared.pointer.pointee += 1 }
    }
    print("sanitizer-check-race: rank \(world.rank) counted \(counter.pointee)")
}

private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
}

private func requireSanitizer(_ symbol: String, _ name: String) throws {
    try check(dlsym(UnsafeMutableRawPointer(bitPattern: 0), symbol) != nil,
              "this build has no \(name) (build with -sanitize=...)")
}
