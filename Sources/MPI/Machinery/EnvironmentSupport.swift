import CMPI

// What MPI.run and the environment queries use: reporting a rank's error,
// reading MPI_TAG_UB, and MPI's C strings.

extension MPI {
    /// Prints `error` with the rank that threw it and aborts the job.
    internal static func abortJob(reportingError error: any Error, from world: Communicator) -> Never {
        printToStandardError("swift-mpi: rank \(world.rank) of \(world.size) threw: \(error)")
        abort(exitCode: 1)
    }

    /// MPI_TAG_UB of this job (MPI guarantees at least 32767).
    internal static func readTagUpperBound() throws -> Int {
        var value: UnsafeMutableRawPointer? = nil
        var found: CInt = 0
        try withUnsafeMutablePointer(to: &value) { pointer in
            try MPIC.commGetAttr(cmpi_comm_world(), cmpi_tag_ub(), pointer, &found)
        }
        // The attribute value is a pointer to an int (MPI 3.1, section 8.1.2).
        guard found != 0, let value else { return 32767 }
        return Int(value.load(as: CInt.self))
    }

    /// A string MPI wrote into `buffer` (`length` characters).
    internal static func string(from buffer: [CChar], length: CInt) -> String {
        let count = max(0, min(Int(length), buffer.count))
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
