// counter: a shared task counter in one-sided memory. Rank 0's window holds
// one Int64; every rank (rank 0 too) takes the next task number by an atomic
// fetch-and-add under a shared lock of rank 0 (MPI_Fetch_and_op), works on
// that task, and asks again until the number passes the last task. No rank
// hands out work: faster ranks simply take more. At the end rank 0 gathers
// which tasks each rank took and what they made, checks that every task
// 0..<n was taken exactly once and that the sum of the results equals the
// serial one, and exits non-zero if not.
// Run: mpirun -np 4 .build/release/counter [tasks]     (default 200 tasks)
import MPI

let taskCount = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 200
precondition(taskCount >= 0, "counter: the number of tasks must be 0 or more")

/// Task i's work: the Collatz steps of numbers i * 1000 + 1 ... i * 1000 + 200
/// (deterministic, and of uneven length from task to task).
func work(_ task: Int) -> Int64 {
    var steps: Int64 = 0
    for start in (task * 1000 + 1)...(task * 1000 + 200) {
        var x = start
        while x != 1 {
            x = x % 2 == 0 ? x / 2 : 3 * x + 1
            steps += 1
        }
    }
    return steps
}

try MPI.run { world in
    // The counter: one Int64 on rank 0 (zeroed by allocateWindow), none elsewhere.
    let window = try world.allocateWindow(of: Int64.self, count: world.rank == 0 ? 1 : 0)
    var taken: [Int64] = []       // the tasks this rank took, in order
    var results: [Int64] = []     // their results
    while true {
        let ticket = try window.withLock(0, .shared) { try window.fetchAndOp(1, on: 0, at: 0, .sum) }
        // Readable now: the lock's epoch has ended, so the fetch-and-add has completed.
        let task = Int(try ticket.value)
        if task >= taskCount { break }
        taken.append(Int64(task))
        results.append(work(task))
    }
    // Every rank's increments are done (they all completed in their epochs); the barrier makes
    // the final counter value safe to read locally on rank 0.
    try world.barrier()
    let finalCount = window.withLocalElements { $0.first ?? 0 }
    try window.free()

    // What each rank did, gathered at rank 0 (variable counts: gatherv).
    let counts = try world.allGather(taken.count)
    let allTasks = try world.gather(taken, counts: counts, root: 0)
    let allResults = try world.gather(results, counts: counts, root: 0)
    guard world.rank == 0 else { return }

    print("counter: \(taskCount) tasks on \(world.size) ranks; tasks per rank \(counts)")
    var timesTaken = [Int](repeating: 0, count: taskCount)
    var failures: [String] = []
    for task in allTasks {
        if task < 0 || Int(task) >= taskCount {
            failures.append("task \(task) is not in 0..<\(taskCount)")
        } else {
            timesTaken[Int(task)] += 1
        }
    }
    let missing = timesTaken.indices.filter { timesTaken[$0] == 0 }
    let repeated = timesTaken.indices.filter { timesTaken[$0] > 1 }
    if !missing.isEmpty { failures.append("tasks never taken: \(missing.prefix(10))") }
    if !repeated.isEmpty { failures.append("tasks taken more than once: \(repeated.prefix(10))") }
    // Each rank's last fetch found the counter past the end: n + size increments in all.
    if finalCount != Int64(taskCount + world.size) {
        failures.append("the counter ended at \(finalCount), expected \(taskCount + world.size)")
    }
    let combined = allResults.reduce(0, +)
    let serial = (0..<taskCount).reduce(Int64(0)) { $0 + work($1) }
    if combined != serial { failures.append("combined result \(combined), serial \(serial)") }
    if failures.isEmpty {
        print("counter: every task 0..<\(taskCount) taken exactly once; combined result \(combined) matches the serial \(serial)")
    } else {
        for failure in failures { print("counter: MISMATCH: \(failure)") }
        MPI.abort(exitCode: 1)
    }
}
