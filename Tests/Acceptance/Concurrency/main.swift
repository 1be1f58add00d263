import MPI

struct Unlucky: Error, CustomStringConvertible { var description: String { "unlucky number" } }

@main
struct PoolDemo {
    static func main() async throws {
        try await MPI.run { world in
            let rank = world.rank, size = world.size
            let right = (rank + 1) % size, left = (rank + size - 1) % size

            // Awaiting a message suspends this task; no thread blocks in MPI.
            async let fromLeft: [Double] = world.receive(from: left, tag: 1)
            let sent = try world.isend([Double(rank)], to: right, tag: 1)
            let values = try await fromLeft
            try await sent.wait()
            precondition(values == [Double(left)])

            // Several receives in flight at once, completed in any order.
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for tag in 10..<14 {
                    group.addTask { let v: [Int] = try await world.receive(from: left, tag: tag); return v[0] }
                }
                var sends = RequestSet<Status>()
                for tag in (10..<14).reversed() { try sends.append(world.isend([tag], to: right, tag: tag)) }
                var sum = 0
                for try await value in group { sum += value }
                try await sends.waitAll()
                return sum
            }
            precondition(total == 10 + 11 + 12 + 13)
            let everyone = try await world.allReduce(rank, .sum)
            precondition(everyone == size * (size - 1) / 2)

            // A pool: rank 0 hands out tasks, the other ranks work on them (rank 0 alone: itself).
            let pool = try TaskPool(world, root: 0)
            let squares = try await pool.map(rank == 0 ? Array(1...200) : []) { (n: Int) -> Int in n * n }
            precondition(squares == (rank == 0 ? (1...200).map { $0 * $0 } : []))

            var found = Set<Int>()
            for try await (index, isPrime) in pool.mapUnordered(rank == 0 ? Array(2..<500) : [], chunkSize: 16, { (n: Int) -> Bool in
                (2..<n).allSatisfy { n % $0 != 0 }
            }) where isPrime {
                found.insert(index + 2)
            }
            precondition(rank != 0 || found.count == 95)

            do {
                _ = try await pool.map(rank == 0 ? [1, 13, 3] : []) { (n: Int) -> Int in
                    if n == 13 { throw Unlucky() }
                    return n
                }
                precondition(rank != 0, "a throwing task must throw on the root")
            } catch let error as TaskPoolError {
                precondition(rank == 0 && error.taskIndex == 1 && "\(error)".contains("unlucky number"))
            }
            try await pool.shutdown()
        }
    }
}
