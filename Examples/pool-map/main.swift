// pool-map: a pool of worker ranks takes tasks from a queue. Rank 0 hands out
// the tasks; the other ranks work them and ask for more as they finish (at 1
// rank, rank 0 works them itself). Squares come back in input order; primes
// come back as they are found, in chunks of 1,000 numbers.
// Run: mpirun -np 4 .build/release/pool-map
import MPI

/// Whether `n` is prime, by trial division (a task that takes a while).
@Sendable func isPrime(_ n: Int) -> Bool {
    if n < 2 { return false }
    var divisor = 2
    while divisor * divisor <= n {
        if n % divisor == 0 { return false }
        divisor += 1
    }
    return true
}

@main
struct PoolMap {
    static func main() async throws {
        try await MPI.run { world in
            let isRoot = world.rank == 0
            let pool = try TaskPool(world, root: 0)

            let squares = try await pool.map(isRoot ? Array(1...1000) : []) { (n: Int) -> Int in n * n }
            if isRoot {
                precondition(squares == (1...1000).map { $0 * $0 }, "pool-map: wrong squares")
                print("pool-map: 1000 squares over \(pool.workerCount) workers, sum \(squares.reduce(0, +))")
            }

            // Blocks of numbers, one task each; results arrive in any order.
            let limit = 200_000, block = 1_000
            let blocks = Array(stride(from: 0, to: limit, by: block))
            var primes = 0, blocksDone = 0
            for try await (_, count) in pool.mapUnordered(isRoot ? blocks : [], { (start: Int) -> Int in
                (start..<start + block).count(where: isPrime)
            }) {
                primes += count
                blocksDone += 1
            }
            if isRoot {
                let serial = (0..<limit).count(where: isPrime)
                precondition(blocksDone == blocks.count && primes == serial, "pool-map: \(primes) primes, expected \(serial)")
                print("pool-map: \(primes) primes below \(limit) (checked against a serial count)")
            }
            try await pool.shutdown()
        }
    }
}
