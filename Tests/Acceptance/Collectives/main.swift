// The program of issue 3, verbatim: it must compile unchanged against the
// library and run correctly at 1 to 5 ranks.
import MPI

try MPI.run { world in
    let rank = world.rank, size = world.size

    try world.barrier()

    var settings = rank == 0 ? [2.5, 1.0, 4.0] : [0.0, 0.0, 0.0]
    try world.broadcast(&settings, root: 0)
    precondition(settings == [2.5, 1.0, 4.0])

    let total = try world.allReduce(Double(rank), .sum)
    precondition(total == Double(size * (size - 1) / 2))
    let extremes = try world.allReduce([rank, -rank], .max)
    precondition(extremes == [size - 1, 0])

    let ranks = try world.allGather(rank)
    precondition(ranks == Array(0..<size))

    let gathered = try world.gather([rank, rank * rank], root: 0)
    if rank == 0 { precondition(gathered == (0..<size).flatMap { [$0, $0 * $0] }) }

    let mine = try world.scatter(rank == 0 ? Array(0..<(3 * size)) : [], count: 3, root: 0)
    precondition(mine == [3 * rank, 3 * rank + 1, 3 * rank + 2])

    let prefix = try world.scan(rank + 1, .sum)
    precondition(prefix == (rank + 1) * (rank + 2) / 2)

    // A reduction written in Swift.
    let largest = try world.allReduce(Double(rank), .custom(commutative: true) { max($0, $1) })
    precondition(largest == Double(size - 1))

    // Nonblocking collectives complete through the same kind of request as isend.
    let pending = try world.iallReduce([1, 2, 3], .sum)
    let sums = try pending.wait()
    precondition(sums == [size, 2 * size, 3 * size])
}
