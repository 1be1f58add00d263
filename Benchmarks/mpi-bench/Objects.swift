import ArgumentParser
import MPI
import BenchmarkLoops
#if canImport(Glibc)
import Glibc
#endif

// Object messages (issue 13): ping-pong latency and broadcast of Codable
// values through the object API (send(object:) + receiveObject, and
// broadcast(object:)), each iteration encoding, sending, receiving and
// decoding as a user's program does; beside them the typed [Double] message
// of the same size, and a struct datatype ([Particle]) against the same
// memory sent as bytes. Timed as latency and bcast are (OSU's method):
// a barrier, warm-up, timed iterations; ping-pong latency is half the round
// trip on rank 0, a broadcast the mean over ranks of each rank's average call
// with a barrier between calls. Benchmarks/README.md says what is sent.

/// (a): a small record.
struct Record: Codable {
    var id: Int
    var value: Double
    var name: String

    static let sample = Record(id: 42, value: 3.14, name: "abcdefghijklmnop")   // 16 characters
}

/// (c): a struct holding an array of doubles.
struct Samples: Codable {
    var values: [Double]

    init(count: Int) { values = (0..<count).map { Double($0) * 0.5 } }
}

/// (b): 100 string keys to doubles ("key00" ... "key99", as the mpi4py twin).
func sampleDictionary() -> [String: Double] {
    var dictionary: [String: Double] = [:]
    for index in 0..<100 { dictionary["key\(index < 10 ? "0" : "")\(index)"] = Double(index) + 0.25 }
    return dictionary
}

/// A struct of element types with padding: 33 bytes of data in its stride.
struct Particle: MPIElement, Equatable {
    var position: SIMD3<Double>
    var charge: Float
    var id: Int32
    var alive: Bool

    static var mpiDatatype: Datatype {
        .structure(of: Particle.self) {
            $0.add(\.position, named: "position")
            $0.add(\.charge, named: "charge")
            $0.add(\.id, named: "id")
            $0.add(\.alive, named: "alive")
        }
    }

    static func sample(_ index: Int) -> Particle {
        Particle(position: [Double(index), 1, -1], charge: 0.5, id: Int32(truncatingIfNeeded: index), alive: index % 2 == 0)
    }
}

enum ObjectPayload: String, ExpressibleByArgument, CaseIterable {
    case record, dictionary, array
}

/// Array sizes in bytes of doubles: 1 KiB to 4 MiB in powers of 4, or
/// powers of two over `-m MIN:MAX` (rounded down to whole doubles).
func arraySizes(_ options: BenchmarkOptions) throws -> [Int] {
    if options.sizes != nil {
        return try options.messageSizes(minimum: 1024, maximum: 1 << 22).filter { $0 >= 8 }
    }
    return (0...6).map { 1024 << (2 * $0) }
}

/// Iterations for object messages: OSU's latency (or collective) counts by
/// the message's size (10000 and 100 up to 8 KiB, then 1000 and 10), 2000 and
/// 100 for the dictionary, 30 and 3 from 1 MiB (to keep `make bench` short).
func objectCounts(_ options: BenchmarkOptions, bytes: Int, collective: Bool, dictionary: Bool = false)
    -> (iterations: Int, warmup: Int)
{
    if bytes >= 1 << 20 { return (options.iterations ?? 30, options.warmup ?? 3) }
    if dictionary { return (options.iterations ?? (collective ? 1000 : 2000), options.warmup ?? 100) }
    return collective
        ? options.counts(for: bytes, small: collectiveCounts.small, large: collectiveCounts.large)
        : options.counts(for: bytes, small: latencyCounts.small, large: latencyCounts.large)
}

/// The options of the object benchmarks, besides OSU's.
struct ObjectOptions: ParsableArguments {
    @Option(help: "record, dictionary or array (a struct holding a [Double] of 1 KiB to 4 MiB).")
    var payload: ObjectPayload = .record

    @Flag(help: "array only: the typed [Double] message of the same size instead (send, receive into the caller's array).")
    var typed = false

    @Flag(help: "array, latency only: the typed [Double] message received into a new array each time (receive(_:from:tag:)), as an object receive returns a new value.")
    var typedNew = false
}

/// OSU's ping-pong between ranks 0 and 1 (the loop of `BenchmarkLoops.pingPong` for any
/// message): rank 0 runs `ping` (send, then receive the echo) and times each round trip, rank 1
/// runs `echo` (receive, then send back). Returns the row on rank 0 (`size` as given).
func timedRoundTrips(
    _ world: Communicator, size: Int, iterations: Int, warmup: Int, ping: () throws -> Void, echo: () throws -> Void
) throws -> Row? {
    var times = IterationTimes(capacity: iterations)
    var total = 0.0
    try world.barrier()
    if world.rank < 2 {
        for iteration in 0..<(warmup + iterations) {
            if world.rank == 0 {
                var start = 0.0
                if iteration >= warmup { start = try MPI.wallTime() }
                try ping()
                if iteration >= warmup {
                    let took = try MPI.wallTime() - start
                    total += took
                    times.record(seconds: took / 2)
                }
            } else {
                try echo()
            }
        }
    }
    guard world.rank == 0 else { return nil }
    return Row(size: size, value: total * 1e6 / Double(2 * iterations), median: times.median, p99: times.p99,
               iterations: iterations, elapsed: total)
}

/// A ping-pong of objects: rank 0 sends its value and receives the echo, rank 1 receives
/// (decodes) and sends back what it decoded.
func objectPingPong<T: Codable>(
    _ world: Communicator, _ value: T, size: Int, iterations: Int, warmup: Int
) throws -> Row? {
    let peer = world.rank == 0 ? 1 : 0
    var kept = value
    defer { withExtendedLifetime(kept) {} }
    return try timedRoundTrips(world, size: size, iterations: iterations, warmup: warmup, ping: {
        try world.send(object: value, to: peer, tag: 1)
        kept = try world.receiveObject(T.self, from: peer, tag: 1)
    }, echo: {
        kept = try world.receiveObject(T.self, from: peer, tag: 1)
        try world.send(object: kept, to: peer, tag: 1)
    })
}

/// The same ping-pong of a typed message: `outgoing` sent, received into `incoming` (the caller's buffer).
func typedPingPong<Buffer: ReceiveBuffer>(
    _ world: Communicator, outgoing: Buffer, incoming: inout Buffer, size: Int, iterations: Int, warmup: Int
) throws -> Row? {
    let peer = world.rank == 0 ? 1 : 0
    return try timedRoundTrips(world, size: size, iterations: iterations, warmup: warmup, ping: {
        try world.send(outgoing, to: peer, tag: 1)
        try world.receive(into: &incoming, from: peer, tag: 1)
    }, echo: {
        try world.receive(into: &incoming, from: peer, tag: 1)
        try world.send(outgoing, to: peer, tag: 1)
    })
}

/// The row's size for a payload: 1 for the record, 100 (entries) for the dictionary, bytes of doubles for arrays.
enum PayloadSize {
    static let record = 1
    static let dictionary = 100
}

struct ObjectLatency: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "object-latency",
        abstract: "Ping-pong latency of object messages (send(object:) + receiveObject) between ranks 0 and 1.")
    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var objectOptions: ObjectOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        guard world.size >= 2 else { throw ValidationError("object-latency needs 2 ranks") }
        report.describe(title: "Object Message Latency Test", unit: "us")
        report.payload = objectOptions.payload.rawValue + (objectOptions.typed ? " (typed [Double])" : "")
            + (objectOptions.typedNew ? " (typed [Double] into new arrays)" : "")
        func add(_ row: Row?, encoding value: some Encodable) throws {
            if world.rank == 0, let row {
                report.append(row)
                report.encodedBytes[String(row.size)] = try ObjectEncoder().encode(value).count
            }
        }
        switch objectOptions.payload {
        case .record:
            let (iterations, warmup) = objectCounts(options, bytes: 0, collective: false)
            try add(try objectPingPong(world, Record.sample, size: PayloadSize.record, iterations: iterations, warmup: warmup),
                    encoding: Record.sample)
        case .dictionary:
            let dictionary = sampleDictionary()
            let (iterations, warmup) = objectCounts(options, bytes: 0, collective: false, dictionary: true)
            try add(try objectPingPong(world, dictionary, size: PayloadSize.dictionary, iterations: iterations,
                                       warmup: warmup), encoding: dictionary)
        case .array:
            for bytes in try arraySizes(options) {
                let (iterations, warmup) = objectCounts(options, bytes: bytes, collective: false)
                let samples = Samples(count: bytes / 8)
                if objectOptions.typed {
                    var incoming = [Double](repeating: 0, count: bytes / 8)
                    let row = try typedPingPong(world, outgoing: samples.values, incoming: &incoming, size: bytes,
                                                iterations: iterations, warmup: warmup)
                    if world.rank == 0, let row { report.append(row) }
                } else if objectOptions.typedNew {
                    let row = try newArrayPingPong(world, outgoing: samples.values, size: bytes, iterations: iterations,
                                                   warmup: warmup)
                    if world.rank == 0, let row { report.append(row) }
                } else {
                    try add(try objectPingPong(world, samples, size: bytes, iterations: iterations, warmup: warmup),
                            encoding: samples)
                }
            }
        }
    }
}

struct ObjectBroadcast: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "object-broadcast", abstract: "broadcast(object:root:) latency (every rank returns the decoded object).")
    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var objectOptions: ObjectOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        report.describe(title: "Object Broadcast Latency Test", unit: "us")
        report.payload = objectOptions.payload.rawValue + (objectOptions.typed ? " (typed [Double])" : "")
        func series<T: Codable>(_ value: T, size: Int, bytes: Int) throws {
            let (iterations, warmup) = objectCounts(options, bytes: bytes, collective: true,
                                                    dictionary: size == PayloadSize.dictionary && bytes == 0)
            var kept = value
            let mine: T? = world.rank == 0 ? value : nil
            let row = try timeCollective(world, size: size, iterations: iterations, warmup: warmup) {
                kept = try world.broadcast(object: mine, root: 0)
            }
            withExtendedLifetime(kept) {}
            if world.rank == 0, var row {
                if !options.full { (row.min, row.max) = (nil, nil) }
                report.append(row)
                report.encodedBytes[String(size)] = try ObjectEncoder().encode(value).count
            }
        }
        switch objectOptions.payload {
        case .record: try series(Record.sample, size: PayloadSize.record, bytes: 0)
        case .dictionary: try series(sampleDictionary(), size: PayloadSize.dictionary, bytes: 0)
        case .array:
            for bytes in try arraySizes(options) {
                if objectOptions.typed {
                    let (iterations, warmup) = objectCounts(options, bytes: bytes, collective: true)
                    var buffer = Samples(count: bytes / 8).values
                    if var row = try timeCollective(world, size: bytes, iterations: iterations, warmup: warmup, {
                        try world.broadcast(&buffer, root: 0)
                    }), world.rank == 0 {
                        if !options.full { (row.min, row.max) = (nil, nil) }
                        report.append(row)
                    }
                } else {
                    try series(Samples(count: bytes / 8), size: bytes, bytes: bytes)
                }
            }
        }
    }
}

enum ParticlePayload: String, ExpressibleByArgument {
    /// [Particle] through its struct datatype, received into a new array
    /// (the binding refuses to receive a padded struct into a buffer).
    case particles
    /// The particles received into a new array each time (receive(Particle.self, from:tag:)).
    case particlesNew = "particles-new"
    /// The same memory as [UInt8] (count × stride bytes), received into the caller's buffer.
    case bytes
    /// The same, received into a new array (receive(UInt8.self, from:tag:)), as the particles are.
    case bytesNew = "bytes-new"
    /// The datatype's data only (count × its size, 33) as [UInt8], received into a new array.
    case data
}

/// Particle counts: 1 to 32 Ki in powers of 8 (or powers of two over `-m MIN:MAX`, in particles).
func particleCounts(_ options: BenchmarkOptions) throws -> [Int] {
    if options.sizes != nil { return try options.messageSizes(minimum: 1, maximum: 1 << 16).filter { $0 > 0 } }
    return (0...5).map { 1 << (3 * $0) }
}

struct ParticleOptions: ParsableArguments {
    @Option(help: "particles ([Particle], a struct datatype, into the caller's buffer), particles-new (into a new array), bytes (count × stride as [UInt8], into the caller's buffer), bytes-new (the same into a new array) or data (count × the type's size as [UInt8], into a new array).")
    var payload: ParticlePayload = .particles
}

/// Bytes one message of `count` particles takes as `payload`.
func particleBytes(_ count: Int, _ payload: ParticlePayload, dataSize: Int) -> Int {
    switch payload {
    case .particles, .particlesNew, .bytes, .bytesNew: return count * MemoryLayout<Particle>.stride
    case .data: return count * dataSize
    }
}

struct ParticleLatency: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "particle-latency",
        abstract: "Ping-pong latency of [Particle] (a struct datatype) or of the same bytes as [UInt8]; size = particles.")
    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var particleOptions: ParticleOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        guard world.size >= 2 else { throw ValidationError("particle-latency needs 2 ranks") }
        let dataSize = try Particle.mpiDatatype.size()
        report.describe(title: "Particle Latency Test", unit: "us")
        report.payload = particleOptions.payload.rawValue
        report.layout = ["stride": MemoryLayout<Particle>.stride, "type_size": dataSize,
                         "type_extent": try Particle.mpiDatatype.extent().extent]
        for count in try particleCounts(options) {
            let bytes = particleBytes(count, particleOptions.payload, dataSize: dataSize)
            let (iterations, warmup) = objectCounts(options, bytes: bytes, collective: false)
            let row: Row?
            switch particleOptions.payload {
            case .particles:
                var incoming = [Particle](repeating: Particle.sample(0), count: count)
                row = try typedPingPong(world, outgoing: (0..<count).map(Particle.sample), incoming: &incoming, size: count,
                                        iterations: iterations, warmup: warmup)
            case .particlesNew:
                row = try newArrayPingPong(world, outgoing: (0..<count).map(Particle.sample), size: count,
                                           iterations: iterations, warmup: warmup)
            case .bytes:
                let outgoing = [UInt8](repeating: 0x61, count: bytes)
                var incoming = [UInt8](repeating: 0x62, count: bytes)
                row = try typedPingPong(world, outgoing: outgoing, incoming: &incoming, size: count,
                                        iterations: iterations, warmup: warmup)
            case .bytesNew, .data:
                row = try newArrayPingPong(world, outgoing: [UInt8](repeating: 0x61, count: bytes), size: count,
                                           iterations: iterations, warmup: warmup)
            }
            if world.rank == 0, let row { report.append(row) }
        }
    }
}

/// The ping-pong of a typed message received into a new array each time
/// (receive(T.self, from:tag:): a matched probe, then the array exactly as long as the message).
func newArrayPingPong<Element: MPIElement>(
    _ world: Communicator, outgoing: [Element], size: Int, iterations: Int, warmup: Int
) throws -> Row? {
    let peer = world.rank == 0 ? 1 : 0
    var kept = outgoing
    defer { withExtendedLifetime(kept) {} }
    return try timedRoundTrips(world, size: size, iterations: iterations, warmup: warmup, ping: {
        try world.send(outgoing, to: peer, tag: 1)
        kept = try world.receive(Element.self, from: peer, tag: 1)
    }, echo: {
        kept = try world.receive(Element.self, from: peer, tag: 1)
        try world.send(outgoing, to: peer, tag: 1)
    })
}

/// No messages: the time of `ObjectEncoder().encode` and `ObjectDecoder().decode` alone for each
/// payload, on rank 0 (text; for profiles: what of an object message's latency is the codec's).
struct ObjectCodec: BenchmarkCommand {
    static let configuration = CommandConfiguration(
        commandName: "object-codec", abstract: "Encode and decode times of the object payloads, without MPI traffic (rank 0).")
    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var objectOptions: ObjectOptions

    func benchmark(_ world: Communicator, _ report: inout Report) throws {
        report.describe(title: "Object Codec Test (no messages; the figures are above)", unit: "us")
        guard world.rank == 0 else { return }
        func time<T: Codable>(_ value: T, size: Int) throws {
            let bytes = size >= 1 << 20 ? size : 0
            let iterations = options.iterations ?? (bytes > 0 ? 200 : 20_000)
            var encoded: [UInt8] = []
            var decoded = value
            for _ in 0..<10 { encoded = try ObjectEncoder().encode(value) }
            let began = try MPI.wallTime()
            for _ in 0..<iterations { encoded = try ObjectEncoder().encode(value) }
            let encoding = (try MPI.wallTime() - began) / Double(iterations)
            let decodeBegan = try MPI.wallTime()
            for _ in 0..<iterations { decoded = try ObjectDecoder().decode(T.self, from: encoded) }
            let decoding = (try MPI.wallTime() - decodeBegan) / Double(iterations)
            withExtendedLifetime(decoded) {}
            print("\(objectOptions.payload.rawValue) \(size): encode \(String(format: "%.3f", encoding * 1e6)) us, "
                  + "decode \(String(format: "%.3f", decoding * 1e6)) us, \(encoded.count) bytes")
        }
        switch objectOptions.payload {
        case .record: try time(Record.sample, size: PayloadSize.record)
        case .dictionary: try time(sampleDictionary(), size: PayloadSize.dictionary)
        case .array: for bytes in try arraySizes(options) { try time(Samples(count: bytes / 8), size: bytes) }
        }
    }
}
