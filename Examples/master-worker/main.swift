// master-worker: rank 0 hands out tasks one at a time to whichever worker
// asks next, so fast workers take more tasks than slow ones (dynamic load
// balancing). A task k asks for 1² + 2² + ... + k², by a loop; the master
// checks each answer against k(k+1)(2k+1)/6.
// Run: mpirun -np 4 .build/release/master-worker [tasks]     (default 50 tasks)
// With 1 rank there are no workers and the master does every task itself.
import MPI

let taskCount = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 50
precondition(taskCount >= 0, "master-worker: the number of tasks must be 0 or more")

// Tags tell the kinds of message apart: a worker learns from the tag alone
// whether it got work or must stop.
let resultTag = 1        // worker -> master: [task, answer], or [-1, 0] for "ready"
let taskTag = 2          // master -> worker: [task, k]
let stopTag = 3          // master -> worker: empty, no more tasks

/// Task i's k: sizes that vary, so tasks take different times and their
/// results come back out of order.
func k(ofTask task: Int) -> Int { 1 + (task * 7919) % 40_000 }

/// The work: 1² + 2² + ... + k², the slow way.
func sumOfSquares(upTo k: Int) -> Int {
    var sum = 0
    for i in 1...k { sum += i * i }
    return sum
}

try MPI.run { world in
    let master = 0
    if world.rank == master {
        var answers = [Int?](repeating: nil, count: taskCount)
        var tasksDone = [Int](repeating: 0, count: world.size)   // per rank, for the report
        func record(task: Int, answer: Int, from rank: Int) {
            precondition(answers[task] == nil, "master-worker: task \(task) answered twice")
            answers[task] = answer
            tasksDone[rank] += 1
        }

        if world.size == 1 {
            for task in 0..<taskCount { record(task: task, answer: sumOfSquares(upTo: k(ofTask: task)), from: master) }
        } else {
            var next = 0                                   // the queue: tasks next..<taskCount
            var running = world.size - 1                   // workers not yet told to stop
            while running > 0 {
                // Whoever is ready first: MPI.anySource, and the status says who it was.
                let (message, status) = try world.receiveWithStatus(Int.self, from: MPI.anySource, tag: resultTag)
                precondition(message.count == 2, "master-worker: bad message \(message) from rank \(status.source)")
                if message[0] >= 0 { record(task: message[0], answer: message[1], from: status.source) }
                // Reply to that worker: its next task, or stop when the queue is empty.
                if next < taskCount {
                    try world.send([next, k(ofTask: next)], to: status.source, tag: taskTag)
                    next += 1
                } else {
                    try world.send([Int](), to: status.source, tag: stopTag)
                    running -= 1
                }
            }
        }

        // Every task answered exactly once (record checked "at most once"), and correctly.
        for task in 0..<taskCount {
            let k = k(ofTask: task)
            guard let answer = answers[task] else { preconditionFailure("master-worker: task \(task) never answered") }
            precondition(answer == k * (k + 1) * (2 * k + 1) / 6, "master-worker: task \(task) (k = \(k)) answered \(answer)")
        }
        print("master-worker: \(taskCount) tasks on \(world.size - 1) workers, tasks per rank \(tasksDone)")
        print("master-worker: all \(taskCount) tasks answered exactly once and correctly")
    } else {
        // Say "ready" once; after that every answer also asks for the next task.
        try world.send([-1, 0], to: master, tag: resultTag)
        while true {
            // Any tag: the tag of what arrives says what to do.
            let (task, status) = try world.receiveWithStatus(Int.self, from: master, tag: MPI.anyTag)
            if status.tag == stopTag { break }
            precondition(status.tag == taskTag && task.count == 2, "master-worker: unexpected \(status)")
            try world.send([task[0], sumOfSquares(upTo: task[1])], to: master, tag: resultTag)
        }
    }
}
