import MPI
import CMPI

/// Bad input is a thrown error naming the argument and its value (before MPI
/// sees it), and errors MPI itself finds come back as MPIError (case 20, 21).
func errors(_ world: Communicator) throws {
    // The named wildcards lie beyond every C int, so that no rank
    // arithmetic reaches them, and they are distinct from each other.
    for wildcard in [MPI.anySource, MPI.processNull, MPI.anyTag] {
        try check(wildcard < Int(Int32.min), "wildcard \(wildcard) is within the range of a C int")
    }
    try check(Set([MPI.anySource, MPI.processNull, MPI.anyTag]).count == 3, "wildcards are not distinct")
    for comm in try communicators(of: world) {
        var buffer = [Int](repeating: 0, count: 4)
        let size = comm.size
        // MPI's own values of the wildcards (Open MPI: MPI_ANY_SOURCE
        // -1, MPI_PROC_NULL -2, MPI_ANY_TAG -1; MPICH: -2, -1, -1), which
        // `rank - 1` at rank 0 produces, and every other negative rank or tag,
        // are errors naming the argument, not wildcards.
        for negative in [-1, -2, -3] {
            try expectError(.rank, argument: "source") { _ = try comm.probeIfAvailable(from: negative) }
            try expectError(.rank, argument: "source") { _ = try comm.ireceive(Int.self, count: 4, from: negative) }
            try expectError(.rank, argument: "destination") { try comm.send([1], to: negative) }
            try expectError(.rank, argument: "destination") { _ = try comm.isend([1], to: negative) }
            try expectError(.rank, argument: "source") { try comm.receive(into: &buffer, from: negative) }
            try expectError(.tag, argument: "tag") { _ = try comm.probeIfAvailable(from: 0, tag: negative) }
            try expectError(.tag, argument: "tag") { _ = try comm.ireceive(Int.self, count: 4, from: 0, tag: negative) }
            try expectError(.tag, argument: "tag") { try comm.send([1], to: 0, tag: negative) }
        }
        // The wildcards only where MPI takes them, and arithmetic on them is no wildcard.
        try expectError(.rank, argument: "destination") { try comm.send([1], to: MPI.anySource) }
        try expectError(.tag, argument: "tag") { try comm.send([1], to: 0, tag: MPI.anyTag) }
        try expectError(.tag, argument: "tag") { _ = try comm.probeIfAvailable(from: 0, tag: MPI.anySource) }
        try expectError(.rank, argument: "source") { _ = try comm.probeIfAvailable(from: MPI.anyTag) }
        try expectError(.rank, argument: "source") { _ = try comm.probeIfAvailable(from: MPI.anySource - 1) }
        try expectError(.rank, argument: "destination") { try comm.send([1], to: MPI.processNull + 2) }
        let error = try expectError(.rank, argument: "source") { _ = try comm.probeIfAvailable(from: -1) }
        try check(error.message.contains("invalid source -1") && error.message.contains("MPI.anySource"),
                  "message: \(error)")
        try expectError(.rank, argument: "destination") { try comm.send([1], to: size, tag: 0) }
        try expectError(.rank, argument: "destination") { try comm.send([1], to: -7, tag: 0) }
        try expectError(.rank, argument: "destination") { _ = try comm.isend([1], to: size + 3) }
        try expectError(.rank, argument: "source") { try comm.receive(into: &buffer, from: size) }
        try expectError(.rank, argument: "source") { let _: [Int] = try comm.receive(from: -3) }
        try expectError(.rank, argument: "source") { _ = try comm.ireceive(Int.self, count: 1, from: size) }
        // Case 21: invalid rank in probe.
        try expectError(.rank, argument: "source") { _ = try comm.probe(from: size) }
        try expectError(.rank, argument: "source") { _ = try comm.matchedProbe(from: size + 1) }
        try expectError(.rank, argument: "source") { _ = try comm.probeIfAvailable(from: -9) }
        try expectError(.tag, argument: "tag") { try comm.send([1], to: 0, tag: MPI.tagUpperBound + 1) }
        try expectError(.tag, argument: "sendTag") {
            let _: [Int] = try comm.sendReceive([1], to: 0, sendTag: -2, from: 0)
        }
        try expectError(.count, argument: "count") { _ = try comm.ireceive(Int.self, count: -1, from: 0) }
        let beyondInt = try expectError(.count, argument: "count") {
            // A count MPI 3.1 cannot take in an operation that cannot split
            // it (sends can); MPI never sees the (fake) buffer.
            let base = UnsafePointer<UInt8>(bitPattern: 0x1000)!
            var receive = [UInt8]()
            try comm.allGather(UnsafeBufferPointer(start: base, count: Int(Int32.max) + 1), into: &receive)
        }
        try check(beyondInt.message.contains("\(Int(Int32.max) + 1)") && beyondInt.operation == "MPI_Allgather",
                  "message: \(beyondInt)")
        try expectError(.argument, argument: "color") { _ = try comm.split(color: -1) }
        try expectError(.argument, argument: "name") { try comm.setName(String(repeating: "x", count: 10_000)) }
        // The message names the value too.
        let rankError = try expectError(.rank) { try comm.send([1], to: size + 40) }
        try check(rankError.message.contains("\(size + 40)") && rankError.operation == "MPI_Send", "message: \(rankError)")
    }

    // Case 20: errors MPI finds are returned, not fatal, with class and string.
    let nullType = Datatype(handle: cmpi_datatype_null())
    let typeError = try expectError(.type) { _ = try nullType.size() }
    try check(typeError.operation == "MPI_Type_size" && !typeError.message.isEmpty, "\(typeError)")
    try check(MPIError.Class.truncate.description == "MPI_ERR_TRUNCATE", "class name")
    do {
        _ = try nullType.size()
    } catch MPIError.Class.type {
        // matched by class pattern
    }
}

/// Throws on the last rank only: the whole job must end with a non-zero exit.
func throwOnLastRank(_ world: Communicator) throws {
    if world.rank == world.size - 1 {
        throw CheckFailure(description: "deliberate failure on the last rank")
    }
    // The other ranks wait for a message that never comes.
    let _: [Int] = try world.receive(from: world.size - 1, tag: 77)
}
