import Foundation
import Testing
@testable import JSONValues

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)),
        ("0", .int(0)), ("-12", .int(-12)), ("1.5", .double(1.5)), ("1.0", .double(1.0)), ("-0.25e2", .double(-25)),
        ("1E3", .double(1000)), ("9223372036854775807", .int(Int.max)), ("9223372036854775808", .double(9.223372036854775808e18)),
        ("\"\"", .string("")), ("\"a\\\"b\\\\c\\/d\"", .string("a\"b\\c/d")), ("\"\\n\\t\\r\\b\\f\"", .string("\n\t\r\u{8}\u{C}")),
        ("\"\\u00e9\\u4e2d\"", .string("é中")), ("\"\\ud83d\\ude00\"", .string("😀")), ("\"😀 raw é\"", .string("😀 raw é")),
        (" [ 1 , [ ] , { } ] ", .array([1, [], [:]])), ("{\"a\": {\"b\": [null]}}", .object(["a": .object(["b": .array([.null])])])),
    ])
    func parsesValues(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: ["", "nul", "tru", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "1e", "\"open", "\"\\x\"",
                      "\"\\ud83d\"", "\"\\ude00\"", "\"tab\there\"", "[1 2]", "{\"a\" 1}", "1 2", "[", "{", "\"\\u12\"", "+1", "NaN"])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParser.Error.self) { try parse(text) }
    }

    @Test func refusesExcessiveNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.Error.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? parse(fine)) != nil)
    }

    /// Property: random values encoded by Foundation parse back to the same value.
    @Test func agreesWithFoundationOnRandomValues() throws {
        var generator = SplitMix(seed: 7)
        let encoder = JSONEncoder()
        for _ in 0..<300 {
            let value = randomValue(depth: 0, using: &generator)
            let data = try encoder.encode(value)
            #expect(try JSONParser.parse(data) == value, "\(String(decoding: data, as: UTF8.self))")
        }
    }

    func randomValue(depth: Int, using generator: inout SplitMix) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: Int.min...Int.max, using: &generator))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &generator) + 0.5)
        case 4:
            let alphabet = Array("ab \"\\/\n\té中😀\u{1}")
            return .string(String((0..<Int.random(in: 0..<8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        case 5: return .array((0..<Int.random(in: 0..<4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var fields: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &generator) { fields["k\(index)"] = randomValue(depth: depth + 1, using: &generator) }
            return .object(fields)
        }
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
