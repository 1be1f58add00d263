// libFuzzer target for ObjectDecoder (`make fuzz`): every input is decoded as
// each of the types below. Bytes that are not an encoding of the type must
// throw DecodingError; bytes that decode must survive a round trip (encode,
// decode again, the same value). Built with ObjectFormat.swift,
// ObjectEncoder.swift and ObjectDecoder.swift alone: no MPI.

struct Task: Codable, Equatable {
    var name: String
    var weights: [Double]
    var limits: [String: Int]
    var parent: Int?
}

enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case rect(width: Int32, height: Int32)
    case named(String, tags: [String])
    case empty
}

struct Point: Codable, Equatable {
    var x: Float
    var y: Float
}

struct Grid: Codable, Equatable {
    var rows: [[Int8]]
    var label: String?
    var origin: Point
    var flags: [UInt16]
}

/// Equality with floating point compared by bit pattern: a NaN that decodes must come back the same NaN.
protocol Same { func same(_ other: Self) -> Bool }

extension Double: Same { func same(_ other: Double) -> Bool { bitPattern == other.bitPattern } }
extension Float: Same { func same(_ other: Float) -> Bool { bitPattern == other.bitPattern } }
extension Array: Same where Element: Same {
    func same(_ other: [Element]) -> Bool { count == other.count && zip(self, other).allSatisfy { $0.same($1) } }
}
extension Dictionary: Same where Value: Same {
    func same(_ other: [Key: Value]) -> Bool {
        count == other.count && allSatisfy { key, value in other[key].map { value.same($0) } ?? false }
    }
}
extension Task: Same {
    func same(_ other: Task) -> Bool {
        name == other.name && weights.same(other.weights) && limits == other.limits && parent == other.parent
    }
}
extension Shape: Same {
    func same(_ other: Shape) -> Bool {
        if case .circle(let a) = self, case .circle(let b) = other { return a.same(b) }
        return self == other
    }
}
extension Point: Same { func same(_ other: Point) -> Bool { x.same(other.x) && y.same(other.y) } }
extension Grid: Same {
    func same(_ other: Grid) -> Bool {
        rows == other.rows && label == other.label && origin.same(other.origin) && flags == other.flags
    }
}

/// Decodes `bytes` as `T`; if that succeeds, checks the round trip with `same`.
@inline(never)
func check<T: Codable>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer, _ same: (T, T) -> Bool) {
    let value: T
    do {
        value = try ObjectDecoder().decode(T.self, from: bytes)
    } catch is DecodingError {
        return
    } catch {
        preconditionFailure("decoding \(T.self) threw \(error), not a DecodingError")
    }
    let encoded: [UInt8]
    do {
        encoded = try ObjectEncoder().encode(value)
    } catch {
        preconditionFailure("re-encoding the decoded \(T.self) \(value) threw \(error)")
    }
    let again: T
    do {
        again = try ObjectDecoder().decode(T.self, from: encoded)
    } catch {
        preconditionFailure("decoding the re-encoded \(T.self) \(value) threw \(error); bytes \(encoded)")
    }
    precondition(same(value, again), "the round trip of \(T.self) changed \(value) into \(again)")
}

func check<T: Codable & Equatable>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer) { check(type, bytes, ==) }
func checkBits<T: Codable & Same>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer) { check(type, bytes) { $0.same($1) } }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    checkBits(Task.self, bytes)
    checkBits([String: Double].self, bytes)
    checkBits([Double].self, bytes)
    check([Int32].self, bytes)
    check(String.self, bytes)
    check(Int?.self, bytes)
    checkBits([Task].self, bytes)
    checkBits(Shape.self, bytes)
    checkBits(Grid.self, bytes)
    check([String?].self, bytes)
    check(Set<String>.self, bytes)
    check([Int: String].self, bytes)
    check(Bool.self, bytes)
    check(UInt64.self, bytes)
    checkBits(Float.self, bytes)
    check([Bool].self, bytes)
    return 0
}
