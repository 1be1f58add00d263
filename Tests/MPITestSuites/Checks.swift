import MPI
#if canImport(Glibc)
@_exported import Glibc
#endif

/// A failed check in a test program.
struct CheckFailure: Error, CustomStringConvertible {
    let description: String
}

/// Throws unless `condition` holds.
func check(
    _ condition: Bool, _ message: @autoclosure () -> String = "check failed",
    file: StaticString = #fileID, line: UInt = #line
) throws {
    guard condition else { throw CheckFailure(description: "\(file):\(line): \(message())") }
}

/// Runs `body`, which must throw an MPIError of class `errorClass`, naming
/// `argument` when given. Returns the error for further checks.
@discardableResult
func expectError(
    _ errorClass: MPIError.Class, argument: String? = nil,
    file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Void
) throws -> MPIError {
    do {
        try body()
    } catch let error as MPIError {
        try check(error.errorClass == errorClass,
                  "expected \(errorClass), got \(error.errorClass): \(error)", file: file, line: line)
        if let argument {
            try check(error.argument == argument,
                      "expected the error to name \(argument), got \(error.argument ?? "nil"): \(error)",
                      file: file, line: line)
            try check(error.message.contains(argument),
                      "message does not name \(argument): \(error.message)", file: file, line: line)
        }
        return error
    }
    throw CheckFailure(description: "\(file):\(line): expected an MPIError of class \(errorClass), nothing was thrown")
}

/// The communicators a case runs over: world, self and a duplicate of world.
func communicators(of world: Communicator) throws -> [Communicator] {
    [world, try Communicator.selfOnly, try world.duplicate()]
}

extension Communicator {
    var right: Int { (rank + 1) % size }
    var left: Int { (rank + size - 1) % size }

    /// Starts sending `buffer` to the right neighbour, runs `body` (which
    /// receives), then completes the send. A ring test cannot use a blocking
    /// send: at 1 rank the right neighbour is the sender itself, and MPI lets a
    /// blocking send wait for its matching receive (MPICH 4 does, even for 8
    /// bytes), which this rank has not posted yet.
    @discardableResult
    func sendingRight<Buffer: SendBuffer, R>(_ buffer: Buffer, tag: Int, _ body: () throws -> R) throws -> R {
        let send = try isend(buffer, to: right, tag: tag)
        let result = try body()
        try send.wait()
        return result
    }
}

/// Receives a 10-byte message from rank 0 with tag 2, then one with tag 1
/// into `target`, both in one wait-all; a failure of the second (a
/// truncation, for the suites that call this) must name `requests[1]`.
func receiveSecondInWaitAll(_ world: Communicator, into target: UnsafeMutableBufferPointer<UInt8>,
                            from source: Int = 0, what: String) throws {
    var small = [UInt8](repeating: 0, count: 10)
    var set = RequestSet<Status>()
    try small.withUnsafeMutableBufferPointer { smallBuffer in
        set.append(try world.ireceive(into: smallBuffer, from: source, tag: 2))
        set.append(try world.ireceive(into: target, from: source, tag: 1))
        do {
            try set.waitForAll()
        } catch let error as MPIError {
            try check(error.argument == "requests[1]", "\(what): the wait-all error names \(error.argument ?? "nil")")
            throw error
        }
    }
}
