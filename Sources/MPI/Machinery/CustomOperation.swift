import CMPI

// Reductions written as Swift closures.
//
// MPI calls a user operation through a C function pointer with no context
// argument, only (invec, inoutvec, len, datatype). So each closure gets its
// own datatype, and a registry maps that datatype to the closure. This stays
// right for nonblocking collectives, whose operation MPI may apply later,
// during any progress call. The datatype is the element's bytes, stride
// included (MPI_Type_contiguous of MPI_BYTE), not a duplicate of the
// element's type: pair types have a gap (MPI_DOUBLE_INT: 12 bytes of data in
// 16), and MPICH 4.0's reduce-scatter for non-commutative operations sizes its
// temporary buffers by the data and not the extent, so the closure would
// write past them. A type without gaps has no such difference.

/// An MPI_Op made from a Swift closure, freed with its datatype when the last
/// reference goes.
@usableFromInline
internal final class CustomOperation: @unchecked Sendable {
    @usableFromInline let handle: OperationHandle
    @usableFromInline let datatype: DatatypeHandle

    init<T: MPIElement>(_ type: T.Type, commutative: Bool, _ combine: @escaping (T, T) -> T) throws {
        try MPIC.requireActive("MPI_Op_create")
        var datatype = cmpi_datatype_null()
        try MPIC.typeContiguous(CInt(MemoryLayout<T>.stride), cmpi_byte(), &datatype)
        do {
            try MPIC.typeCommit(&datatype)
        } catch {
            try? MPIC.typeFree(&datatype)
            throw error
        }
        var handle = cmpi_op_null()
        do {
            try MPIC.opCreate(customOperationTrampoline, commutative ? 1 : 0, &handle)
        } catch {
            try? MPIC.typeFree(&datatype)
            throw error
        }
        self.handle = handle
        self.datatype = datatype
        let combiner = Combiner { input, inputOutput, count in
            let lower = input.assumingMemoryBound(to: T.self)
            let higher = inputOutput.assumingMemoryBound(to: T.self)
            for index in 0..<count {
                higher[index] = combine(lower[index], higher[index])
            }
        }
        CustomOperationRegistry.register(combiner, for: HandleKey(datatype))
    }

    deinit {
        CustomOperationRegistry.unregister(HandleKey(datatype))
        var handle = self.handle
        var datatype = self.datatype
        MPIC.releasing { try MPIC.opFree(&handle) }
        MPIC.releasing { try MPIC.typeFree(&datatype) }
    }
}

/// A type-erased closure combining `count` elements: `inout[i] = in[i] ∘ inout[i]`.
internal final class Combiner: @unchecked Sendable {
    let apply: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int) -> Void
    init(_ apply: @escaping (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int) -> Void) { self.apply = apply }
}

/// A handle as a dictionary key, whatever its representation.
internal struct HandleKey: Hashable, @unchecked Sendable {
    let handle: DatatypeHandle
    init(_ handle: DatatypeHandle) { self.handle = handle }
}

internal enum CustomOperationRegistry {
    private static let combiners = Locked<[HandleKey: Combiner]>([:])

    static func register(_ combiner: Combiner, for key: HandleKey) {
        combiners.withLock { $0[key] = combiner }
    }

    static func unregister(_ key: HandleKey) {
        combiners.withLock { _ = $0.removeValue(forKey: key) }
    }

    static func combiner(for key: HandleKey) -> Combiner? {
        combiners.withLock { $0[key] }
    }
}

/// The one C function MPI calls for every Swift operation.
private let customOperationTrampoline: @convention(c) (
    UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<CInt>?, UnsafeMutablePointer<DatatypeHandle>?
) -> Void = { input, inputOutput, length, datatype in
    guard let input, let inputOutput, let length, let datatype else { return }
    let combiner = CustomOperationRegistry.combiner(for: HandleKey(datatype.pointee))
    // Every datatype MPI can pass here was registered with its closure.
    guard let combiner else { fatalError("swift-mpi: a Swift reduction was called with an unknown datatype") }
    combiner.apply(input, inputOutput, Int(length.pointee))
}
