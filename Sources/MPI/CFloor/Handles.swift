import CMPI

// MPI handles as Swift stores them.
//
// Open MPI's handles are pointers, which Swift imports as `OpaquePointer?` in
// every MPI function signature; MPICH's are integers. These aliases name the
// type MPI's functions take and write, so that no other file depends on the
// representation. This is the only place above the C shim that knows there
// are two; the MPICH trait defines the `MPICH` condition.

#if MPICH && OpenMPI
#error("Enable one MPI implementation: `--traits MPICH` alone builds against MPICH; the default is Open MPI")
#endif

#if MPICH
/// An MPI_Comm as MPI's functions take it.
public typealias CommunicatorHandle = MPI_Comm
/// An MPI_Datatype as MPI's functions take it.
public typealias DatatypeHandle = MPI_Datatype
/// An MPI_Request as MPI's functions take it.
public typealias RequestHandle = MPI_Request
/// An MPI_Message as MPI's functions take it.
public typealias MessageHandle = MPI_Message
/// An MPI_Op as MPI's functions take it.
public typealias OperationHandle = MPI_Op
/// An MPI_Errhandler as MPI's functions take it.
@usableFromInline internal typealias ErrorHandlerHandle = MPI_Errhandler
/// An MPI_Info as MPI's functions take it.
@usableFromInline internal typealias InfoHandle = MPI_Info
/// An MPI_Group as MPI's functions take it.
public typealias GroupHandle = MPI_Group
/// An MPI_Win as MPI's functions take it.
public typealias WindowHandle = MPI_Win
#else
/// An MPI_Comm as MPI's functions take it.
public typealias CommunicatorHandle = MPI_Comm?
/// An MPI_Datatype as MPI's functions take it.
public typealias DatatypeHandle = MPI_Datatype?
/// An MPI_Request as MPI's functions take it.
public typealias RequestHandle = MPI_Request?
/// An MPI_Message as MPI's functions take it.
public typealias MessageHandle = MPI_Message?
/// An MPI_Op as MPI's functions take it.
public typealias OperationHandle = MPI_Op?
/// An MPI_Errhandler as MPI's functions take it.
@usableFromInline internal typealias ErrorHandlerHandle = MPI_Errhandler?
/// An MPI_Info as MPI's functions take it.
@usableFromInline internal typealias InfoHandle = MPI_Info?
/// An MPI_Group as MPI's functions take it.
public typealias GroupHandle = MPI_Group?
/// An MPI_Win as MPI's functions take it.
public typealias WindowHandle = MPI_Win?
#endif
