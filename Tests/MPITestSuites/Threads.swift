import MPI

/// MPI_THREAD_MULTIPLE: several threads per rank call MPI at the same time
/// (`make test-tsan` runs this under ThreadSanitizer). Each thread, with tags
/// of its own, exchanges messages around the ring with blocking and
/// nonblocking calls; posts nonblocking receives of many sizes, far more than
/// the swapped-receive datatype cache keeps, so that threads insert into it
/// and evict from it (freeing types) concurrently; and reduces with a Swift
/// operation made and freed on that thread (the closure registry), on a
/// duplicate of world of its own (collectives on one communicator must not
/// run concurrently).
func threads(_ world: Communicator) throws {
    let provided = try MPI.providedThreadLevel()
    try check(provided == .multiple, "MPI provided \(provided), not MPI_THREAD_MULTIPLE")
    let threadCount = 4
    let iterations = 60
    // MPI_Comm_dup is collective: made here, in the same order on every rank.
    let duplicates = try (0..<threadCount).map { _ in try world.duplicate() }

    try runOnThreads(threadCount) { thread in
        let comm = duplicates[thread]
        for iteration in 0..<iterations {
            // Blocking: a matched-probe receive into a caller's buffer.
            let token = [world.rank, thread, iteration]
            let sent = try world.isend(token, to: world.right, tag: thread)
            var incoming = [Int](repeating: -1, count: 3)
            let status = try world.receive(into: &incoming, from: world.left, tag: thread)
            try sent.wait()
            try check(status.count == 3 && incoming == [world.left, thread, iteration],
                      "thread \(thread), iteration \(iteration): received \(incoming)")

            // Nonblocking, truncation-safe receives (the datatype cache), of
            // 1...100 elements: 100 sizes in all, beyond the cache's 64.
            let count = 1 + (thread * 25 + iteration * 7) % 100
            let capacity = count + iteration % 3
            let message = (0..<count).map { Int64(world.rank * 1_000_000 + thread * 1_000 + $0) }
            let receiving = try world.ireceive(Int64.self, count: capacity, from: world.left, tag: 100 + thread)
            let sending = try world.isend(message, to: world.right, tag: 100 + thread)
            let (received, receivedStatus) = try receiving.wait()
            try sending.wait()
            let expected = (0..<count).map { Int64(world.left * 1_000_000 + thread * 1_000 + $0) }
            try check(received == expected && receivedStatus.count == count,
                      "thread \(thread), iteration \(iteration): nonblocking receive of \(count) into \(capacity)")

            // Back-to-back nonblocking receives from this rank itself, of sizes
            // only this thread uses: nearly every one makes a new type and
            // evicts another, which a thread posting at that moment may hold.
            for round in 0..<24 {
                let bytes = 2 + thread + threadCount * ((iteration * 24 + round) % 250)
                let receiving = try world.ireceive(UInt8.self, count: bytes, from: world.rank, tag: 200 + thread)
                try world.send([UInt8](repeating: UInt8(round), count: bytes), to: world.rank, tag: 200 + thread)
                let (bytesReceived, _) = try receiving.wait()
                try check(bytesReceived.count == bytes && bytesReceived.allSatisfy { $0 == UInt8(round) },
                          "thread \(thread), iteration \(iteration): receive from self of \(bytes) bytes")
            }

            // A Swift reduction, made, used and freed on this thread.
            if iteration % 4 == 0 {
                let sum = ReductionOperation<Int>.custom(commutative: true) { $0 &+ $1 }
                let total = try comm.allReduce(comm.rank + thread + iteration, sum)
                let ranks = comm.size * (comm.size - 1) / 2
                try check(total == ranks + comm.size * (thread + iteration),
                          "thread \(thread), iteration \(iteration): Swift reduction gave \(total)")
            }
        }
        try comm.barrier()
    }
}

/// Runs `body(0)` ... `body(count - 1)` on `count` new threads and waits for
/// them. A thread whose body throws prints the error and aborts the job (the
/// other threads may be waiting for its messages).
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    final class Job: @unchecked Sendable {
        let index: Int
        let body: @Sendable (Int) throws -> Void
        init(index: Int, body: @escaping @Sendable (Int) throws -> Void) { self.index = index; self.body = body }
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
        let job = Unmanaged.passRetained(Job(index: index, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            do {
                try job.body(job.index)
            } catch {
                print("thread \(job.index) threw: \(error)")
                MPI.abort(exitCode: 1)
            }
            return nil
        }, job)
        try check(result == 0, "pthread_create failed: \(result)")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
}
