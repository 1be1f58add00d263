import CMPI

// The wildcards and the null process, as MPI spells them and back.
//
// MPI's values are small negative numbers (Open MPI: MPI_ANY_SOURCE -1,
// MPI_PROC_NULL -2, MPI_ANY_TAG -1; MPICH: -2, -1, -1), which everyday rank
// arithmetic produces: `rank - 1` at rank 0 would turn a receive into a
// receive from anyone. So MPI.anySource, MPI.processNull and MPI.anyTag are
// values next to Int.min that no arithmetic on ranks or tags reaches, and
// this file is the only place that translates them: every rank and tag MPI
// is given comes from `mpiRank` or `mpiTag`, every one it reports goes through
// `swiftRank` or `swiftTag`. Any other negative rank or tag is an error.

@usableFromInline
internal enum Wildcards {
    /// The Swift values (MPI.anySource, MPI.processNull, MPI.anyTag);
    /// constants, so that checking a rank against them costs a comparison.
    @inlinable static var anySource: Int { Int.min + 1 }
    @inlinable static var processNull: Int { Int.min + 2 }
    @inlinable static var anyTag: Int { Int.min + 3 }

    /// MPI's value of a wildcard or null rank, or nil for any other value.
    @inlinable @inline(__always)
    static func mpiRank(_ rank: Int, allowsAnySource: Bool) -> CInt? {
        if rank == processNull { return cmpi_proc_null() }
        if allowsAnySource && rank == anySource { return cmpi_any_source() }
        return nil
    }

    /// MPI's value of the tag wildcard, or nil for any other value.
    @inlinable @inline(__always)
    static func mpiTag(_ tag: Int) -> CInt? {
        tag == anyTag ? cmpi_any_tag() : nil
    }

    /// A rank as MPI reported it (a status's source).
    @inlinable @inline(__always)
    static func swiftRank(_ rank: CInt) -> Int {
        if _fastPath(rank >= 0) { return Int(rank) }
        if rank == cmpi_proc_null() { return processNull }
        if rank == cmpi_any_source() { return anySource }
        return Int(rank)
    }

    /// A tag as MPI reported it (a status's tag).
    @inlinable @inline(__always)
    static func swiftTag(_ tag: CInt) -> Int {
        if _fastPath(tag >= 0) { return Int(tag) }
        return tag == cmpi_any_tag() ? anyTag : Int(tag)
    }
}
