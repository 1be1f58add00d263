// The C shim: everything Swift cannot import from <mpi.h> directly.
//
// Open MPI spells handles as pointers behind cast macros (MPI_COMM_WORLD is
// `(MPI_Comm)&ompi_mpi_comm_world`), MPICH as integers. Swift imports neither
// kind of macro, so each predefined handle and constant is re-exported here as
// a static inline function returning the implementation's own type. Code above
// this file uses only these functions and the C typedefs (MPI_Comm, ...), never
// a representation. Constants that are enums in one implementation and macros
// in the other are exported as `int` for the same reason.
#ifndef CMPI_SHIM_H
#define CMPI_SHIM_H

#include <mpi.h>
#include <stddef.h>

#define CMPI_EXPORT static inline __attribute__((always_inline))

// Communicators and other null handles.
CMPI_EXPORT MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
CMPI_EXPORT MPI_Comm cmpi_comm_self(void) { return MPI_COMM_SELF; }
CMPI_EXPORT MPI_Comm cmpi_comm_null(void) { return MPI_COMM_NULL; }
CMPI_EXPORT MPI_Request cmpi_request_null(void) { return MPI_REQUEST_NULL; }
CMPI_EXPORT MPI_Message cmpi_message_null(void) { return MPI_MESSAGE_NULL; }
CMPI_EXPORT MPI_Message cmpi_message_no_proc(void) { return MPI_MESSAGE_NO_PROC; }
CMPI_EXPORT MPI_Info cmpi_info_null(void) { return MPI_INFO_NULL; }
CMPI_EXPORT MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
CMPI_EXPORT MPI_Status *cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
CMPI_EXPORT MPI_Status *cmpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }

// Groups and intercommunicators (chapter 6): handle macros Swift cannot import,
// and MPI_ROOT, whose value differs (Open MPI -4, MPICH -3).
CMPI_EXPORT MPI_Group cmpi_group_null(void) { return MPI_GROUP_NULL; }
CMPI_EXPORT MPI_Group cmpi_group_empty(void) { return MPI_GROUP_EMPTY; }
CMPI_EXPORT int cmpi_root(void) { return MPI_ROOT; }

// One-sided communication (chapter 11): the null window, the operations only
// RMA takes, assertion bits and lock types (macros in Open MPI, enums in MPICH),
// and the window attributes.
CMPI_EXPORT MPI_Win cmpi_win_null(void) { return MPI_WIN_NULL; }
CMPI_EXPORT MPI_Op cmpi_replace(void) { return MPI_REPLACE; }
CMPI_EXPORT MPI_Op cmpi_no_op(void) { return MPI_NO_OP; }
CMPI_EXPORT int cmpi_mode_nocheck(void) { return MPI_MODE_NOCHECK; }
CMPI_EXPORT int cmpi_mode_nostore(void) { return MPI_MODE_NOSTORE; }
CMPI_EXPORT int cmpi_mode_noput(void) { return MPI_MODE_NOPUT; }
CMPI_EXPORT int cmpi_mode_noprecede(void) { return MPI_MODE_NOPRECEDE; }
CMPI_EXPORT int cmpi_mode_nosucceed(void) { return MPI_MODE_NOSUCCEED; }
CMPI_EXPORT int cmpi_lock_shared(void) { return MPI_LOCK_SHARED; }
CMPI_EXPORT int cmpi_lock_exclusive(void) { return MPI_LOCK_EXCLUSIVE; }
CMPI_EXPORT int cmpi_win_model_attribute(void) { return MPI_WIN_MODEL; }
CMPI_EXPORT int cmpi_win_unified(void) { return MPI_WIN_UNIFIED; }
CMPI_EXPORT int cmpi_err_win(void) { return MPI_ERR_WIN; }
CMPI_EXPORT int cmpi_err_rma_sync(void) { return MPI_ERR_RMA_SYNC; }
CMPI_EXPORT int cmpi_err_rma_range(void) { return MPI_ERR_RMA_RANGE; }
CMPI_EXPORT int cmpi_err_rma_attach(void) { return MPI_ERR_RMA_ATTACH; }
CMPI_EXPORT int cmpi_err_rma_shared(void) { return MPI_ERR_RMA_SHARED; }
CMPI_EXPORT int cmpi_combiner_named(void) { return MPI_COMBINER_NAMED; }
CMPI_EXPORT MPI_Aint cmpi_bottom_address(void) { return (MPI_Aint)MPI_BOTTOM; }

// Datatypes.
CMPI_EXPORT MPI_Datatype cmpi_datatype_null(void) { return MPI_DATATYPE_NULL; }
CMPI_EXPORT MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
CMPI_EXPORT MPI_Datatype cmpi_int8(void) { return MPI_INT8_T; }
CMPI_EXPORT MPI_Datatype cmpi_int16(void) { return MPI_INT16_T; }
CMPI_EXPORT MPI_Datatype cmpi_int32(void) { return MPI_INT32_T; }
CMPI_EXPORT MPI_Datatype cmpi_int64(void) { return MPI_INT64_T; }
CMPI_EXPORT MPI_Datatype cmpi_uint8(void) { return MPI_UINT8_T; }
CMPI_EXPORT MPI_Datatype cmpi_uint16(void) { return MPI_UINT16_T; }
CMPI_EXPORT MPI_Datatype cmpi_uint32(void) { return MPI_UINT32_T; }
CMPI_EXPORT MPI_Datatype cmpi_uint64(void) { return MPI_UINT64_T; }
CMPI_EXPORT MPI_Datatype cmpi_float(void) { return MPI_FLOAT; }
CMPI_EXPORT MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
CMPI_EXPORT MPI_Datatype cmpi_c_bool(void) { return MPI_C_BOOL; }
CMPI_EXPORT MPI_Datatype cmpi_long_double(void) { return MPI_LONG_DOUBLE; }
CMPI_EXPORT MPI_Datatype cmpi_c_float_complex(void) { return MPI_C_FLOAT_COMPLEX; }
CMPI_EXPORT MPI_Datatype cmpi_c_double_complex(void) { return MPI_C_DOUBLE_COMPLEX; }

// Pair types for MPI_MINLOC and MPI_MAXLOC: {value; int index}.
CMPI_EXPORT MPI_Datatype cmpi_short_int(void) { return MPI_SHORT_INT; }
CMPI_EXPORT MPI_Datatype cmpi_2int(void) { return MPI_2INT; }
CMPI_EXPORT MPI_Datatype cmpi_long_int(void) { return MPI_LONG_INT; }
CMPI_EXPORT MPI_Datatype cmpi_float_int(void) { return MPI_FLOAT_INT; }
CMPI_EXPORT MPI_Datatype cmpi_double_int(void) { return MPI_DOUBLE_INT; }
CMPI_EXPORT MPI_Datatype cmpi_long_double_int(void) { return MPI_LONG_DOUBLE_INT; }

// Reduction operations.
CMPI_EXPORT MPI_Op cmpi_op_null(void) { return MPI_OP_NULL; }
CMPI_EXPORT MPI_Op cmpi_sum(void) { return MPI_SUM; }
CMPI_EXPORT MPI_Op cmpi_prod(void) { return MPI_PROD; }
CMPI_EXPORT MPI_Op cmpi_min(void) { return MPI_MIN; }
CMPI_EXPORT MPI_Op cmpi_max(void) { return MPI_MAX; }
CMPI_EXPORT MPI_Op cmpi_land(void) { return MPI_LAND; }
CMPI_EXPORT MPI_Op cmpi_lor(void) { return MPI_LOR; }
CMPI_EXPORT MPI_Op cmpi_lxor(void) { return MPI_LXOR; }
CMPI_EXPORT MPI_Op cmpi_band(void) { return MPI_BAND; }
CMPI_EXPORT MPI_Op cmpi_bor(void) { return MPI_BOR; }
CMPI_EXPORT MPI_Op cmpi_bxor(void) { return MPI_BXOR; }
CMPI_EXPORT MPI_Op cmpi_minloc(void) { return MPI_MINLOC; }
CMPI_EXPORT MPI_Op cmpi_maxloc(void) { return MPI_MAXLOC; }

// MPI_SUM for 8- and 16-bit integers, wrapping on overflow as C's unsigned
// arithmetic does. Open MPI 4.1's AVX reduction component (op/avx) saturates
// these sums instead (255 + 1 gives 255; open-mpi/ompi#8045), silently, so the
// Swift layer uses this user-defined operation for those types everywhere.
static void cmpi_wrapping_sum_function(void *in, void *inout, int *length, MPI_Datatype *type) {
    int n = *length;
    if (*type == MPI_INT8_T || *type == MPI_UINT8_T) {
        const unsigned char *a = in;
        unsigned char *b = inout;
        for (int i = 0; i < n; i++) b[i] = (unsigned char)(a[i] + b[i]);
    } else {
        const unsigned short *a = in;
        unsigned short *b = inout;
        for (int i = 0; i < n; i++) b[i] = (unsigned short)(a[i] + b[i]);
    }
}
CMPI_EXPORT int cmpi_create_wrapping_sum(MPI_Op *op) {
    return MPI_Op_create(cmpi_wrapping_sum_function, 1, op);
}

// MPI_MAX and MPI_MIN for unsigned integers, compared as unsigned. MPICH 4.0.2
// (Debian) compares every unsigned type as signed (MPI_MAX of 4000000000u and
// 5u gives 5u), so under MPICH the Swift layer uses these instead.
#define CMPI_UNSIGNED_EXTREMUM(name, pick)                                                   \
    static void name(void *in, void *inout, int *length, MPI_Datatype *type) {               \
        int n = *length;                                                                     \
        if (*type == MPI_UINT8_T) {                                                          \
            const unsigned char *a = in; unsigned char *b = inout;                           \
            for (int i = 0; i < n; i++) if (a[i] pick b[i]) b[i] = a[i];                     \
        } else if (*type == MPI_UINT16_T) {                                                  \
            const unsigned short *a = in; unsigned short *b = inout;                         \
            for (int i = 0; i < n; i++) if (a[i] pick b[i]) b[i] = a[i];                     \
        } else if (*type == MPI_UINT32_T) {                                                  \
            const unsigned int *a = in; unsigned int *b = inout;                             \
            for (int i = 0; i < n; i++) if (a[i] pick b[i]) b[i] = a[i];                     \
        } else {                                                                             \
            const unsigned long long *a = in; unsigned long long *b = inout;                 \
            for (int i = 0; i < n; i++) if (a[i] pick b[i]) b[i] = a[i];                     \
        }                                                                                    \
    }
CMPI_UNSIGNED_EXTREMUM(cmpi_unsigned_max_function, >)
CMPI_UNSIGNED_EXTREMUM(cmpi_unsigned_min_function, <)
CMPI_EXPORT int cmpi_create_unsigned_max(MPI_Op *op) { return MPI_Op_create(cmpi_unsigned_max_function, 1, op); }
CMPI_EXPORT int cmpi_create_unsigned_min(MPI_Op *op) { return MPI_Op_create(cmpi_unsigned_min_function, 1, op); }

// MPI_IN_PLACE, a sentinel address.
CMPI_EXPORT void *cmpi_in_place(void) { return MPI_IN_PLACE; }
// MPI_BOTTOM, the origin of addresses from MPI_Get_address.
CMPI_EXPORT void *cmpi_bottom(void) { return MPI_BOTTOM; }

// Integer constants (macros in one implementation, enumerators in another).
CMPI_EXPORT int cmpi_success(void) { return MPI_SUCCESS; }
CMPI_EXPORT int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
CMPI_EXPORT int cmpi_any_tag(void) { return MPI_ANY_TAG; }
CMPI_EXPORT int cmpi_proc_null(void) { return MPI_PROC_NULL; }
CMPI_EXPORT int cmpi_undefined(void) { return MPI_UNDEFINED; }
CMPI_EXPORT int cmpi_tag_ub(void) { return MPI_TAG_UB; }
CMPI_EXPORT int cmpi_comm_type_shared(void) { return MPI_COMM_TYPE_SHARED; }

// Process topologies (MPI 3.1 chapter 7): MPI_Topo_test's answers, and the
// weight sentinels of the distributed graph constructors (pointers whose
// value differs between the implementations).
CMPI_EXPORT int cmpi_graph(void) { return MPI_GRAPH; }
CMPI_EXPORT int cmpi_cart(void) { return MPI_CART; }
CMPI_EXPORT int cmpi_dist_graph(void) { return MPI_DIST_GRAPH; }
CMPI_EXPORT int *cmpi_unweighted(void) { return MPI_UNWEIGHTED; }
CMPI_EXPORT int *cmpi_weights_empty(void) { return MPI_WEIGHTS_EMPTY; }
CMPI_EXPORT int cmpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }
CMPI_EXPORT int cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
CMPI_EXPORT int cmpi_max_object_name(void) { return MPI_MAX_OBJECT_NAME; }
CMPI_EXPORT int cmpi_max_library_version_string(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }

CMPI_EXPORT int cmpi_thread_single(void) { return MPI_THREAD_SINGLE; }
CMPI_EXPORT int cmpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
CMPI_EXPORT int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
CMPI_EXPORT int cmpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }

CMPI_EXPORT int cmpi_ident(void) { return MPI_IDENT; }
CMPI_EXPORT int cmpi_congruent(void) { return MPI_CONGRUENT; }
CMPI_EXPORT int cmpi_similar(void) { return MPI_SIMILAR; }
CMPI_EXPORT int cmpi_unequal(void) { return MPI_UNEQUAL; }

// Error classes.
CMPI_EXPORT int cmpi_err_buffer(void) { return MPI_ERR_BUFFER; }
CMPI_EXPORT int cmpi_err_count(void) { return MPI_ERR_COUNT; }
CMPI_EXPORT int cmpi_err_type(void) { return MPI_ERR_TYPE; }
CMPI_EXPORT int cmpi_err_tag(void) { return MPI_ERR_TAG; }
CMPI_EXPORT int cmpi_err_comm(void) { return MPI_ERR_COMM; }
CMPI_EXPORT int cmpi_err_rank(void) { return MPI_ERR_RANK; }
CMPI_EXPORT int cmpi_err_request(void) { return MPI_ERR_REQUEST; }
CMPI_EXPORT int cmpi_err_root(void) { return MPI_ERR_ROOT; }
CMPI_EXPORT int cmpi_err_group(void) { return MPI_ERR_GROUP; }
CMPI_EXPORT int cmpi_err_op(void) { return MPI_ERR_OP; }
CMPI_EXPORT int cmpi_err_arg(void) { return MPI_ERR_ARG; }
CMPI_EXPORT int cmpi_err_unknown(void) { return MPI_ERR_UNKNOWN; }
CMPI_EXPORT int cmpi_err_truncate(void) { return MPI_ERR_TRUNCATE; }
CMPI_EXPORT int cmpi_err_other(void) { return MPI_ERR_OTHER; }
CMPI_EXPORT int cmpi_err_intern(void) { return MPI_ERR_INTERN; }
CMPI_EXPORT int cmpi_err_in_status(void) { return MPI_ERR_IN_STATUS; }
CMPI_EXPORT int cmpi_err_pending(void) { return MPI_ERR_PENDING; }
CMPI_EXPORT int cmpi_err_no_mem(void) { return MPI_ERR_NO_MEM; }
CMPI_EXPORT int cmpi_err_lastcode(void) { return MPI_ERR_LASTCODE; }

// Status fields the standard names; the rest of MPI_Status is private to
// each implementation and read only through MPI calls.
CMPI_EXPORT int cmpi_status_source(const MPI_Status *s) { return s->MPI_SOURCE; }
CMPI_EXPORT int cmpi_status_tag(const MPI_Status *s) { return s->MPI_TAG; }
CMPI_EXPORT int cmpi_status_error(const MPI_Status *s) { return s->MPI_ERROR; }
// The byte count MPI recorded in a status (what MPI_Get_count in MPI_BYTE
// computes), read from the status itself: a receive's count then costs no
// call. The fields are each implementation's own (Open MPI's _ucount,
// MPICH's count_lo and count_hi_and_cancelled), so MPI.initialize checks this
// reading against MPI_Status_set_elements_x once and falls back to
// MPI_Get_count if they ever disagree; -1 where the layout is unknown.
CMPI_EXPORT long long cmpi_status_recorded_bytes(const MPI_Status *s) {
#if defined(OPEN_MPI)
    return (long long)s->_ucount;
#elif defined(MPICH_VERSION)
    return (long long)(((unsigned long long)((unsigned int)s->count_hi_and_cancelled >> 1) << (8 * sizeof(int)))
                       + (unsigned int)s->count_lo);
#else
    (void)s;
    return -1;
#endif
}
CMPI_EXPORT void cmpi_status_set_source_and_tag(MPI_Status *s, int source, int tag) {
    s->MPI_SOURCE = source;
    s->MPI_TAG = tag;
}

// Control variables of the tool information interface (MPI_T), for reading
// how the library was configured (Open MPI's MCA parameters). Each returns
// MPI_T's own code (MPI_SUCCESS or an MPI_T_ERR_* code, which is not an
// error class); the handle and datatype types stay in here.
// The name of control variable `index`, in `name` of `*length` bytes
// (MPI_T_cvar_get_info, the rest discarded). MPI_T_ERR_INVALID_INDEX for a
// variable its component withdrew when it was not selected.
CMPI_EXPORT int cmpi_t_cvar_name(int index, char *name, int *length) {
    int verbosity, bind, scope, description_length = 0;
    MPI_Datatype datatype;
    MPI_T_enum enumtype;
    return MPI_T_cvar_get_info(index, name, length, &verbosity, &datatype, &enumtype, NULL, &description_length,
                               &bind, &scope);
}
// Reads control variable `index` into `value` if it is one MPI_INT or
// MPI_UNSIGNED not bound to an object (MPI_T_cvar_get_info,
// MPI_T_cvar_handle_alloc, MPI_T_cvar_read, MPI_T_cvar_handle_free);
// MPI_T_ERR_INVALID if it is anything else.
CMPI_EXPORT int cmpi_t_cvar_read_unsigned(int index, unsigned *value) {
    char name[1];
    int name_length = 0, verbosity, bind, scope, description_length = 0, count, code;
    MPI_Datatype datatype;
    MPI_T_enum enumtype;
    MPI_T_cvar_handle handle;
    code = MPI_T_cvar_get_info(index, name, &name_length, &verbosity, &datatype, &enumtype, NULL,
                               &description_length, &bind, &scope);
    if (code != MPI_SUCCESS) return code;
    if ((datatype != MPI_INT && datatype != MPI_UNSIGNED) || bind != MPI_T_BIND_NO_OBJECT) return MPI_T_ERR_INVALID;
    code = MPI_T_cvar_handle_alloc(index, NULL, &handle, &count);
    if (code != MPI_SUCCESS) return code;
    if (count != 1) code = MPI_T_ERR_INVALID;
    else code = MPI_T_cvar_read(handle, value);
    int freed = MPI_T_cvar_handle_free(&handle);
    return code != MPI_SUCCESS ? code : freed;
}


// Persistent collectives (MPI-4 MPI_Xxx_init; Open MPI 4.1 ships them as
// MPIX_Xxx_init in its pcollreq extension). Wrapped here because the name
// depends on the library; without either they return MPI_ERR_OTHER and
// cmpi_has_persistent_collectives() is 0.
#if MPI_VERSION >= 4
#define CMPI_PCOLL(name) MPI_##name##_init
#define CMPI_HAS_PCOLL 1
#elif defined(OPEN_MPI)
#include <mpi-ext.h>
#if defined(OMPI_HAVE_MPI_EXT_PCOLLREQ) && OMPI_HAVE_MPI_EXT_PCOLLREQ
#define CMPI_PCOLL(name) MPIX_##name##_init
#define CMPI_HAS_PCOLL 1
#endif
#endif
#ifdef CMPI_HAS_PCOLL
CMPI_EXPORT int cmpi_has_persistent_collectives(void) { return 1; }
CMPI_EXPORT int cmpi_barrier_init(MPI_Comm comm, MPI_Request *request) {
    return CMPI_PCOLL(Barrier)(comm, MPI_INFO_NULL, request);
}
CMPI_EXPORT int cmpi_bcast_init(void *buffer, int count, MPI_Datatype type, int root, MPI_Comm comm,
                                MPI_Request *request) {
    return CMPI_PCOLL(Bcast)(buffer, count, type, root, comm, MPI_INFO_NULL, request);
}
CMPI_EXPORT int cmpi_reduce_init(const void *send, void *receive, int count, MPI_Datatype type, MPI_Op op,
                                 int root, MPI_Comm comm, MPI_Request *request) {
    return CMPI_PCOLL(Reduce)(send, receive, count, type, op, root, comm, MPI_INFO_NULL, request);
}
CMPI_EXPORT int cmpi_allreduce_init(const void *send, void *receive, int count, MPI_Datatype type, MPI_Op op,
                                    MPI_Comm comm, MPI_Request *request) {
    return CMPI_PCOLL(Allreduce)(send, receive, count, type, op, comm, MPI_INFO_NULL, request);
}
CMPI_EXPORT int cmpi_allgather_init(const void *send, int count, MPI_Datatype type, void *receive, MPI_Comm comm,
                                    MPI_Request *request) {
    return CMPI_PCOLL(Allgather)(send, count, type, receive, count, type, comm, MPI_INFO_NULL, request);
}
CMPI_EXPORT int cmpi_alltoall_init(const void *send, int count, MPI_Datatype type, void *receive, MPI_Comm comm,
                                   MPI_Request *request) {
    return CMPI_PCOLL(Alltoall)(send, count, type, receive, count, type, comm, MPI_INFO_NULL, request);
}
#else
CMPI_EXPORT int cmpi_has_persistent_collectives(void) { return 0; }
CMPI_EXPORT int cmpi_barrier_init(MPI_Comm comm, MPI_Request *request) { return MPI_ERR_OTHER; }
CMPI_EXPORT int cmpi_bcast_init(void *buffer, int count, MPI_Datatype type, int root, MPI_Comm comm,
                                MPI_Request *request) { return MPI_ERR_OTHER; }
CMPI_EXPORT int cmpi_reduce_init(const void *send, void *receive, int count, MPI_Datatype type, MPI_Op op,
                                 int root, MPI_Comm comm, MPI_Request *request) { return MPI_ERR_OTHER; }
CMPI_EXPORT int cmpi_allreduce_init(const void *send, void *receive, int count, MPI_Datatype type, MPI_Op op,
                                    MPI_Comm comm, MPI_Request *request) { return MPI_ERR_OTHER; }
CMPI_EXPORT int cmpi_allgather_init(const void *send, int count, MPI_Datatype type, void *receive, MPI_Comm comm,
                                    MPI_Request *request) { return MPI_ERR_OTHER; }
CMPI_EXPORT int cmpi_alltoall_init(const void *send, int count, MPI_Datatype type, void *receive, MPI_Comm comm,
                                   MPI_Request *request) { return MPI_ERR_OTHER; }
#endif

#endif
