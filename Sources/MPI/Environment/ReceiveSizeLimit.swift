import Synchronization

// A peer decides how large a message is. Receives that allocate memory for
// whatever arrives (those returning a new array) first compare the announced
// size with this limit, so that a broken or hostile peer cannot make a rank
// allocate, say, a terabyte.

extension MPI {
    /// The largest message, in bytes, that a receive returning a new array
    /// accepts: `receive(_:from:tag:)`, `receiveWithStatus`, the array form of
    /// `sendReceive`, and `Message.receive()`. 4 GiB unless set with
    /// ``setReceiveSizeLimit(_:)``.
    ///
    /// A larger message is received and discarded without allocating memory
    /// for it, and the receive throws ``MPIError`` of class `.noMemory` that
    /// names this setting, the size, the sender and the tag. Receives into a
    /// buffer you pass are bounded by that buffer instead.
    ///
    /// No MPI call (the receives read the size with MPI_Get_count, or
    /// MPI_Get_elements_x beyond Int32.max bytes, from the probed status).
    public static var receiveSizeLimit: Int {
        receiveSizeLimitStorage.load(ordering: .relaxed)
    }

    /// Sets ``receiveSizeLimit``, for the whole process; safe from any thread.
    ///
    /// No MPI call.
    /// - Parameter bytes: the largest message to accept, 0 or more.
    public static func setReceiveSizeLimit(_ bytes: Int) throws {
        guard bytes >= 0 else {
            throw MPIError.invalidArgument("bytes", bytes, "must not be negative", errorClass: .argument,
                                           operation: "MPI.setReceiveSizeLimit")
        }
        receiveSizeLimitStorage.store(bytes, ordering: .relaxed)
    }

    /// The default of ``receiveSizeLimit``: 4 GiB.
    public static let defaultReceiveSizeLimit = 1 << 32

    internal static let receiveSizeLimitStorage = Atomic<Int>(defaultReceiveSizeLimit)
}
