// pipeline: a producer, a transformer and a consumer on ranks 0, 1 and 2.
// Rank 0 produces numbers, rank 1 squares each as it arrives and passes it
// on, rank 2 adds them up; a stop message (its own tag) goes down the line
// after the last number and ends each stage. Each stage awaits its input, so
// the three work at once on different items.
// Run: mpirun -np 3 .build/release/pipeline
import MPI

let dataTag = 1, stopTag = 2
let count = 1_000

@main
struct Pipeline {
    static func main() async throws {
        try await MPI.run { world in
            guard world.size == 3 else {
                if world.rank == 0 { print("pipeline: run with exactly 3 ranks") }
                MPI.abort(exitCode: 2)
            }
            switch world.rank {
            case 0:
                for n in 1...count { try await world.send([n], to: 1, tag: dataTag) }
                try await world.send([Int](), to: 1, tag: stopTag)
            case 1:
                var passed = 0
                // The sequence ends after the stop message, which is received too.
                for try await (values, _) in world.messages(Int.self, from: 0, endTag: stopTag) {
                    try await world.send([values[0] * values[0]], to: 2, tag: dataTag)
                    passed += 1
                }
                try await world.send([Int](), to: 2, tag: stopTag)
                precondition(passed == count, "pipeline: stage 1 passed \(passed) items")
            default:
                var total = 0, received = 0
                for try await (values, _) in world.messages(Int.self, from: 1, endTag: stopTag) {
                    total += values[0]
                    received += 1
                }
                let expected = count * (count + 1) * (2 * count + 1) / 6
                precondition(received == count && total == expected, "pipeline: sum \(total), expected \(expected)")
                print("pipeline: \(received) items through 3 stages, sum of squares \(total) (expected \(expected))")
            }
        }
    }
}
