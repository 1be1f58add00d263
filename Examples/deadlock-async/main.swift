// deadlock-async: the deadlock example's exchange with async/await. Two ranks
// each send 8 MiB (a rendezvous: the send cannot finish before the receive
// starts) and receive the other's. Awaiting the send first on both ranks
// would wait forever, as in `deadlock naive`; with `async let` the receive
// is in flight while the send is awaited, so both finish. No thread blocks:
// both operations are polled by the MPI thread.
// Run: mpirun -np 2 .build/release/deadlock-async
import MPI

@main
struct DeadlockAsync {
    static func main() async throws {
        try await MPI.run { world in
            guard world.size == 2 else {
                if world.rank == 0 { print("deadlock-async: run with exactly 2 ranks") }
                MPI.abort(exitCode: 2)
            }
            let peer = 1 - world.rank
            let count = 1 << 20                                // 1 Mi Doubles = 8 MiB
            let outgoing = [Double](repeating: Double(world.rank), count: count)

            async let incoming: [Double] = world.receive(from: peer)
            try await world.send(outgoing, to: peer)
            let received = try await incoming

            precondition(received.count == count && received.allSatisfy { $0 == Double(peer) },
                         "deadlock-async: wrong data received")
            print("deadlock-async: rank \(world.rank) exchanged \(count) doubles with rank \(peer)")
        }
    }
}
