// hello: every rank reports its rank, the job's size and its host.
// Run: mpirun -np 4 .build/release/hello
import MPI

try MPI.run { world in
    let host = try MPI.processorName()
    print("Hello from rank \(world.rank) of \(world.size) on \(host)")

    // Check: every rank took part exactly once (ranks are 0..<size).
    if world.rank == 0 {
        var seen = [true] + [Bool](repeating: false, count: world.size - 1)
        for _ in 1..<max(world.size, 1) {
            let rank: [Int] = try world.receive(from: MPI.anySource, tag: 0)
            precondition(rank.count == 1 && !seen[rank[0]], "rank \(rank) reported twice")
            seen[rank[0]] = true
        }
        precondition(seen.allSatisfy { $0 })
        print("hello: all \(world.size) ranks reported")
    } else {
        try world.send([world.rank], to: 0, tag: 0)
    }
}
