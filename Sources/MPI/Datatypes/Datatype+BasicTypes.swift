import CMPI

extension Datatype {
    /// The predefined datatypes this datatype is built from, each once, in
    /// the order first met (one entry for a predefined datatype itself).
    /// One-sided accumulates allow only datatypes with a single one (MPI 3.1
    /// section 11.3.4); MPICH 4.0.2 aborts on others (an assertion in its
    /// packing code, measured with a padded struct of Bool, Double, Int8 and Int32).
    ///
    /// The corresponding C functions are `MPI_Type_get_envelope`, `MPI_Type_get_contents` and `MPI_Type_free`.
    internal func basicTypes() throws -> [DatatypeHandle] {
        var found: [DatatypeHandle] = []
        try Datatype.collectBasicTypes(handle, into: &found)
        return found
    }

    private static func collectBasicTypes(_ type: DatatypeHandle, into found: inout [DatatypeHandle]) throws {
        var integers: CInt = 0, addresses: CInt = 0, datatypes: CInt = 0, combiner: CInt = 0
        try MPIC.typeGetEnvelope(type, &integers, &addresses, &datatypes, &combiner)
        if combiner == cmpi_combiner_named() {
            if !found.contains(type) { found.append(type) }
            return
        }
        var integerValues = [CInt](repeating: 0, count: Int(integers))
        var addressValues = [MPI_Aint](repeating: 0, count: Int(addresses))
        var parts = [DatatypeHandle](repeating: cmpi_datatype_null(), count: Int(datatypes))
        try MPIC.typeGetContents(type, integers, addresses, datatypes, &integerValues, &addressValues, &parts)
        for var part in parts {
            try collectBasicTypes(part, into: &found)
            // MPI_Type_get_contents hands back derived datatypes as new handles to free.
            var partIntegers: CInt = 0, partAddresses: CInt = 0, partDatatypes: CInt = 0, partCombiner: CInt = 0
            try MPIC.typeGetEnvelope(part, &partIntegers, &partAddresses, &partDatatypes, &partCombiner)
            if partCombiner != cmpi_combiner_named() { try MPIC.typeFree(&part) }
        }
    }
}
