import CMPI

// The calling convention before MPIC, kept until every file calls through MPIC.

@inlinable @inline(__always)
internal func mpiCall(_ operation: StaticString, _ call: @autoclosure () -> CInt) throws {
    try MPIC.check(operation, call())
}

@inlinable @inline(__always)
internal func mpiCallAnytime(_ operation: StaticString, _ call: @autoclosure () -> CInt) throws {
    try MPIC.checkAnytime(operation, call())
}

@usableFromInline
internal func mpiCallInDeinit(_ operation: StaticString, _ call: () -> CInt) {
    MPIC.releasing { try MPIC.checkAnytime(operation, call()) }
}
