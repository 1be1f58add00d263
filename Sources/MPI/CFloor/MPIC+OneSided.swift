import CMPI

// The MPI C functions of one chapter, one-sided communication (MPI 3.1 chapter 11),
// each wrapped once. See MPIC.swift for the rules.

extension MPIC {
    /// `MPI_Win_create`.
    @inlinable @inline(__always)
    internal static func winCreate(_ base: UnsafeMutableRawPointer?, _ size: MPI_Aint, _ dispUnit: CInt, _ info: InfoHandle, _ comm: CommunicatorHandle, _ win: UnsafeMutablePointer<WindowHandle>?) throws {
        try check("MPI_Win_create", MPI_Win_create(base, size, dispUnit, info, comm, win))
    }

    /// `MPI_Win_allocate`.
    @inlinable @inline(__always)
    internal static func winAllocate(_ size: MPI_Aint, _ dispUnit: CInt, _ info: InfoHandle, _ comm: CommunicatorHandle, _ baseptr: UnsafeMutableRawPointer?, _ win: UnsafeMutablePointer<WindowHandle>?) throws {
        try check("MPI_Win_allocate", MPI_Win_allocate(size, dispUnit, info, comm, baseptr, win))
    }

    /// `MPI_Win_allocate_shared`.
    @inlinable @inline(__always)
    internal static func winAllocateShared(_ size: MPI_Aint, _ dispUnit: CInt, _ info: InfoHandle, _ comm: CommunicatorHandle, _ baseptr: UnsafeMutableRawPointer?, _ win: UnsafeMutablePointer<WindowHandle>?) throws {
        try check("MPI_Win_allocate_shared", MPI_Win_allocate_shared(size, dispUnit, info, comm, baseptr, win))
    }

    /// `MPI_Win_shared_query`.
    @inlinable @inline(__always)
    internal static func winSharedQuery(_ win: WindowHandle, _ rank: CInt, _ size: UnsafeMutablePointer<MPI_Aint>?, _ dispUnit: UnsafeMutablePointer<CInt>?, _ baseptr: UnsafeMutableRawPointer?) throws {
        try check("MPI_Win_shared_query", MPI_Win_shared_query(win, rank, size, dispUnit, baseptr))
    }

    /// `MPI_Win_create_dynamic`.
    @inlinable @inline(__always)
    internal static func winCreateDynamic(_ info: InfoHandle, _ comm: CommunicatorHandle, _ win: UnsafeMutablePointer<WindowHandle>?) throws {
        try check("MPI_Win_create_dynamic", MPI_Win_create_dynamic(info, comm, win))
    }

    /// `MPI_Win_attach`.
    @inlinable @inline(__always)
    internal static func winAttach(_ win: WindowHandle, _ base: UnsafeMutableRawPointer?, _ size: MPI_Aint) throws {
        try check("MPI_Win_attach", MPI_Win_attach(win, base, size))
    }

    /// `MPI_Win_detach`.
    @inlinable @inline(__always)
    internal static func winDetach(_ win: WindowHandle, _ base: UnsafeRawPointer?) throws {
        try check("MPI_Win_detach", MPI_Win_detach(win, base))
    }

    /// `MPI_Win_free`.
    @inlinable @inline(__always)
    internal static func winFree(_ win: UnsafeMutablePointer<WindowHandle>?) throws {
        try check("MPI_Win_free", MPI_Win_free(win))
    }

    /// `MPI_Win_get_group`.
    @inlinable @inline(__always)
    internal static func winGetGroup(_ win: WindowHandle, _ group: UnsafeMutablePointer<GroupHandle>?) throws {
        try check("MPI_Win_get_group", MPI_Win_get_group(win, group))
    }

    /// `MPI_Win_get_attr`.
    @inlinable @inline(__always)
    internal static func winGetAttr(_ win: WindowHandle, _ keyval: CInt, _ attributeVal: UnsafeMutableRawPointer?, _ flag: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Win_get_attr", MPI_Win_get_attr(win, keyval, attributeVal, flag))
    }

    /// `MPI_Win_set_errhandler`.
    @inlinable @inline(__always)
    internal static func winSetErrhandler(_ win: WindowHandle, _ errhandler: ErrorHandlerHandle) throws {
        try check("MPI_Win_set_errhandler", MPI_Win_set_errhandler(win, errhandler))
    }

    /// `MPI_Put`.
    @inlinable @inline(__always)
    internal static func put(_ originAddr: UnsafeRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ win: WindowHandle) throws {
        try check("MPI_Put", MPI_Put(originAddr, originCount, originDatatype, targetRank, targetDisp, targetCount, targetDatatype, win))
    }

    /// `MPI_Get`.
    @inlinable @inline(__always)
    internal static func get(_ originAddr: UnsafeMutableRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ win: WindowHandle) throws {
        try check("MPI_Get", MPI_Get(originAddr, originCount, originDatatype, targetRank, targetDisp, targetCount, targetDatatype, win))
    }

    /// `MPI_Accumulate`.
    @inlinable @inline(__always)
    internal static func accumulate(_ originAddr: UnsafeRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ op: OperationHandle, _ win: WindowHandle) throws {
        try check("MPI_Accumulate", MPI_Accumulate(originAddr, originCount, originDatatype, targetRank, targetDisp, targetCount, targetDatatype, op, win))
    }

    /// `MPI_Get_accumulate`.
    @inlinable @inline(__always)
    internal static func getAccumulate(_ originAddr: UnsafeRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ resultAddr: UnsafeMutableRawPointer?, _ resultCount: CInt, _ resultDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ op: OperationHandle, _ win: WindowHandle) throws {
        try check("MPI_Get_accumulate", MPI_Get_accumulate(originAddr, originCount, originDatatype, resultAddr, resultCount, resultDatatype, targetRank, targetDisp, targetCount, targetDatatype, op, win))
    }

    /// `MPI_Fetch_and_op`.
    @inlinable @inline(__always)
    internal static func fetchAndOp(_ originAddr: UnsafeRawPointer?, _ resultAddr: UnsafeMutableRawPointer?, _ datatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ op: OperationHandle, _ win: WindowHandle) throws {
        try check("MPI_Fetch_and_op", MPI_Fetch_and_op(originAddr, resultAddr, datatype, targetRank, targetDisp, op, win))
    }

    /// `MPI_Compare_and_swap`.
    @inlinable @inline(__always)
    internal static func compareAndSwap(_ originAddr: UnsafeRawPointer?, _ compareAddr: UnsafeRawPointer?, _ resultAddr: UnsafeMutableRawPointer?, _ datatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ win: WindowHandle) throws {
        try check("MPI_Compare_and_swap", MPI_Compare_and_swap(originAddr, compareAddr, resultAddr, datatype, targetRank, targetDisp, win))
    }

    /// `MPI_Rput`.
    @inlinable @inline(__always)
    internal static func rput(_ originAddr: UnsafeRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ win: WindowHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Rput", MPI_Rput(originAddr, originCount, originDatatype, targetRank, targetDisp, targetCount, targetDatatype, win, request))
    }

    /// `MPI_Rget`.
    @inlinable @inline(__always)
    internal static func rget(_ originAddr: UnsafeMutableRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ win: WindowHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Rget", MPI_Rget(originAddr, originCount, originDatatype, targetRank, targetDisp, targetCount, targetDatatype, win, request))
    }

    /// `MPI_Raccumulate`.
    @inlinable @inline(__always)
    internal static func raccumulate(_ originAddr: UnsafeRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ op: OperationHandle, _ win: WindowHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Raccumulate", MPI_Raccumulate(originAddr, originCount, originDatatype, targetRank, targetDisp, targetCount, targetDatatype, op, win, request))
    }

    /// `MPI_Rget_accumulate`.
    @inlinable @inline(__always)
    internal static func rgetAccumulate(_ originAddr: UnsafeRawPointer?, _ originCount: CInt, _ originDatatype: DatatypeHandle, _ resultAddr: UnsafeMutableRawPointer?, _ resultCount: CInt, _ resultDatatype: DatatypeHandle, _ targetRank: CInt, _ targetDisp: MPI_Aint, _ targetCount: CInt, _ targetDatatype: DatatypeHandle, _ op: OperationHandle, _ win: WindowHandle, _ request: UnsafeMutablePointer<RequestHandle>?) throws {
        try check("MPI_Rget_accumulate", MPI_Rget_accumulate(originAddr, originCount, originDatatype, resultAddr, resultCount, resultDatatype, targetRank, targetDisp, targetCount, targetDatatype, op, win, request))
    }

    /// `MPI_Win_fence`.
    @inlinable @inline(__always)
    internal static func winFence(_ assertion: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_fence", MPI_Win_fence(assertion, win))
    }

    /// `MPI_Win_post`.
    @inlinable @inline(__always)
    internal static func winPost(_ group: GroupHandle, _ assertion: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_post", MPI_Win_post(group, assertion, win))
    }

    /// `MPI_Win_start`.
    @inlinable @inline(__always)
    internal static func winStart(_ group: GroupHandle, _ assertion: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_start", MPI_Win_start(group, assertion, win))
    }

    /// `MPI_Win_complete`.
    @inlinable @inline(__always)
    internal static func winComplete(_ win: WindowHandle) throws {
        try check("MPI_Win_complete", MPI_Win_complete(win))
    }

    /// `MPI_Win_wait`.
    @inlinable @inline(__always)
    internal static func winWait(_ win: WindowHandle) throws {
        try check("MPI_Win_wait", MPI_Win_wait(win))
    }

    /// `MPI_Win_test`.
    @inlinable @inline(__always)
    internal static func winTest(_ win: WindowHandle, _ flag: UnsafeMutablePointer<CInt>?) throws {
        try check("MPI_Win_test", MPI_Win_test(win, flag))
    }

    /// `MPI_Win_lock`.
    @inlinable @inline(__always)
    internal static func winLock(_ lockType: CInt, _ rank: CInt, _ assertion: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_lock", MPI_Win_lock(lockType, rank, assertion, win))
    }

    /// `MPI_Win_unlock`.
    @inlinable @inline(__always)
    internal static func winUnlock(_ rank: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_unlock", MPI_Win_unlock(rank, win))
    }

    /// `MPI_Win_lock_all`.
    @inlinable @inline(__always)
    internal static func winLockAll(_ assertion: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_lock_all", MPI_Win_lock_all(assertion, win))
    }

    /// `MPI_Win_unlock_all`.
    @inlinable @inline(__always)
    internal static func winUnlockAll(_ win: WindowHandle) throws {
        try check("MPI_Win_unlock_all", MPI_Win_unlock_all(win))
    }

    /// `MPI_Win_flush`.
    @inlinable @inline(__always)
    internal static func winFlush(_ rank: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_flush", MPI_Win_flush(rank, win))
    }

    /// `MPI_Win_flush_all`.
    @inlinable @inline(__always)
    internal static func winFlushAll(_ win: WindowHandle) throws {
        try check("MPI_Win_flush_all", MPI_Win_flush_all(win))
    }

    /// `MPI_Win_flush_local`.
    @inlinable @inline(__always)
    internal static func winFlushLocal(_ rank: CInt, _ win: WindowHandle) throws {
        try check("MPI_Win_flush_local", MPI_Win_flush_local(rank, win))
    }

    /// `MPI_Win_flush_local_all`.
    @inlinable @inline(__always)
    internal static func winFlushLocalAll(_ win: WindowHandle) throws {
        try check("MPI_Win_flush_local_all", MPI_Win_flush_local_all(win))
    }

    /// `MPI_Win_sync`.
    @inlinable @inline(__always)
    internal static func winSync(_ win: WindowHandle) throws {
        try check("MPI_Win_sync", MPI_Win_sync(win))
    }
}
