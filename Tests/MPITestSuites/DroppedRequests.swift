import MPI

/// A request dropped while pending is cancelled and waited
/// for. A started send cannot be cancelled, so dropping one waits for its
/// receive; in debug builds that drop says, once, what it waits for. Rank 1
/// posts its receives only seconds later, so rank 0's drops must wait (and
/// report) until then. A dropped receive is cancelled at once and says nothing.
func droppedRequests(_ world: Communicator) throws {
    // A collective cannot be cancelled either: it waits for the other ranks.
    if world.rank == 0 {
        _ = try world.iallReduce([1], .sum)
    } else {
        sleep(2)
        let sums = try world.iallReduce([1], .sum).wait()
        try check(sums == [world.size], "sum: \(sums)")
    }
    guard world.size >= 2, world.rank < 2 else { return }
    // Beyond every eager limit here: the send waits for its receive.
    let large = [UInt8](repeating: 7, count: 4 << 20)
    if world.rank == 0 {
        _ = try world.ireceive(UInt8.self, count: 4, from: 1, tag: 99)
        _ = try world.isend(large, to: 1, tag: 5)
        do {
            var set = RequestSet<Status>()
            set.append(try world.isend(large, to: 1, tag: 6))
        }
        try world.send([1], to: 1, tag: 7)
    } else {
        // Whatever rank 0 sends arrives, unless MPI cancelled a send (which it may do).
        for tag in [5, 6] {
            sleep(2)
            var arrived = false
            for _ in 0..<200 {
                if try world.probeIfAvailable(from: 0, tag: tag) != nil { arrived = true; break }
                if try world.probeIfAvailable(from: 0, tag: 7) != nil { break }
                usleep(50_000)
            }
            if arrived {
                let received: [UInt8] = try world.receive(from: 0, tag: tag)
                try check(received == large, "tag \(tag): \(received.count) bytes")
            }
        }
        let done: [Int] = try world.receive(from: 0, tag: 7)
        try check(done == [1], "done: \(done)")
    }
}
