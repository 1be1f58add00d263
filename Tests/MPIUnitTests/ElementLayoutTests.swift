import CMPI
@testable import MPI
import Testing

/// The package's element types: their datatypes' known sizes and extents,
/// and the layout check on them (which then needs no MPI call).
@Suite
struct ElementLayoutTests {
    /// Every predefined element type's size and stride, beside its datatype's.
    static let predefined: [(name: String, datatype: Datatype, stride: Int)] = [
        ("Int8", Int8.mpiDatatype, MemoryLayout<Int8>.stride), ("Int16", Int16.mpiDatatype, MemoryLayout<Int16>.stride),
        ("Int32", Int32.mpiDatatype, MemoryLayout<Int32>.stride), ("Int64", Int64.mpiDatatype, MemoryLayout<Int64>.stride),
        ("UInt8", UInt8.mpiDatatype, MemoryLayout<UInt8>.stride), ("UInt16", UInt16.mpiDatatype, MemoryLayout<UInt16>.stride),
        ("UInt32", UInt32.mpiDatatype, MemoryLayout<UInt32>.stride), ("UInt64", UInt64.mpiDatatype, MemoryLayout<UInt64>.stride),
        ("Int", Int.mpiDatatype, MemoryLayout<Int>.stride), ("UInt", UInt.mpiDatatype, MemoryLayout<UInt>.stride),
        ("Float", Float.mpiDatatype, MemoryLayout<Float>.stride), ("Double", Double.mpiDatatype, MemoryLayout<Double>.stride),
        ("Bool", Bool.mpiDatatype, MemoryLayout<Bool>.stride),
    ]

    @Test("Predefined element types know their size and extent: one stride, no padding")
    func predefinedKnown() {
        for (name, datatype, stride) in Self.predefined {
            #expect(datatype.knownSize == stride && datatype.knownExtent == stride, "\(name)")
        }
    }

    @Test("The pair types of minLoc and maxLoc: value and C int of data in the pair's stride")
    func pairs() {
        #expect(ValueAndRank<Double>.mpiDatatype.knownSize == 12)
        #expect(ValueAndRank<Double>.mpiDatatype.knownExtent == MemoryLayout<ValueAndRank<Double>>.stride)
        #expect(ValueAndRank<Int32>.mpiDatatype.knownSize == 8 && ValueAndRank<Int32>.mpiDatatype.knownExtent == 8)
        #expect(ValueAndRank<Int>.mpiDatatype.knownSize == 12 && ValueAndRank<Int>.mpiDatatype.knownExtent == 16)
        #expect(ValueAndRank<Float>.mpiDatatype.knownSize == 8 && ValueAndRank<Float>.mpiDatatype.knownExtent == 8)
    }

    @Test("A handle from elsewhere has no known layout, so its first use asks MPI")
    func unknownLayout() {
        let datatype = Datatype(handle: cmpi_double())
        #expect(datatype.knownSize == 0 && datatype.knownExtent == 0)
    }

    @Test("Known layouts pass the checks without MPI")
    func checkedDatatypes() throws {
        #expect(HandleKey(try Double.checkedDatatype("test")) == HandleKey(cmpi_double()))
        #expect(HandleKey(try Int32.checkedReceiveDatatype("test")) == HandleKey(cmpi_int32()))
        // Padded pairs go out and come in through their datatype, 12 bytes of data per 16-byte stride.
        #expect(HandleKey(try ValueAndRank<Double>.checkedDatatype("test")) == HandleKey(cmpi_double_int()))
        #expect(HandleKey(try ValueAndRank<Double>.checkedReceiveDatatype("MPI_Recv")) == HandleKey(cmpi_double_int()))
        #expect(try ValueAndRank<Double>.hasPadding("MPI_Recv") && !Double.hasPadding("MPI_Recv"))
    }

    @Test("An extent other than the stride is an error naming the type and the fix")
    func wrongExtent() {
        let lying = Datatype(predefined: cmpi_double(), size: 8, extent: 16)
        let error = #expect(throws: MPIError.self) {
            try ElementLayout.check(Double.self, lying, operation: "MPI_Send")
        }
        #expect(error?.errorClass == .type)
        #expect(error?.message.contains("invalid element type Swift.Double") == true)
        #expect(error?.message.contains("extent 16 bytes, but MemoryLayout<Swift.Double>.stride is 8") == true)
        #expect(error?.message.contains("MPI_Type_create_resized") == true)
    }

    @Test("Data smaller than the stride (padding) passes the check: MPI places elements by extent")
    func padding() throws {
        let padded = Datatype(predefined: cmpi_int32(), size: 4, extent: 8)
        #expect(HandleKey(try ElementLayout.check(Int64.self, padded, operation: "MPI_Recv")) == HandleKey(cmpi_int32()))
    }
}
