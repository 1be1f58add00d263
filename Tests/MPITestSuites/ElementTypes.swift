import MPI
import CMPI

// An element type's datatype must lay elements out as Swift
// does. The package's own types do (checked here against MPI); a conformance
// whose datatype does not is an error naming the type at its first use, in
// every operation, instead of silently wrong data.

/// 20 bytes of data in a 24-byte stride.
struct Particle: MPIElement, Equatable {
    var position: Double
    var velocity: Double
    var charge: Int32
    /// Set by the test: a datatype of its choosing.
    nonisolated(unsafe) static var datatype = Datatype(handle: cmpi_datatype_null())
    static var mpiDatatype: Datatype { datatype }
}

/// Two doubles that claim to be one.
struct TwoDoubles: MPIElement, Equatable {
    var first: Double
    var second: Double
    static var mpiDatatype: Datatype { Double.mpiDatatype }
}

/// Two doubles described correctly (MPI_Type_contiguous(2, MPI_DOUBLE)).
struct Vector2: MPIElement, Equatable {
    var x: Double
    var y: Double
    nonisolated(unsafe) static var datatype = Datatype(handle: cmpi_datatype_null())
    static var mpiDatatype: Datatype { datatype }
}

func elementTypes(_ world: Communicator) throws {
    try checkPackageElementTypes()

    var vectorType = cmpi_datatype_null()
    try mpiCheck(MPI_Type_contiguous(2, cmpi_double(), &vectorType))
    try mpiCheck(MPI_Type_commit(&vectorType))
    Vector2.datatype = Datatype(handle: vectorType)
    // Particle's bytes as one block of 20: extent 20 for a stride of 24.
    var packedType = cmpi_datatype_null()
    try mpiCheck(MPI_Type_contiguous(20, cmpi_byte(), &packedType))
    try mpiCheck(MPI_Type_commit(&packedType))
    // Particle as MPI_Type_create_struct sees it, resized to the stride: right, with 4 bytes of padding.
    var structType = cmpi_datatype_null(), paddedType = cmpi_datatype_null()
    var lengths: [CInt] = [2, 1]
    var displacements: [MPI_Aint] = [0, MPI_Aint(MemoryLayout<Particle>.offset(of: \Particle.charge)!)]
    var types = [cmpi_double(), cmpi_int32()]
    try mpiCheck(MPI_Type_create_struct(2, &lengths, &displacements, &types, &structType))
    try mpiCheck(MPI_Type_create_resized(structType, 0, MPI_Aint(MemoryLayout<Particle>.stride), &paddedType))
    try mpiCheck(MPI_Type_commit(&paddedType))

    for comm in try communicators(of: world) {
        // A datatype that describes the type: everything works.
        let vectors = (0..<5).map { Vector2(x: Double($0), y: Double(comm.rank)) }
        let back: [Vector2] = try comm.sendingRight(vectors, tag: 4) { try comm.receive(from: comm.left, tag: 4) }
        try check(back == (0..<5).map { Vector2(x: Double($0), y: Double(comm.left)) }, "Vector2 round trip: \(back)")
        var broadcast = comm.rank == 0 ? vectors : [Vector2](repeating: Vector2(x: -1, y: -1), count: 5)
        try comm.broadcast(&broadcast, root: 0)
        try check(broadcast == (0..<5).map { Vector2(x: Double($0), y: 0) }, "Vector2 broadcast: \(broadcast)")

        // Datatypes that lie about the layout: every operation says so, naming the type.
        Particle.datatype = Datatype(handle: packedType)
        let particles = [Particle](repeating: Particle(position: 1, velocity: 2, charge: 3), count: 4)
        var incoming = [Particle](repeating: Particle(position: 0, velocity: 0, charge: 0), count: 4)
        let names: [(String, () throws -> Void)] = [
            ("send", { try comm.send(particles, to: MPI.processNull) }),
            ("isend", { _ = try comm.isend(particles, to: MPI.processNull) }),
            ("receive(into:)", { try comm.receive(into: &incoming, from: MPI.processNull) }),
            ("receive(from:)", { let _: [Particle] = try comm.receive(from: MPI.processNull) }),
            ("ireceive", { _ = try comm.ireceive(Particle.self, count: 4, from: MPI.processNull) }),
            ("broadcast", { try comm.broadcast(&incoming, root: 0) }),
            ("allGather", { _ = try comm.allGather(particles) }),
            ("gather(counts:)", { _ = try comm.gather(particles, counts: Array(repeating: 4, count: comm.size), root: 0) }),
            ("iallGather", { _ = try comm.iallGather(particles) }),
        ]
        for (operation, body) in names {
            let error = try expectError(.type, argument: "element type", body)
            try check(error.message.contains("Particle") && error.message.contains("extent 20")
                        && error.message.contains("stride is 24"), "\(operation): \(error)")
        }
        let twoDoubles = [TwoDoubles(first: 1, second: 2)]
        let error = try expectError(.type, argument: "element type") { try comm.send(twoDoubles, to: MPI.processNull) }
        try check(error.message.contains("TwoDoubles") && error.message.contains("extent 8"), "\(error)")
        try expectError(.type, argument: "element type") { _ = try comm.allReduce(twoDoubles, .custom(commutative: true) { a, _ in a }) }

        // A right datatype with padding: collectives place it by extent, and receives unpack it by
        // the datatype, into new arrays and into buffers alike (not packed into the padded array).
        Particle.datatype = Datatype(handle: paddedType)
        var gathered = try comm.allGather(Particle(position: Double(comm.rank), velocity: -1, charge: Int32(comm.rank)))
        try check(gathered == (0..<comm.size).map { Particle(position: Double($0), velocity: -1, charge: Int32($0)) },
                  "padded all-gather: \(gathered)")
        try comm.broadcast(&gathered, root: comm.size - 1)
        let sentToSelf = try comm.isend(gathered, to: comm.rank, tag: 8)
        var intoBuffer = [Particle](repeating: Particle(position: 0, velocity: 0, charge: 0), count: comm.size + 1)
        let bufferStatus = try comm.receive(into: &intoBuffer, from: comm.rank, tag: 8)
        try sentToSelf.wait()
        try check(bufferStatus.count == comm.size && Array(intoBuffer[0..<comm.size]) == gathered
                    && intoBuffer[comm.size] == Particle(position: 0, velocity: 0, charge: 0),
                  "padded receive into a buffer: \(intoBuffer), count \(String(describing: bufferStatus.count))")
        let (fromNull, nullStatus) = try comm.ireceive(into: incoming, from: MPI.processNull).wait()
        try check(fromNull == incoming && nullStatus.count == 0, "padded ireceive from MPI.processNull")
        let pairs: [ValueAndRank<Double>] = try comm.receive(from: MPI.processNull)
        let none: [Particle] = try comm.receive(from: MPI.processNull)
        try check(pairs.isEmpty && none.isEmpty, "receives from MPI.processNull into new arrays: \(pairs), \(none)")
        let toSelf = try comm.isend(gathered, to: comm.rank, tag: 9)
        let returned: [Particle] = try comm.receive(from: comm.rank, tag: 9)
        try toSelf.wait()
        try check(returned == gathered, "padded round trip to self: \(returned)")
        // Sends of padded types are right: MPI sends the data without the padding.
        try comm.send(particles, to: MPI.processNull)
    }
    for var type in [vectorType, packedType, structType, paddedType] { try mpiCheck(MPI_Type_free(&type)) }
}

/// Every element type of the package: its datatype has the size and extent
/// the package assumes (so that the layout check may skip it).
func checkPackageElementTypes() throws {
    func expect<T: MPIElement>(_ type: T.Type, size: Int) throws {
        var bytes: CInt = 0, lowerBound: MPI_Aint = 0, extent: MPI_Aint = 0
        try mpiCheck(MPI_Type_size(T.mpiDatatype.handle, &bytes))
        try mpiCheck(MPI_Type_get_extent(T.mpiDatatype.handle, &lowerBound, &extent))
        try check(Int(bytes) == size && lowerBound == 0 && Int(extent) == MemoryLayout<T>.stride,
                  "\(T.self): MPI size \(bytes), lower bound \(lowerBound), extent \(extent); stride \(MemoryLayout<T>.stride)")
    }
    func element<T: MPIElement>(_ type: T.Type) throws { try expect(type, size: MemoryLayout<T>.stride) }
    func pair<V: LocatableValue>(_ type: V.Type) throws {
        try expect(ValueAndRank<V>.self, size: MemoryLayout<V>.stride + 4)
    }
    try element(Int8.self); try element(Int16.self); try element(Int32.self); try element(Int64.self)
    try element(UInt8.self); try element(UInt16.self); try element(UInt32.self); try element(UInt64.self)
    try element(Int.self); try element(UInt.self); try element(Float.self); try element(Double.self)
    try element(Bool.self)
    try pair(Int16.self); try pair(Int32.self); try pair(Int.self); try pair(Float.self); try pair(Double.self)
    #if arch(x86_64) || arch(i386)
    try element(Float80.self)
    try pair(Float80.self)
    #endif
}

/// Checks the return code of an MPI call made directly.
func mpiCheck(_ code: CInt, file: StaticString = #fileID, line: UInt = #line) throws {
    try check(code == cmpi_success(), "MPI returned \(code)", file: file, line: line)
}
