// deadlock: two ranks that both send a large message before receiving.
import MPI
#if canImport(Glibc)
import Glibc
#endif
//
//   deadlock naive        both call send first: each waits for the other's
//                         receive, forever (run it under a timeout)
//   deadlock sendreceive  fix 1: sendReceive pairs the two and cannot deadlock
//   deadlock nonblocking  fix 2: isend first, then receive, then wait
//
// A message this large (8 MiB) goes by rendezvous: the send cannot finish
// before the matching receive starts, which is what makes the naive order hang.
// Run: mpirun -np 2 .build/release/deadlock sendreceive

let mode = CommandLine.arguments.dropFirst().first ?? "sendreceive"
guard ["naive", "sendreceive", "nonblocking"].contains(mode) else {
    print("usage: deadlock naive|sendreceive|nonblocking")
    exit(2)
}

try MPI.run { world in
    guard world.size == 2 else {
        if world.rank == 0 { print("deadlock: run with exactly 2 ranks") }
        MPI.abort(exitCode: 2)
    }
    let peer = 1 - world.rank
    let count = 1 << 20                                    // 1 Mi Doubles = 8 MiB
    let outgoing = [Double](repeating: Double(world.rank), count: count)
    var incoming = [Double](repeating: -1, count: count)

    switch mode {
    case "naive":
        if world.rank == 0 { print("deadlock: both ranks send first; this hangs") }
        try world.send(outgoing, to: peer)                 // never returns
        try world.receive(into: &incoming, from: peer)
    case "sendreceive":
        try world.sendReceive(outgoing, to: peer, into: &incoming, from: peer)
    default:
        let sending = try world.isend(outgoing, to: peer)
        try world.receive(into: &incoming, from: peer)
        try sending.wait()
    }
    precondition(incoming.allSatisfy { $0 == Double(peer) }, "deadlock: wrong data received")
    print("deadlock (\(mode)): rank \(world.rank) exchanged \(count) doubles with rank \(peer)")
}
