import CMPI

// The requests of a PersistentRequestSet, kept so that a step costs little
// more than MPI_Startall and MPI_Waitall (measured by callgrind, a halo step
// of 8 requests: 7,816 instructions before, against C's 5,956):
// - the handle array MPI reads is the requests' own while they are in the
//   set, so nothing is copied to or from the cores at each step; a core's
//   handle is brought up to date where it is used (a completion that goes
//   through PersistentCore.finish, and the set's end);
// - the arrays are the batch's own memory, and the loops borrow the cores
//   (Unmanaged): no uniqueness checks, no retain and release;
// - a send that completed, and a receive of a message that fits, are
//   finished in line (PersistentCore.finishedQuickly); finish is for the rest;
// - it is not generic, so its loops are compiled once, for every element type.

/// The cores, handles and statuses of a ``PersistentRequestSet``.
internal struct PersistentBatch: ~Copyable {
    /// The requests, owned.
    private(set) var cores: [PersistentCore] = []
    /// The same requests borrowed, then what MPI_Startall and MPI_Waitall read
    /// and write, in the cores' order: memory of the batch's own (no
    /// uniqueness checks, no copies), `capacity` of each.
    private var borrowed: UnsafeMutablePointer<Unmanaged<PersistentCore>>
    private var handles: UnsafeMutablePointer<RequestHandle>
    private var statuses: UnsafeMutablePointer<MPI_Status>
    private var capacity = 0

    init() {
        borrowed = .allocate(capacity: 0)
        handles = .allocate(capacity: 0)
        statuses = .allocate(capacity: 0)
    }

    mutating func append(_ core: PersistentCore) -> Int {
        let index = cores.count
        if index == capacity {
            capacity = Swift.max(4, 2 * capacity)
            borrowed = Self.moved(borrowed, count: index, capacity: capacity)
            handles = Self.moved(handles, count: index, capacity: capacity)
            statuses = Self.moved(statuses, count: index, capacity: capacity)
        }
        cores.append(core)
        (borrowed + index).initialize(to: Unmanaged.passUnretained(core))
        (handles + index).initialize(to: core.handle)
        (statuses + index).initialize(to: MPI_Status())
        return index
    }

    private static func moved<T>(_ old: UnsafeMutablePointer<T>, count: Int, capacity: Int) -> UnsafeMutablePointer<T> {
        let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        new.moveInitialize(from: old, count: count)
        old.deallocate()
        return new
    }

    var isActive: Bool { cores.contains { $0.isActive } }

    func requireInactive(_ index: Int) throws {
        try cores[index].requireInactive("requests[\(index)]", operation: "MPI_Startall")
    }

    mutating func startAll() throws {
        let count = cores.count
        guard count > 0 else { return }
        for index in 0..<count where borrowed[index]._withUnsafeGuaranteedRef({ $0.isActive }) {
            throw MPIError(errorClass: .request,
                           message: "requests[\(index)] of the set is active (started and not completed); "
                               + "waitAll() or testAll() first",
                           operation: "MPI_Startall", argument: "requests[\(index)]")
        }
        for index in 0..<count { borrowed[index]._withUnsafeGuaranteedRef { $0.prepareStart() } }
        // MPI_Startall may replace a handle (Open MPI does): the array is the handles' home.
        try MPIC.startall(CInt(count), handles)
        for index in 0..<count { borrowed[index]._withUnsafeGuaranteedRef { $0.isActive = true } }
    }

    mutating func waitAll() throws {
        guard !cores.isEmpty else { return }
        let code = try MPIC.waitallReturningCode(CInt(cores.count), handles, statuses)
        try finishAll(code: code, operation: "MPI_Waitall")
    }

    mutating func testAll() throws -> Bool {
        guard !cores.isEmpty else { return true }
        var flag: CInt = 0
        let code = try MPIC.testallReturningCode(CInt(cores.count), handles, &flag, statuses)
        guard flag != 0 || code != cmpi_success() else { return false }
        try finishAll(code: code, operation: "MPI_Testall")
        return true
    }

    private func finishAll(code: CInt, operation: StaticString) throws {
        if code != cmpi_success() && code != cmpi_err_in_status() {
            for core in cores { core.isActive = false }
            throw MPIError(code: code, operation: operation)
        }
        let inStatus = code == cmpi_err_in_status()
        var unfinished = false
        for index in 0..<cores.count {
            borrowed[index]._withUnsafeGuaranteedRef { core in
                guard core.isActive else { return }
                let slotCode = inStatus ? cmpi_status_error(statuses + index) : cmpi_success()
                if !core.finishedQuickly(code: slotCode, handle: handles[index], status: &statuses[index]) {
                    unfinished = true
                }
            }
        }
        if _slowPath(unfinished) { try finishRest(inStatus: inStatus, operation: operation) }
    }

    /// The completions finishedQuickly left: those still active.
    @inline(never)
    private func finishRest(inStatus: Bool, operation: StaticString) throws {
        var firstError: MPIError?
        for (index, core) in cores.enumerated() where core.isActive {
            let slotCode = inStatus ? cmpi_status_error(statuses + index) : cmpi_success()
            core.handle = handles[index]
            defer { handles[index] = core.handle }   // finish may make it again
            do {
                _ = try core.finish(code: slotCode, status: &statuses[index], operation: operation)
            } catch let error as MPIError {
                if firstError == nil {
                    firstError = MPIError(errorClass: error.errorClass, code: error.code,
                                          message: "requests[\(index)] of the set: \(error.message)",
                                          operation: error.operation, argument: "requests[\(index)]")
                }
            }
        }
        if let firstError { throw firstError }
    }

    deinit {
        // The cores free what the handles now are.
        for index in cores.indices { cores[index].handle = handles[index] }
        borrowed.deinitialize(count: cores.count)
        borrowed.deallocate()
        handles.deinitialize(count: cores.count)
        handles.deallocate()
        statuses.deinitialize(count: cores.count)
        statuses.deallocate()
    }
}
