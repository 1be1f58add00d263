import CMPI

// MPI handles as Swift stores them.
//
// Open MPI's handles are pointers, which Swift imports as `OpaquePointer?` in
// every MPI function signature; MPICH's are integers. These aliases name the
// type MPI's functions take and write, so that no other file depends on the
// representation. This is the only place above the C shim that knows there
// are two; the MPICH build defines the `MPICH` condition.

#if MPICH
/// An CommunicatorHandle as MPI's functions take it.
public typealias CommunicatorHandle = MPI_Comm
/// An MPI_Datatype as MPI's functions take it.
public typealias DatatypeHandle = MPI_Datatype
/// An MPI_Request as MPI's functions take it.
public typealias RequestHandle = MPI_Request
/// An MPI_Message as MPI's functions take it.
public typealias MessageHandle = MPI_Message
/// An MPI_Op as MPI's functions take it.
public typealias OperationHandle = MPI_Op
#else
/// An CommunicatorHandle as MPI's functions take it.
public typealias CommunicatorHandle = MPI_Comm?
/// An MPI_Datatype as MPI's functions take it.
public typealias DatatypeHandle = MPI_Datatype?
/// An MPI_Request as MPI's functions take it.
public typealias RequestHandle = MPI_Request?
/// An MPI_Message as MPI's functions take it.
public typealias MessageHandle = MPI_Message?
/// An MPI_Op as MPI's functions take it.
public typealias OperationHandle = MPI_Op?
#endif
