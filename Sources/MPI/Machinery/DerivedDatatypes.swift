import CMPI

// The datatypes this package derives for element types of several values
// (structs, SIMD vectors, inline arrays): made once per type at first use
// while MPI is active, kept until MPI.finalize frees them. A description
// that cannot be made is remembered as its error, which the first operation
// on the type throws (ElementLayout.check).

internal enum DerivedDatatypes {
    private enum Entry {
        case made(Datatype)
        case failed(MPIError)
    }

    private static let entries = Locked<[ObjectIdentifier: Entry]>([:])

    /// The cached datatype of `type`, made by `make` the first time. `make`
    /// runs outside the lock: a struct's description asks for its fields'
    /// datatypes, which may be derived too.
    static func datatype<T>(for type: T.Type, _ make: () throws -> Datatype) -> Datatype {
        let key = ObjectIdentifier(type)
        let known: Entry? = entries.withLock { $0[key] }
        switch known {
        case .made(let datatype): return datatype
        case .failed: return Datatype(handle: cmpi_datatype_null())
        case nil: break
        }
        // Made only while MPI is active; asked earlier, the type waits for its first operation.
        guard MPIEnvironmentState.isActive else { return Datatype(handle: cmpi_datatype_null()) }
        let entry: Entry
        do {
            entry = .made(try make())
        } catch let error as MPIError {
            entry = .failed(error)
        } catch {
            entry = .failed(MPIError(errorClass: .type, message: "\(error)", operation: "MPI_Type_create_struct"))
        }
        let kept: Entry = entries.withLock { entries in
            if let first = entries[key] { return first }   // another thread made it meanwhile
            entries[key] = entry
            return entry
        }
        if case .made(let ours) = entry, case .made(let theirs) = kept, HandleKey(ours.handle) != HandleKey(theirs.handle) {
            var handle = ours.handle
            MPIC.releasing { try MPIC.typeFree(&handle) }
        }
        if case .made(let datatype) = kept { return datatype }
        return Datatype(handle: cmpi_datatype_null())
    }

    /// Why `type`'s datatype could not be made, if it could not.
    static func error<T>(for type: T.Type) -> MPIError? {
        entries.withLock { entries in
            if case .failed(let error) = entries[ObjectIdentifier(type)] { return error }
            return nil
        }
    }

    /// Frees every datatype made (MPI.finalize).
    static func freeAll() {
        entries.withLock { entries in
            for case .made(let datatype) in entries.values {
                var handle = datatype.handle
                MPIC.releasing { try MPIC.typeFree(&handle) }
            }
            entries.removeAll()
        }
    }

    /// A struct's datatype from its described fields, checked against its layout.
    static func makeStructure<Root: BitwiseCopyable>(_ type: Root.Type, _ fields: [StructureFields<Root>.Field]) throws -> Datatype {
        let name = String(reflecting: type)
        func refuse(_ reason: String) -> MPIError {
            MPIError.invalidArgument("element type", name, reason, errorClass: .type, operation: "MPI_Type_create_struct")
        }
        var seen = Set<String>()
        for field in fields {
            guard seen.insert(field.name).inserted else { throw refuse("its description names \(field.name) twice") }
            guard field.offset != nil else {
                throw refuse("\(field.name) is not a stored property (MemoryLayout has no offset for it)")
            }
            if let error = field.layoutError {
                throw refuse("the datatype of its property \(field.name) does not fit it: \(error.message)")
            }
        }
        // Every stored property must be described, or its bytes would not travel.
        for property in storedPropertyNames(of: type) where !seen.contains(property) {
            throw refuse("its stored property \(property) is not in its datatype's description; add it "
                         + "(@MPIDatatype from MPIMacros writes the description from the declaration)")
        }
        let ordered = fields.sorted { $0.offset! < $1.offset! }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where previous.offset! + previous.size > next.offset! {
            throw refuse("its properties \(previous.name) and \(next.name) overlap")
        }
        guard !ordered.isEmpty else { throw refuse("it has no stored properties to send") }
        let lengths = [CInt](repeating: 1, count: ordered.count)
        let offsets = ordered.map { MPI_Aint($0.offset!) }
        let types = ordered.map(\.datatype.handle)
        var structure = cmpi_datatype_null()
        try MPIC.typeCreateStruct(CInt(ordered.count), lengths, offsets, types, &structure)
        return try resizedAndCommitted(&structure, type)
    }

    /// `count` values of `Element` one after another, as in a SIMD vector or an inline array.
    static func makeRepetition<Root, Element: MPIElement>(_ type: Root.Type, of element: Element.Type, count: Int) throws -> Datatype {
        let elementType = try Element.checkedDatatype("MPI_Type_contiguous")
        var repeated = cmpi_datatype_null()
        try MPIC.typeContiguous(CInt(count), elementType, &repeated)
        return try resizedAndCommitted(&repeated, type)
    }

    /// Resizes `datatype` to `Root`'s stride (freeing the unresized one) and commits it.
    private static func resizedAndCommitted<Root>(_ datatype: inout DatatypeHandle, _ type: Root.Type) throws -> Datatype {
        var resized = cmpi_datatype_null()
        defer { MPIC.releasing { try MPIC.typeFree(&datatype) } }
        try MPIC.typeCreateResized(datatype, 0, MPI_Aint(MemoryLayout<Root>.stride), &resized)
        try MPIC.typeCommit(&resized)
        var size: CInt = 0
        try MPIC.typeSize(resized, &size)
        return Datatype(predefined: resized, size: Int(size), extent: MemoryLayout<Root>.stride)
    }

    /// The names of `type`'s stored properties, read by reflection from a
    /// zeroed value (the types described here are plain bits, so any bits
    /// make a value whose fields can be listed).
    private static func storedPropertyNames<Root: BitwiseCopyable>(of type: Root.Type) -> [String] {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, MemoryLayout<Root>.size),
                                                       alignment: MemoryLayout<Root>.alignment)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, MemoryLayout<Root>.size))
        let value = memory.load(as: Root.self)
        return Mirror(reflecting: value).children.compactMap(\.label)
    }
}
