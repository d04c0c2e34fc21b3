// Fuzz target: JSONParser.parse (Livy response bodies, Jupyter message frames).
//
// Properties:
// - never crashes, on any bytes (depth is bounded by JSONParser.maximumDepth);
// - agrees with Foundation's JSONSerialization on accept/reject, and on the value where both
//   accept, for every input Foundation reads as UTF-8 (see `comparable` for what is left out);
// - an accepted value, written by JSONEncoder, parses back to the same value.
//
// Deliberate differences from JSONSerialization, not checked:
// - trailing commas (`[1,]`, `{"a":1,}`): Foundation accepts them, RFC 8259 does not;
// - numbers beyond Double's range (`1e400`): JSONParser reads them as ±infinity, Foundation
//   refuses them ("not representable");
// - invalid UTF-8 inside strings: JSONParser substitutes U+FFFD (Foundation rejects the input);
// - a leading byte-order mark, or NUL bytes: Foundation guesses UTF-16/32 from them; Jupyter and
//   Livy send UTF-8 without a BOM, and JSONParser rejects both;
// - numbers: JSONParser yields Int when the literal has no fraction or exponent and fits an Int,
//   Double otherwise; Foundation picks its own NSNumber types (and Decimal for long literals),
//   so numbers are compared by value, and within 1 ulp where Foundation had to round;
// - keys that differ only by Unicode normalisation are one key in a Swift dictionary, on both
//   sides, so they do not show up as a difference.
import Foundation
import FuzzSupport
import JSONValues

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let ours: JSONValue?, failure: JSONParser.Error?
    do {
        ours = try JSONParser.parse(input)
        failure = nil
    } catch {
        ours = nil
        failure = error
    }

    if let ours {
        roundTrip(ours)
    }
    guard comparable(input) else { return 0 }
    if let failure, trailingComma(input, at: failure.offset) { return 0 }
    if let ours, !finite(ours) { return 0 }
    let theirs = try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])
    check((ours == nil) == (theirs == nil),
          "JSONParser \(ours == nil ? "rejects" : "accepts") what Foundation \(theirs == nil ? "rejects" : "accepts"): \(show(input))"
            + (failure.map { " (\($0))" } ?? ""))
    if let ours, let theirs {
        check(same(ours, theirs), "values differ: ours \(ours), Foundation \(theirs), input \(show(input))")
    }
    return 0
}

/// Whether JSONParser stopped at a `]` or `}` right after a comma: Foundation accepts a trailing
/// comma there, RFC 8259 (and JSONParser) do not.
func trailingComma(_ input: [UInt8], at offset: Int) -> Bool {
    guard offset < input.count, input[offset] == UInt8(ascii: "]") || input[offset] == UInt8(ascii: "}") else {
        return false
    }
    let before = input[..<offset].last { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
    return before == UInt8(ascii: ",")
}

/// Inputs where Foundation is a fair oracle: valid UTF-8, no BOM or NUL, nesting well inside
/// both parsers' limits (JSONParser 512, Foundation 512).
func comparable(_ input: [UInt8]) -> Bool {
    guard String(validating: input, as: UTF8.self) != nil else { return false }
    if input.starts(with: [0xEF, 0xBB, 0xBF]) || input.contains(0) { return false }
    var depth = 0, deepest = 0
    for byte in input {
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1; deepest = max(deepest, depth) }
        if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth -= 1 }
    }
    return deepest < 500
}

/// JSONEncoder's text of the value parses back to an equal value (numbers by value: 1.0 is
/// written as 1 and comes back as Int).
func roundTrip(_ value: JSONValue) {
    guard finite(value) else { return }  // JSON has no infinities; JSONEncoder refuses them
    guard let data = try? JSONEncoder().encode(value) else {
        check(false, "JSONEncoder cannot write \(value)")
        return
    }
    guard let again = try? JSONParser.parse(data) else {
        check(false, "cannot parse JSONEncoder's \(show(data))")
        return
    }
    check(sameValue(value, again), "round trip changed \(value) into \(again)")
}

func finite(_ value: JSONValue) -> Bool {
    switch value {
    case .double(let number): number.isFinite
    case .array(let items): items.allSatisfy(finite)
    case .object(let fields): fields.values.allSatisfy(finite)
    default: true
    }
}

/// Equal, with numbers compared by value.
func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case let (.int(x), .double(y)), let (.double(y), .int(x)): Double(exactly: x) == y || (Double(x) == y && y.isFinite)
    case let (.array(x), .array(y)): x.count == y.count && zip(x, y).allSatisfy(sameValue)
    case let (.object(x), .object(y)):
        x.count == y.count && x.allSatisfy { key, value in y[key].map { sameValue(value, $0) } ?? false }
    case let (.string(x), .string(y)): x.unicodeScalars.elementsEqual(y.unicodeScalars)
    default: a == b
    }
}

/// Our value against what JSONSerialization produced.
func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
    switch ours {
    case .null:
        return theirs is NSNull
    case .bool(let value):
        guard let number = theirs as? NSNumber, isBool(number) else { return false }
        return number.boolValue == value
    case .int(let value):
        guard let number = theirs as? NSNumber, !isBool(number) else { return false }
        if theirs is Decimal { return number.decimalValue == Decimal(value) }
        return number.int64Value == Int64(value) && number.doubleValue == Double(value)
    case .double(let value):
        guard let number = theirs as? NSNumber, !isBool(number) else { return false }
        let other = number.doubleValue
        if theirs is Decimal {
            // Foundation keeps long literals as Decimal; its conversion to Double is not exact.
            return abs(other - value) <= abs(value) * 1e-12
        }
        return other == value || other.nextUp == value || other.nextDown == value
    case .string(let value):
        guard let string = theirs as? String else { return false }
        return value.unicodeScalars.elementsEqual(string.unicodeScalars)
    case .array(let items):
        guard let array = theirs as? [Any], array.count == items.count else { return false }
        return zip(items, array).allSatisfy(same)
    case .object(let fields):
        guard let object = theirs as? [String: Any], object.count == fields.count else { return false }
        return fields.allSatisfy { key, value in object[key].map { same(value, $0) } ?? false }
    }
}

/// JSONSerialization's booleans are NSNumbers of type char; its numbers never are.
func isBool(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}
