import CMPI

// The MPI C functions of the tool information interface (MPI_T) the package
// calls: reading control variables, which is how Open MPI shows its MCA
// parameters. MPI_T may be used before MPI_Init and after MPI_Finalize, and
// its codes are MPI_T's own (not error classes), so every form returns the
// code for the caller to interpret.

extension MPIC {
    /// `MPI_T_init_thread`.
    internal static func toolInitThreadReturningCode(_ required: CInt, _ provided: inout CInt) -> CInt {
        MPI_T_init_thread(required, &provided)
    }

    /// `MPI_T_finalize`.
    internal static func toolFinalizeReturningCode() -> CInt {
        MPI_T_finalize()
    }

    /// `MPI_T_cvar_get_num`.
    internal static func toolControlVariableCountReturningCode(_ count: inout CInt) -> CInt {
        MPI_T_cvar_get_num(&count)
    }

    /// The name of control variable `index` (`MPI_T_cvar_get_info`), or nil
    /// where MPI_T has none (a variable withdrawn by an unselected component).
    internal static func toolControlVariableName(_ index: CInt) -> String? {
        var name = [CChar](repeating: 0, count: 256)
        var length = CInt(name.count)
        guard cmpi_t_cvar_name(index, &name, &length) == cmpi_success() else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The value of control variable `index` if it is one integer
    /// (`MPI_T_cvar_handle_alloc`, `MPI_T_cvar_read`, `MPI_T_cvar_handle_free`),
    /// or nil where MPI_T refuses.
    internal static func toolControlVariableUnsigned(_ index: CInt) -> UInt32? {
        var value: CUnsignedInt = 0
        guard cmpi_t_cvar_read_unsigned(index, &value) == cmpi_success() else { return nil }
        return UInt32(value)
    }
}
