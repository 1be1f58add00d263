import CMPI

// A request dropped before it completed.
//
// MPI may still read or write the request's buffer, which goes away with it,
// so the request is completed first. A receive is cancelled, then waited for;
// a send is only waited for (cancelling a send is deprecated, and Open MPI
// ignores it once the send has started), and a collective must not be
// cancelled (MPI 3.1 section 5.12), so the wait lasts until the matching
// receive is posted or every rank has joined,
// and a program that drops `isend`'s request and never posts that receive
// stops there without a word. In debug builds the request therefore keeps
// what it waits for, and a drop that does not complete at once says so.

/// What a request waits for: its operation, and the peer and tag of a
/// point-to-point operation (Swift values: MPI.anySource, MPI.anyTag).
@usableFromInline
internal struct RequestOrigin {
    @usableFromInline let operation: StaticString
    @usableFromInline let peer: Int?
    @usableFromInline let tag: Int?

    @inlinable
    init(_ operation: StaticString, peer: Int? = nil, tag: Int? = nil) {
        self.operation = operation
        self.peer = peer
        self.tag = tag
    }

    /// "MPI_Isend to rank 1 with tag 0", "MPI_Irecv from any rank with any tag", "MPI_Iallreduce".
    var description: String {
        guard let peer else { return "\(operation)" }
        let direction = "\(operation)".hasSuffix("send") ? "to" : "from"
        let who = peer == MPI.anySource ? "any rank" : peer == MPI.processNull ? "MPI.processNull" : "rank \(peer)"
        let tag = self.tag.map { $0 == MPI.anyTag ? "any tag" : "tag \($0)" } ?? "any tag"
        return "\(operation) \(direction) \(who) with \(tag)"
    }
}

/// Cancels a receive, and completes any request, dropped while pending; `status` receives its status.
/// In debug builds, a request that does not complete at once is reported
/// first, with what it waits for.
@usableFromInline
internal func completeDroppedRequest(
    _ handle: inout RequestHandle, _ status: inout MPI_Status, kind: RequestKind, origin: RequestOrigin?
) {
    if kind == .receive {
        MPIC.releasing { try MPIC.cancel(&handle) }
    }
    #if DEBUG
    var done: CInt = 0
    MPIC.releasing { try MPIC.test(&handle, &done, &status) }
    if done != 0 { return }
    if let origin { reportDroppedRequest(origin) }
    #endif
    MPIC.releasing { try MPIC.wait(&handle, &status) }
}

/// One line on standard error before the wait for a dropped request.
internal func reportDroppedRequest(_ origin: RequestOrigin) {
    let rank = (try? Communicator.world.rank).map { "rank \($0)" } ?? "this process"
    let why = origin.peer == nil
        ? "it waits until every rank of the communicator has started the collective"
        : "\("\(origin.operation)".hasSuffix("send") ? "a send that has started cannot be cancelled, so it waits until the matching receive is posted" : "it waits for the cancellation")"
    printToStandardError(
        "swift-mpi: \(rank): a pending \(origin.description) was dropped without wait(); waiting for it to "
            + "complete here (\(why)). Keep the request and call wait(), or add it to a RequestSet. "
            + "(Reported in debug builds.)")
}
