// prefix-sum: a distributed scan. The numbers are spread over the ranks in
// blocks; every rank needs the prefix sums of its block *as if* the sums had
// run over all numbers before it. An exclusive scan of the block sums gives
// each rank that starting offset in one collective.
// Run: mpirun -np 4 .build/release/prefix-sum [n]      (n numbers, default 1_000)
import MPI

let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000
precondition(n >= 0, "prefix-sum: n must be 0 or more")

/// The input, number i of n: made up but reproducible, with negative values
/// so that the prefix sums go up and down.
func value(_ i: Int) -> Int { (i * 37) % 101 - 50 }

try MPI.run { world in
    // Block r holds the numbers first[r] ..< first[r] + counts[r]; the first
    // n % size ranks hold one more. Every rank can compute every block's place.
    let counts = (0..<world.size).map { n / world.size + ($0 < n % world.size ? 1 : 0) }
    let first = counts.indices.map { counts[..<$0].reduce(0, +) }
    let block = (first[world.rank] ..< first[world.rank] + counts[world.rank]).map(value)

    // 1. Local: the sum of this block.
    let blockSum = block.reduce(0, +)
    // 2. MPI_Exscan: the sum of the blocks of ranks 0..<rank. It is undefined
    //    on rank 0 (nil here), where the offset is 0.
    let offset = try world.exclusiveScan(blockSum, .sum) ?? 0
    // 3. Local: running sums of the block, starting from the offset.
    var prefix = [Int]()
    prefix.reserveCapacity(block.count)
    var running = offset
    for x in block {
        running += x
        prefix.append(running)
    }

    // Check: gather the blocks of prefix sums at rank 0 (MPI_Gatherv, as the
    // blocks differ in size) and compare with a serial prefix sum.
    let all = try world.gather(prefix, counts: counts, root: 0)
    guard world.rank == 0 else { return }
    var serial = [Int]()
    var sum = 0
    for i in 0..<n {
        sum += value(i)
        serial.append(sum)
    }
    precondition(all == serial, "prefix-sum: distributed prefix sums differ from the serial ones")
    print("prefix-sum: \(n) numbers in blocks of \(counts) on \(world.size) ranks; total \(serial.last ?? 0)")
    print("prefix-sum: matches the serial prefix sum")
}
