@testable import MPI
import Testing

/// The object format without MPI: round trips, and bytes that are not an
/// encoding throwing DecodingError (the fuzz target, `make fuzz`, tries many more).
@Suite
struct ObjectEncodingTests {
    struct Task: Codable, Equatable {
        var name: String
        var weights: [Double]
        var limits: [String: Int]
        var parent: Int?
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(Int)
        case none
    }

    struct Empty: Codable, Equatable {}

    struct Everything: Codable, Equatable {
        var grid: [[Int8]]
        var names: [String?]
        var shape: Shape
        var shapes: [Shape]
        var empty: Empty
        var set: Set<String>
        var byInt: [Int: String]
        var flag: Bool
        var big: UInt64
        var small: Int16
        var float: Float
        var flags: [Bool]
        var floats: [Float]
        var unsigned: [UInt32]
    }

    /// The same fields in another order: keys are matched by name, not position.
    struct Reordered: Codable, Equatable {
        var parent: Int?
        var limits: [String: Int]
        var weights: [Double]
        var name: String
    }

    static let task = Task(name: "rank 3 ✓", weights: [1, 2.5, -0.0, .infinity], limits: ["steps": 30, "x": -1], parent: nil)
    static let everything = Everything(
        grid: [[1, -2], [], [3]], names: ["x", nil, ""], shape: .circle(radius: 2), shapes: [.square(3), .none],
        empty: Empty(), set: ["p", "q"], byInt: [1: "one", -2: "two"], flag: true, big: .max, small: .min, float: 1.5,
        flags: [true, false], floats: [0.25, -1], unsigned: [0, .max])

    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try ObjectDecoder().decode(T.self, from: ObjectEncoder().encode(value))
    }

    @Test("Structs, enums, optionals, sets, dictionaries and nested arrays round-trip")
    func roundTrips() throws {
        #expect(try roundTrip(Self.task) == Self.task)
        #expect(try roundTrip(Self.everything) == Self.everything)
        #expect(try roundTrip("") == "")
        #expect(try roundTrip(Int?.none) == nil)
        #expect(try roundTrip([Int]()) == [])
        #expect(try roundTrip([String: Double]()) == [:])
        #expect(try roundTrip(Empty()) == Empty())
        #expect(try roundTrip(Double.nan.bitPattern) == Double.nan.bitPattern)
        let large = (0..<(1 << 20)).map { Double($0) / 3 }
        #expect(try roundTrip(large) == large)
    }

    @Test("Arrays of numbers travel as one block: an encoding of 1 Mi doubles is 8 MiB and a few bytes")
    func bulkArrays() throws {
        let bytes = try ObjectEncoder().encode([Double](repeating: 1, count: 1 << 20))
        #expect(bytes.count == 1 + 1 + 1 + 8 + (8 << 20))
        // Int and Int64 share an element code on 64-bit platforms; other widths do not mix.
        #expect(try ObjectDecoder().decode([Int64].self, from: ObjectEncoder().encode([1, 2] as [Int])) == [1, 2])
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode([Int32].self, from: ObjectEncoder().encode([1, 2] as [Int])) }
    }

    @Test("An encoding with its large arrays left in place is the same bytes as the copied one")
    func segmentedEncoding() throws {
        struct Holder: Codable { var before: String; var a: [Double]; var small: [Int32]; var b: [UInt8]; var after: [String: Int] }
        let value = Holder(before: "x", a: (0..<10_000).map(Double.init), small: [1, 2], b: [UInt8](repeating: 7, count: 40_000),
                           after: ["k": 1])
        let copied = try ObjectEncoder().encode(value)
        let segmented = try ObjectEncoder().encodeSegmented(value, threshold: 1 << 10)
        #expect(segmented.segments.count == 2 && segmented.totalBytes == copied.count)
        var joined = [UInt8](repeating: 0, count: segmented.totalBytes)
        joined.withUnsafeMutableBytes { segmented.copy(0..<segmented.totalBytes, to: $0.baseAddress!) }
        #expect(joined == copied)
        var middle = [UInt8](repeating: 0, count: 50_000)
        middle.withUnsafeMutableBytes { segmented.copy(10_000..<60_000, to: $0.baseAddress!) }
        #expect(middle[...] == copied[10_000..<60_000])
    }

    @Test("Keys are matched by name: a type with the fields in another order decodes")
    func keysByName() throws {
        let reordered = try ObjectDecoder().decode(Reordered.self, from: ObjectEncoder().encode(Self.task))
        #expect(reordered == Reordered(parent: nil, limits: Self.task.limits, weights: Self.task.weights, name: Self.task.name))
    }

    @Test("Every truncation of an encoding throws DecodingError")
    func truncations() throws {
        let bytes = try ObjectEncoder().encode(Self.everything)
        for cut in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try ObjectDecoder().decode(Everything.self, from: Array(bytes[0..<cut])) }
        }
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(Everything.self, from: bytes + [0]) }
    }

    @Test("Bytes that are not an encoded object, or another type's, throw DecodingError")
    func notAnObject() throws {
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(Task.self, from: [UInt8](repeating: 0xFF, count: 7)) }
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(Task.self, from: []) }
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(Task.self, from: ObjectEncoder().encode(Self.everything)) }
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(Int8.self, from: ObjectEncoder().encode(300)) }
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(UInt.self, from: ObjectEncoder().encode(-1)) }
        // Invalid UTF-8 in a string: header, string tag, length 2, bytes.
        #expect(throws: DecodingError.self) { try ObjectDecoder().decode(String.self, from: [0xB1, 0x07, 2, 0xC3, 0x28]) }
        // A container claiming 4 billion entries in 0 bytes, and an array of 2^60 elements.
        #expect(throws: DecodingError.self) {
            try ObjectDecoder().decode([Int].self, from: [0xB1, 0x09, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: DecodingError.self) {
            try ObjectDecoder().decode([Double].self, from: [0xB1, 0x0A, 0x38, 0, 0, 0, 0, 0, 0, 0, 0x10])
        }
    }

    @Test("A decoding error names the coding path of the bad value")
    func codingPaths() throws {
        struct Outer: Codable { var inner: [Inner] }
        struct Inner: Codable { var value: Int }
        struct OuterText: Codable { var inner: [InnerText] }
        struct InnerText: Codable { var value: String }
        let bytes = try ObjectEncoder().encode(OuterText(inner: [InnerText(value: "a"), InnerText(value: "b")]))
        do {
            _ = try ObjectDecoder().decode(Outer.self, from: bytes)
            Issue.record("decoded a String as an Int")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["inner", "Index 0", "value"])
        }
    }

    @Test("Containers written out of order (which a one-pass encoder cannot honour) throw EncodingError")
    func interleavedContainers() throws {
        struct Interleaved: Encodable {
            enum Keys: CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var outer = encoder.container(keyedBy: Keys.self)
                var first = outer.nestedUnkeyedContainer(forKey: .a)
                var second = outer.nestedUnkeyedContainer(forKey: .b)
                try second.encode(1)
                try first.encode(2)
            }
        }
        #expect(throws: EncodingError.self) { try ObjectEncoder().encode(Interleaved()) }
    }

    @Test("A class hierarchy through superEncoder and superDecoder round-trips")
    func superCoders() throws {
        class Base: Codable { var id = 1 }
        final class Derived: Base {
            var label = "x"
            enum Keys: CodingKey { case label }
            override init() { super.init() }
            required init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                label = try container.decode(String.self, forKey: .label)
                try super.init(from: container.superDecoder())
            }
            override func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(label, forKey: .label)
                try super.encode(to: container.superEncoder())
            }
        }
        let value = Derived()
        value.id = 7
        value.label = "seven"
        let decoded = try ObjectDecoder().decode(Derived.self, from: ObjectEncoder().encode(value))
        #expect(decoded.id == 7 && decoded.label == "seven")
    }
}
