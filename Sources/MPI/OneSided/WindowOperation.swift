import CMPI

/// An operation an accumulate applies at the target (MPI 3.1 section
/// 11.3.4): MPI's predefined reductions, `MPI_REPLACE` and `MPI_NO_OP`.
/// User-defined operations are not allowed in one-sided accumulates, so a
/// Swift closure cannot be one.
public struct WindowOperation<Element: MPIElement>: @unchecked Sendable {
    @usableFromInline internal let handle: OperationHandle
    internal init(_ handle: OperationHandle) { self.handle = handle }
}

extension WindowOperation {
    /// The target's element becomes the origin's (`MPI_REPLACE`): an atomic put.
    public static var replace: WindowOperation { WindowOperation(cmpi_replace()) }
    /// The target is left as it is (`MPI_NO_OP`): with ``Window/getAccumulate(_:to:at:_:)``, an atomic get.
    public static var noOperation: WindowOperation { WindowOperation(cmpi_no_op()) }
}

extension WindowOperation where Element: Numeric {
    /// `MPI_SUM`.
    public static var sum: WindowOperation { WindowOperation(cmpi_sum()) }
    /// `MPI_PROD`.
    public static var product: WindowOperation { WindowOperation(cmpi_prod()) }
}

extension WindowOperation where Element: Comparable {
    /// `MPI_MIN`.
    public static var min: WindowOperation { WindowOperation(cmpi_min()) }
    /// `MPI_MAX`.
    public static var max: WindowOperation { WindowOperation(cmpi_max()) }
}

extension WindowOperation where Element: FixedWidthInteger {
    /// `MPI_BAND`.
    public static var bitwiseAnd: WindowOperation { WindowOperation(cmpi_band()) }
    /// `MPI_BOR`.
    public static var bitwiseOr: WindowOperation { WindowOperation(cmpi_bor()) }
    /// `MPI_BXOR`.
    public static var bitwiseXor: WindowOperation { WindowOperation(cmpi_bxor()) }
}
