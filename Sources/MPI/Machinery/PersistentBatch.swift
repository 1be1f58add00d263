import CMPI

// The requests of a PersistentRequestSet, kept so that a step costs little
// more than MPI_Startall and MPI_Waitall (measured by callgrind, a halo step
// of 8 requests: 7,816 instructions when the set kept class references and
// copied handles to and from its cores at each step, against C's 5,956):
// - while a request is in the set, the set's memory is its home: the handle
//   array MPI reads and writes, and a slot per request with what a step
//   touches (whether it is active, where a guarded receive's bytes go, the
//   byte saved at the start). The core is brought up to date where it is
//   used: a completion that goes through PersistentCore.finish, and the
//   set's end (whose cores then free what the handles are);
// - a send that succeeded needs nothing more, and a guarded receive of a
//   message that fits is finished from its slot; PersistentCore.finish is
//   for the rest (errors, truncation, scratch memory, the null process);
// - the memory is the batch's own, the cores are borrowed (Unmanaged), and
//   it is not generic: no uniqueness checks, retains or unspecialized code.

/// What a step of a persistent request set touches of one request.
internal struct PersistentSlot {
    enum Completion: UInt8 {
        /// A send: done when it succeeded.
        case send
        /// A guarded receive into its buffer (no scratch memory, not from
        /// the null process): finished from the slot when the message fits.
        case guardedReceive
        /// An unguarded receive whose type covers a sentinel byte after the
        /// buffer (MPICH's, and Open MPI's without put and get): finished
        /// from the slot when the message fits.
        case plainReceive
        /// Everything through PersistentCore's prepareStart and finish.
        case general
    }
    let core: Unmanaged<PersistentCore>
    let completion: Completion
    var isActive: Bool
    var savedLastByte: UInt8 = 0
    let target: UnsafeMutableRawPointer?
    let targetBytes: Int
    let bufferBytes: Int
    let elementSize: Int

    init(_ core: PersistentCore) {
        self.core = Unmanaged.passUnretained(core)
        isActive = core.isActive
        target = core.target
        targetBytes = core.targetBytes
        bufferBytes = core.bufferBytes
        elementSize = core.elementSize
        savedLastByte = core.savedLastByte
        if core.cancelRequested || core.copyAtStart != nil || core.kind == .collective {
            completion = .general
        } else if core.kind == .send {
            // (A send's last status is empty, unless it was cancelled before it joined the set.)
            completion = core.lastStatus.isCancelled ? .general : .send
        } else if core.swapped && core.scratch == nil && !core.fromNullProcess && core.target != nil
                    && MPIEnvironmentState.statusBytesAreReadable {
            completion = .guardedReceive
        } else if core.kind == .receive && core.hasPlainSentinel && !core.fromNullProcess
                    && MPIEnvironmentState.statusBytesAreReadable {
            completion = .plainReceive
        } else {
            completion = .general
        }
    }
}

/// The requests, handles and statuses of a ``PersistentRequestSet``.
internal struct PersistentBatch: ~Copyable {
    /// The requests, owned.
    private(set) var cores: [PersistentCore] = []
    /// Per request, in the cores' order: its slot, then what MPI_Startall and
    /// MPI_Waitall read and write; `capacity` of each.
    private var slots: UnsafeMutablePointer<PersistentSlot>
    private var handles: UnsafeMutablePointer<RequestHandle>
    private var statuses: UnsafeMutablePointer<MPI_Status>
    private var capacity = 0

    init() {
        slots = .allocate(capacity: 0)
        handles = .allocate(capacity: 0)
        statuses = .allocate(capacity: 0)
    }

    var count: Int { cores.count }

    mutating func append(_ core: PersistentCore) -> Int {
        let index = cores.count
        if index == capacity {
            capacity = Swift.max(4, 2 * capacity)
            slots = Self.moved(slots, count: index, capacity: capacity)
            handles = Self.moved(handles, count: index, capacity: capacity)
            statuses = Self.moved(statuses, count: index, capacity: capacity)
        }
        cores.append(core)
        (slots + index).initialize(to: PersistentSlot(core))
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

    var isActive: Bool { (0..<count).contains { slots[$0].isActive } }

    func lastStatus(at index: Int) -> Status { cores[index].lastStatus }

    func requireInactive(_ index: Int) throws {
        guard slots[index].isActive else { return }
        throw MPIError(errorClass: .request,
                       message: "requests[\(index)] of the set is active (started and not completed); "
                           + "waitAll() or testAll() first",
                       operation: "MPI_Startall", argument: "requests[\(index)]")
    }

    mutating func startAll() throws {
        let count = cores.count
        guard count > 0 else { return }
        for index in 0..<count { try requireInactive(index) }
        for index in 0..<count {
            switch slots[index].completion {
            case .send, .plainReceive: break
            case .guardedReceive:
                slots[index].savedLastByte = slots[index].target!.load(
                    fromByteOffset: slots[index].targetBytes - 1, as: UInt8.self)
            case .general: slots[index].core._withUnsafeGuaranteedRef { $0.prepareStart() }
            }
        }
        // MPI_Startall may replace a handle (Open MPI does): the array is the handles' home.
        try MPIC.startall(CInt(count), handles)
        for index in 0..<count { slots[index].isActive = true }
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
            for index in 0..<count { slots[index].isActive = false }
            throw MPIError(code: code, operation: operation)
        }
        let inStatus = code == cmpi_err_in_status()
        var unfinished = false
        for index in 0..<count where slots[index].isActive {
            guard (!inStatus || cmpi_status_error(statuses + index) == cmpi_success())
                    && handles[index] != cmpi_request_null() else {
                unfinished = true
                continue
            }
            switch slots[index].completion {
            case .send:
                slots[index].isActive = false
            case .guardedReceive:
                let received = Int(cmpi_status_recorded_bytes(statuses + index))
                let slot = slots[index]
                guard received > 0 && received <= slot.bufferBytes else {
                    unfinished = true
                    continue
                }
                PersistentCore.restoreSwappedOrder(slot.target!, targetBytes: slot.targetBytes, received: received,
                                                   savedLastByte: slot.savedLastByte)
                slot.core._withUnsafeGuaranteedRef {
                    $0.lastStatus = Status(mpiSource: cmpi_status_source(statuses + index),
                                           mpiTag: cmpi_status_tag(statuses + index),
                                           byteCount: received, elementSize: slot.elementSize)
                }
                slots[index].isActive = false
            case .plainReceive:
                let received = Int(cmpi_status_recorded_bytes(statuses + index))
                let slot = slots[index]
                guard received <= slot.bufferBytes else {
                    unfinished = true
                    continue
                }
                slot.core._withUnsafeGuaranteedRef {
                    $0.lastStatus = Status(mpiSource: cmpi_status_source(statuses + index),
                                           mpiTag: cmpi_status_tag(statuses + index),
                                           byteCount: received, elementSize: slot.elementSize)
                }
                slots[index].isActive = false
            case .general:
                unfinished = true
            }
        }
        if _slowPath(unfinished) { try finishRest(inStatus: inStatus, operation: operation) }
    }

    /// The completions the slots could not finish: those still active.
    @inline(never)
    private func finishRest(inStatus: Bool, operation: StaticString) throws {
        var firstError: MPIError?
        for (index, core) in cores.enumerated() where slots[index].isActive {
            let slotCode = inStatus ? cmpi_status_error(statuses + index) : cmpi_success()
            core.handle = handles[index]
            core.savedLastByte = slots[index].savedLastByte
            slots[index].isActive = false
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
        // The cores free what the handles now are (an active one completed first).
        for (index, core) in cores.enumerated() {
            core.handle = handles[index]
            core.isActive = slots[index].isActive
            core.savedLastByte = slots[index].savedLastByte
        }
        slots.deinitialize(count: cores.count)
        slots.deallocate()
        handles.deinitialize(count: cores.count)
        handles.deallocate()
        statuses.deinitialize(count: cores.count)
        statuses.deallocate()
    }
}
