import CMPI
@testable import MPI
import Testing

/// The wildcards and the null process, as Swift spells them and as MPI does.
@Suite
struct WildcardTests {
    @Test("The Swift values are distinct, far from every rank, tag and C int")
    func swiftValues() {
        let values = [MPI.anySource, MPI.processNull, MPI.anyTag]
        #expect(Set(values).count == 3)
        for value in values {
            #expect(CInt(exactly: value) == nil, "\(value) fits a C int, so rank arithmetic could reach it")
            #expect(value < Int(CInt.min))
        }
        // Everyday rank arithmetic stays clear of them: rank - 1 at rank 0.
        #expect(!values.contains(0 - 1) && !values.contains(-2))
    }

    @Test("Ranks: the null process always, any source only where receives take it")
    func ranksToMPI() {
        #expect(Wildcards.mpiRank(MPI.processNull, allowsAnySource: false) == cmpi_proc_null())
        #expect(Wildcards.mpiRank(MPI.processNull, allowsAnySource: true) == cmpi_proc_null())
        #expect(Wildcards.mpiRank(MPI.anySource, allowsAnySource: true) == cmpi_any_source())
        #expect(Wildcards.mpiRank(MPI.anySource, allowsAnySource: false) == nil)
        // MPI's own spellings are errors, not wildcards: -1 is a rank computed wrong.
        for rank in [-1, -2, Int(cmpi_any_source()), Int(cmpi_proc_null()), MPI.anyTag, 0, 3] {
            #expect(Wildcards.mpiRank(rank, allowsAnySource: true) == nil, "\(rank)")
        }
    }

    @Test("Tags: only MPI.anyTag is a wildcard")
    func tagsToMPI() {
        #expect(Wildcards.mpiTag(MPI.anyTag) == cmpi_any_tag())
        for tag in [-1, Int(cmpi_any_tag()), MPI.anySource, MPI.processNull, 0, 5] {
            #expect(Wildcards.mpiTag(tag) == nil, "\(tag)")
        }
    }

    @Test("What MPI reports comes back as the Swift values")
    func fromMPI() {
        #expect(Wildcards.swiftRank(cmpi_proc_null()) == MPI.processNull)
        #expect(Wildcards.swiftRank(cmpi_any_source()) == MPI.anySource)
        #expect(Wildcards.swiftTag(cmpi_any_tag()) == MPI.anyTag)
        for value: CInt in [0, 1, 42, CInt.max] {
            #expect(Wildcards.swiftRank(value) == Int(value))
            #expect(Wildcards.swiftTag(value) == Int(value))
        }
        // Another negative value is passed through, not turned into a wildcard.
        #expect(Wildcards.swiftTag(-7) == -7)
        #expect(Wildcards.swiftRank(-7) == -7)
    }

    @Test("Round trips through MPI's values", arguments: [MPI.processNull, MPI.anySource])
    func roundTrip(rank: Int) throws {
        let mpi = try #require(Wildcards.mpiRank(rank, allowsAnySource: true))
        #expect(Wildcards.swiftRank(mpi) == rank)
    }
}
