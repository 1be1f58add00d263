// parallel-sum: the root scatters 1...n in uneven blocks, every rank sums its
// block, and a reduction adds the partial sums at the root.
// Run: mpirun -np 4 .build/release/parallel-sum [n]      (n defaults to 1_000_003)
import MPI

let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_003
precondition(n >= 0, "parallel-sum: n must be 0 or more")

try MPI.run { world in
    let root = 0
    // n rarely divides evenly by the number of ranks: the first n % size ranks
    // take one element more. Every rank computes the same counts, which the
    // scatter needs (each rank must know how much it receives).
    let counts = (0..<world.size).map { n / world.size + ($0 < n % world.size ? 1 : 0) }

    // Only the root holds the data; the other ranks pass an empty array,
    // which the scatter never reads.
    let numbers = world.rank == root && n > 0 ? Array(1...n) : []
    // The v form (MPI_Scatterv) sends counts[i] elements to rank i; without
    // displacements the blocks lie end to end in `numbers`.
    let block = try world.scatter(numbers, counts: counts, root: root)
    precondition(block.count == counts[world.rank], "parallel-sum: got \(block.count) elements, expected \(counts[world.rank])")

    let partial = block.reduce(0, +)
    print("parallel-sum: rank \(world.rank) summed \(block.count) numbers to \(partial)")

    // MPI_Reduce with MPI_SUM: the total arrives only at the root (nil elsewhere).
    if let total = try world.reduce(partial, .sum, root: root) {
        let expected = n * (n + 1) / 2                     // Gauss: 1 + 2 + ... + n
        print("parallel-sum: 1...\(n) over \(world.size) ranks sums to \(total) (expected \(expected))")
        precondition(total == expected, "parallel-sum: wrong total \(total), expected \(expected)")
    }
}
