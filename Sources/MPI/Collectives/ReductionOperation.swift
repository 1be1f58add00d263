import CMPI

/// A reduction over elements of type `T` (MPI_Op): one of MPI's predefined
/// operations, or a Swift closure.
///
/// Which predefined operations exist for a type is decided at compile time:
/// `.sum` needs a `Numeric` element, `.min` a `Comparable` one, the bitwise
/// operations a `FixedWidthInteger`, the logical ones `Bool`, and `.minLoc`
/// and `.maxLoc` a ``ValueAndRank``. So `allReduce(1.5, .bitwiseAnd)` does not
/// compile.
public struct ReductionOperation<T: MPIElement>: @unchecked Sendable {
    @usableFromInline internal let handle: OperationHandle
    /// The datatype reductions with this operation use: the element's own, or
    /// for a closure a private duplicate that identifies the closure.
    @usableFromInline internal let datatype: DatatypeHandle
    /// Keeps a closure's MPI_Op alive; nil for predefined operations.
    @usableFromInline internal let custom: CustomOperation?
    /// For messages: MPI_SUM, MPI_MAX, ... or "a Swift closure".
    @usableFromInline internal let name: String

    @inlinable
    internal init(predefined handle: OperationHandle, name: String) {
        self.handle = handle
        self.datatype = T.mpiDatatype.handle
        self.custom = nil
        self.name = name
    }

    internal init(custom: CustomOperation) {
        self.handle = custom.handle
        self.datatype = custom.datatype
        self.custom = custom
        self.name = "a Swift closure"
    }

    /// A reduction written in Swift (MPI_Op_create).
    ///
    /// MPI combines values as `combine(lower, higher)`, where `lower` holds
    /// the partial result of lower ranks. A non-commutative operation is
    /// applied in rank order, `((v0 ∘ v1) ∘ v2) ∘ …`, as MPI promises; a
    /// commutative one lets MPI pick the order. The MPI_Op is freed
    /// (MPI_Op_free) when the last copy of the operation goes.
    ///
    /// `combine` may run on a thread MPI uses for progress, and must not call MPI.
    /// - Parameters:
    ///   - commutative: whether `combine(a, b) == combine(b, a)` for all values.
    ///   - combine: an associative operation.
    public static func custom(commutative: Bool, _ combine: @escaping (T, T) -> T) -> ReductionOperation {
        do {
            return ReductionOperation(custom: try CustomOperation(T.self, commutative: commutative, combine))
        } catch {
            // Creating an operation fails only without an MPI environment;
            // the collective that uses it reports that.
            return ReductionOperation(predefined: cmpi_op_null(), name: "an operation made outside MPI (\(error))")
        }
    }
}

extension ReductionOperation where T: Numeric {
    /// MPI_SUM. For 8- and 16-bit integers a user-defined operation made with
    /// MPI_Op_create that wraps on overflow as MPI_SUM should (Open MPI 4.1's
    /// vectorized MPI_SUM saturates them instead; see the README).
    @inlinable public static var sum: ReductionOperation {
        if T.self is any FixedWidthInteger.Type && MemoryLayout<T>.size <= 2 {
            return ReductionOperation(predefined: MPIEnvironmentState.wrappingSum, name: "MPI_SUM")
        }
        return ReductionOperation(predefined: cmpi_sum(), name: "MPI_SUM")
    }
    /// MPI_PROD.
    @inlinable public static var product: ReductionOperation { ReductionOperation(predefined: cmpi_prod(), name: "MPI_PROD") }
}

extension ReductionOperation where T: Comparable {
    /// MPI_MIN. Under MPICH, for unsigned integers, a user-defined operation
    /// made with MPI_Op_create (MPICH 4.0.2 compares them as signed).
    @inlinable public static var min: ReductionOperation {
        if T.self is any UnsignedInteger.Type && MPIEnvironmentState.unsignedMinimum != cmpi_op_null() {
            return ReductionOperation(predefined: MPIEnvironmentState.unsignedMinimum, name: "MPI_MIN")
        }
        return ReductionOperation(predefined: cmpi_min(), name: "MPI_MIN")
    }
    /// MPI_MAX. Under MPICH, for unsigned integers, a user-defined operation
    /// made with MPI_Op_create (MPICH 4.0.2 compares them as signed).
    @inlinable public static var max: ReductionOperation {
        if T.self is any UnsignedInteger.Type && MPIEnvironmentState.unsignedMaximum != cmpi_op_null() {
            return ReductionOperation(predefined: MPIEnvironmentState.unsignedMaximum, name: "MPI_MAX")
        }
        return ReductionOperation(predefined: cmpi_max(), name: "MPI_MAX")
    }
}

extension ReductionOperation where T == Bool {
    /// MPI_LAND.
    @inlinable public static var logicalAnd: ReductionOperation { ReductionOperation(predefined: cmpi_land(), name: "MPI_LAND") }
    /// MPI_LOR.
    @inlinable public static var logicalOr: ReductionOperation { ReductionOperation(predefined: cmpi_lor(), name: "MPI_LOR") }
    /// MPI_LXOR.
    @inlinable public static var logicalXor: ReductionOperation { ReductionOperation(predefined: cmpi_lxor(), name: "MPI_LXOR") }
}

extension ReductionOperation where T: FixedWidthInteger {
    /// MPI_BAND.
    @inlinable public static var bitwiseAnd: ReductionOperation { ReductionOperation(predefined: cmpi_band(), name: "MPI_BAND") }
    /// MPI_BOR.
    @inlinable public static var bitwiseOr: ReductionOperation { ReductionOperation(predefined: cmpi_bor(), name: "MPI_BOR") }
    /// MPI_BXOR.
    @inlinable public static var bitwiseXor: ReductionOperation { ReductionOperation(predefined: cmpi_bxor(), name: "MPI_BXOR") }
}

extension ReductionOperation where T: ValueAndRankProtocol {
    /// MPI_MINLOC: the smallest value, with the lowest rank among those that hold it.
    @inlinable public static var minLoc: ReductionOperation { ReductionOperation(predefined: cmpi_minloc(), name: "MPI_MINLOC") }
    /// MPI_MAXLOC: the largest value, with the lowest rank among those that hold it.
    @inlinable public static var maxLoc: ReductionOperation { ReductionOperation(predefined: cmpi_maxloc(), name: "MPI_MAXLOC") }
}
