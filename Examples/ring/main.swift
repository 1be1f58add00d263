// ring: a token goes around the ring of ranks; each rank adds its rank to it.
// Run: mpirun -np 4 .build/release/ring
import MPI

try MPI.run { world in
    let rank = world.rank, size = world.size
    let next = (rank + 1) % size, previous = (rank + size - 1) % size

    if rank == 0 {
        // Start the token without waiting: at 1 rank, rank 0 sends to itself,
        // and a blocking send may wait for its receive forever (MPICH's does).
        let start = try world.isend([0], to: next, tag: 0)
        let token: [Int] = try world.receive(from: previous, tag: 0)
        try start.wait()
        let expected = size * (size - 1) / 2               // 0 + 1 + ... + (size - 1)
        print("ring: token came back as \(token[0]) after \(size) ranks (expected \(expected))")
        precondition(token == [expected], "ring: wrong token \(token)")
    } else {
        let token: [Int] = try world.receive(from: previous, tag: 0)
        try world.send(token[0] + rank, to: next, tag: 0)
    }
}
