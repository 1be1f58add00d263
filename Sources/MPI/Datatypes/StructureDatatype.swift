/// The stored properties of a struct, described for its MPI datatype
/// (``Datatype/structure(of:_:)``). `@MPIDatatype` (the `MPIMacros` product)
/// writes the description from the struct's declaration.
public struct StructureFields<Root: BitwiseCopyable> {
    /// One stored property: where it is, what it holds, what it is called.
    internal struct Field {
        let name: String
        let offset: Int?
        let size: Int
        let datatype: Datatype
        let layoutError: MPIError?
    }

    internal var fields: [Field] = []

    internal init() {}

    /// Adds the stored property at `keyPath`, called `name` (used in errors
    /// and to check that every stored property is described).
    public mutating func add<Field: MPIElement>(_ keyPath: KeyPath<Root, Field>, named name: String) {
        var layoutError: MPIError?
        let datatype = Field.mpiDatatype
        do {
            _ = try Field.checkedDatatype("MPI_Type_create_struct")
        } catch let error as MPIError {
            layoutError = error
        } catch {
            layoutError = MPIError(errorClass: .type, message: "\(error)", operation: "MPI_Type_create_struct")
        }
        fields.append(.init(name: name, offset: MemoryLayout<Root>.offset(of: keyPath), size: MemoryLayout<Field>.size,
                            datatype: datatype, layoutError: layoutError))
    }
}

extension Datatype {
    /// The MPI datatype of the struct `Root`, from its stored properties:
    /// `MPI_Type_create_struct` with each property's offset in
    /// `MemoryLayout<Root>`, `MPI_Type_create_resized` to lower bound 0 and
    /// extent `MemoryLayout<Root>.stride`, and `MPI_Type_commit`.
    ///
    /// Made once per type at first use after MPI is initialized (`describe`
    /// runs only then), cached, and freed by `MPI.finalize()`. A description
    /// that leaves out a stored property, names one twice, or holds a field
    /// whose own datatype does not fit it is not made: the first operation
    /// on the type throws `MPIError` (class `.type`) naming the type and the
    /// property. Before MPI is initialized the result is MPI_DATATYPE_NULL.
    ///
    /// Usually written by `@MPIDatatype` (the `MPIMacros` product):
    /// ```swift
    /// extension Particle: MPIElement {
    ///     static var mpiDatatype: Datatype {
    ///         .structure(of: Particle.self) {
    ///             $0.add(\.position, named: "position")
    ///             $0.add(\.charge, named: "charge")
    ///         }
    ///     }
    /// }
    /// ```
    public static func structure<Root: BitwiseCopyable>(
        of type: Root.Type, _ describe: (inout StructureFields<Root>) -> Void
    ) -> Datatype {
        DerivedDatatypes.datatype(for: type) {
            var fields = StructureFields<Root>()
            describe(&fields)
            return try DerivedDatatypes.makeStructure(Root.self, fields.fields)
        }
    }
}
