import CMPI
@testable import MPI
import Testing

/// What keeps a request's memory alive, and the set's storage; no MPI call.
@Suite
struct RequestStorageTests {
    @Test("An array's owner is its storage object: holding it keeps the elements where they are")
    func arrayOwner() throws {
        var elements: [Double]? = [1, 2, 3]
        let address = elements!.withUnsafeBufferPointer { $0.baseAddress }
        weak var storage: AnyObject?
        var owner: AnyObject? = requestOwner(of: elements!)
        storage = owner
        elements = nil   // the only other reference goes
        #expect(storage != nil)
        do {
            let kept = try #require(owner)
            // The storage still holds the elements at the same address.
            #expect(unsafeBitCast(kept, to: [Double].self) == [1, 2, 3])
            #expect(unsafeBitCast(kept, to: [Double].self).withUnsafeBufferPointer { $0.baseAddress } == address)
        }
        owner = nil
        #expect(storage == nil)
    }

    @Test("Borrowed memory has no owner; a slice is kept in a box")
    func otherBuffers() {
        let pointer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 2)
        defer { pointer.deallocate() }
        #expect(requestOwner(of: pointer) == nil)
        #expect(requestOwner(of: UnsafeBufferPointer(pointer)) == nil)
        let slice = [1, 2, 3, 4][1...2]
        let box = requestOwner(of: slice) as? KeptBuffer<ArraySlice<Int>>
        #expect(box?.buffer == [2, 3])
        #expect(requestOwner(of: ContiguousArray([5, 6])) != nil)
    }

    @Test("The set's storage grows, keeps its order and its capacity when emptied")
    func requestStorage() {
        var storage = RequestStorage()
        defer { storage.deallocate() }
        #expect(storage.isEmpty && storage.handles == nil && storage.statuses == nil)
        let operation = PendingOperation(.send, elementSize: 8, origin: RequestOrigin("MPI_Isend"))
        for _ in 0..<100 { storage.append(cmpi_request_null(), operation) }
        #expect(storage.count == 100 && storage.capacity >= 100)
        #expect(storage.indices.allSatisfy { storage[handle: $0] == cmpi_request_null() && !storage[operation: $0].isComplete })
        storage[operation: 7].isComplete = true
        #expect(storage[operation: 7].isComplete && !storage[operation: 8].isComplete)
        storage[status: 99] = MPI_Status()
        let capacity = storage.capacity
        storage.removeAll()
        #expect(storage.count == 0 && storage.capacity == capacity)
        storage.reserveCapacity(capacity * 4)
        #expect(storage.capacity >= capacity * 4 && storage.statuses != nil)
    }

    @Test("A status keeps MPI's values and reads them back as Swift's")
    func statusValues() {
        let null = Status(source: MPI.processNull, tag: MPI.anyTag, byteCount: 0, elementSize: 1)
        #expect(null.source == MPI.processNull && null.tag == MPI.anyTag)
        #expect(Status.empty.source == MPI.anySource && Status.empty.tag == MPI.anyTag && Status.empty.byteCount == 0)
        #expect(Status(source: 5, tag: 9, byteCount: 16, elementSize: 8).count == 2)
        #expect(MemoryLayout<Status>.size <= 24)
    }
}
