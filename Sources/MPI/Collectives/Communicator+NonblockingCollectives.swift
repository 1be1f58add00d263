import CMPI

// Nonblocking collectives (MPI 3.1 section 5.12). Each returns at once with a
// Request, the same type isend and ireceive return, and takes the buffers of
// its blocking form: send buffers of every kind (arrays are kept by the
// request, unsafe pointers borrowed), and a result that is a new array
// `wait` returns, an owned array (in place) or caller memory (`into:`, a
// `Request<Void>`). Arguments are checked as for the blocking forms (with
// MPI.verifiesCollectiveArguments, by a small blocking reduction before the
// operation starts).

extension Communicator {
    /// Starts a barrier; `wait` returns once every rank has started it.
    ///
    /// The corresponding C function is `MPI_Ibarrier`.
    public func ibarrier() throws -> Request<Void> {
        var request = cmpi_request_null()
        try MPIC.ibarrier(handle, &request)
        return Request(handle: request, PendingOperation(.collective, elementSize: 1, origin: RequestOrigin("MPI_Ibarrier")))
    }

    /// Starts broadcasting the root's `buffer`; `wait` returns the root's data
    /// on every rank. Every rank passes an array of the same count.
    ///
    /// The corresponding C function is `MPI_Ibcast`.
    @inlinable
    public func ibroadcast<T: MPIElement>(_ buffer: consuming [T], root: Int) throws -> Request<[T]> {
        try startInPlace(buffer) { try broadcastCall($0, root: root, .nonblocking) }
    }

    /// Starts broadcasting the root's `buffer` into `buffer` on every rank.
    ///
    /// The corresponding C function is `MPI_Ibcast`.
    @inlinable
    public func ibroadcast<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws -> Request<Void> {
        try start(broadcastCall(buffer, root: root, .nonblocking))
    }

    /// Starts scattering the root's `send` in blocks of `count`; `wait`
    /// returns this rank's block. `send` is read only at the root.
    ///
    /// The corresponding C function is `MPI_Iscatter`.
    @inlinable
    public func iscatter<Send: SendBuffer>(_ send: Send, count: Int, root: Int) throws -> Request<[Send.Element]> {
        try startReturningArray(send, resultCount: max(count, 0)) { try scatterCall($0, $1, root: root, .nonblocking) }
    }

    /// Starts scattering the root's `send` into `receive` on every rank.
    ///
    /// The corresponding C function is `MPI_Iscatter`.
    @inlinable
    public func iscatter<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>, root: Int
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive) { try scatterCall($0, $1, root: root, .nonblocking) }
    }

    /// Starts a vector scatter (see ``scatter(_:counts:displacements:root:)``).
    ///
    /// The corresponding C function is `MPI_Iscatterv`.
    @inlinable
    public func iscatter<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> Request<[Send.Element]> {
        let own = counts.indices.contains(rank) ? max(counts[rank], 0) : 0
        return try startReturningArray(send, resultCount: own) {
            try scattervCall($0, counts: counts, displacements: displacements, into: $1, root: root, .nonblocking)
        }
    }

    /// Starts gathering every rank's `send` (all of the same count) at the
    /// root; `wait` returns the gathered array at the root, empty elsewhere.
    ///
    /// The corresponding C function is `MPI_Igather`.
    @inlinable
    public func igather<Send: SendBuffer>(_ send: Send, root: Int) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: rank == root ? count * size : 0, resultIsEmpty: rank != root) {
            try gatherCall($0, $1, root: root, .nonblocking)
        }
    }

    /// Starts gathering every rank's `send` into the root's `receive` (not
    /// used elsewhere).
    ///
    /// The corresponding C function is `MPI_Igather`.
    @inlinable
    public func igather<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>, root: Int
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive) { try gatherCall($0, $1, root: root, .nonblocking) }
    }

    /// Starts a vector gather (see ``gather(_:counts:displacements:root:)``).
    ///
    /// The corresponding C function is `MPI_Igatherv`.
    @inlinable
    public func igather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil, root: Int
    ) throws -> Request<[Send.Element]> {
        let length = rank == root ? vectorLength(counts: counts, displacements: displacements) : 0
        return try startReturningArray(send, resultCount: length, resultIsEmpty: rank != root) {
            try gathervCall($0, counts: counts, displacements: displacements, into: $1, root: root, .nonblocking)
        }
    }

    /// Starts collecting every rank's `send` (all of the same count) on every
    /// rank; `wait` returns them in rank order.
    ///
    /// The corresponding C function is `MPI_Iallgather`.
    @inlinable
    public func iallGather<Send: SendBuffer>(_ send: Send) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: count * size) { try allGatherCall($0, $1, .nonblocking) }
    }

    /// Starts collecting every rank's `send` into `receive` (`size` blocks).
    ///
    /// The corresponding C function is `MPI_Iallgather`.
    @inlinable
    public func iallGather<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive) { try allGatherCall($0, $1, .nonblocking) }
    }

    /// Starts a vector all-gather (see ``allGather(_:counts:displacements:)``).
    ///
    /// The corresponding C function is `MPI_Iallgatherv`.
    @inlinable
    public func iallGather<Send: SendBuffer>(
        _ send: Send, counts: [Int], displacements: [Int]? = nil
    ) throws -> Request<[Send.Element]> {
        let length = vectorLength(counts: counts, displacements: displacements)
        return try startReturningArray(send, resultCount: length) {
            try allGathervCall($0, counts: counts, displacements: displacements, into: $1, .nonblocking)
        }
    }

    /// Starts an all-to-all exchange of equal blocks (see ``allToAll(_:)``).
    ///
    /// The corresponding C function is `MPI_Ialltoall`.
    @inlinable
    public func iallToAll<Send: SendBuffer>(_ send: Send) throws -> Request<[Send.Element]> {
        let count = send.withUnsafeElements { $0.count }
        return try startReturningArray(send, resultCount: count) { try allToAllCall($0, $1, .nonblocking) }
    }

    /// Starts an all-to-all exchange into `receive`, as long as `send`.
    ///
    /// The corresponding C function is `MPI_Ialltoall`.
    @inlinable
    public func iallToAll<Send: SendBuffer>(
        _ send: Send, into receive: UnsafeMutableBufferPointer<Send.Element>
    ) throws -> Request<Void> {
        try startIntoCallerBuffer(send, receive) { try allToAllCall($0, $1, .nonblocking) }
    }

    /// Starts a vector all-to-all (see ``allToAll(_:sendCounts:sendDisplacements:receiveCounts:receiveDisplacements:)``).
    ///
    /// The corresponding C function is `MPI_Ialltoallv`.
    @inlinable
    public func iallToAll<Send: SendBuffer>(
        _ send: Send, sendCounts: [Int], sendDisplacements: [Int]? = nil,
        receiveCounts: [Int], receiveDisplacements: [Int]? = nil
    ) throws -> Request<[Send.Element]> {
        let length = vectorLength(counts: receiveCounts, displacements: receiveDisplacements)
        return try startReturningArray(send, resultCount: length) {
            try allToAllvCall($0, sendCounts: sendCounts, sendDisplacements: sendDisplacements, into: $1,
                              receiveCounts: receiveCounts, receiveDisplacements: receiveDisplacements, .nonblocking)
        }
    }
}
