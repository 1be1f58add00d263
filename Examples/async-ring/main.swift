// async-ring: the ring example with async/await. A token goes around the ring
// of ranks, each adding its rank; meanwhile every rank also sends its own rank
// one step right and awaits its left neighbour's, all in flight at once.
// Awaiting suspends the task: no thread blocks inside MPI.
// Run: mpirun -np 4 .build/release/async-ring
import MPI

@main
struct AsyncRing {
    static func main() async throws {
        try await MPI.run { world in
            let rank = world.rank, size = world.size
            let next = (rank + 1) % size, previous = (rank + size - 1) % size

            // Every rank's own value, one step right (tag 1), awaited later.
            async let fromLeft: [Int] = world.receive(from: previous, tag: 1)
            let mine = try world.isend([rank], to: next, tag: 1)

            if rank == 0 {
                // The receive is in flight before the token leaves, so one rank works too.
                async let token: [Int] = world.receive(from: previous, tag: 0)
                try await world.send([0], to: next, tag: 0)
                let total = try await token
                let expected = size * (size - 1) / 2
                print("async-ring: token came back as \(total[0]) after \(size) ranks (expected \(expected))")
                precondition(total == [expected], "async-ring: wrong token \(total)")
            } else {
                let token: [Int] = try await world.receive(from: previous, tag: 0)
                try await world.send([token[0] + rank], to: next, tag: 0)
            }
            let left = try await fromLeft
            try await mine.wait()
            precondition(left == [previous], "async-ring: rank \(rank) got \(left) from its left, expected [\(previous)]")
            let checked = try await world.allReduce(1, .sum)
            if rank == 0 { print("async-ring: \(checked) ranks checked their neighbour's value") }
            precondition(checked == size)
        }
    }
}
