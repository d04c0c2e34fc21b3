// Fuzz target: ParameterCell.parse (the parameters cell papermill injects).
//
// Properties:
// - never crashes on any cell; deterministic; every name it returns is an identifier;
// - papermill round trip: the input, split at 0xFE into name/value pairs, is written as
//   papermill's Python translator writes string parameters (`name = "…"` with the value through
//   Python's `unicode_escape` codec and `"` escaped), and parse gives back exactly those values.
import FuzzSupport
import Magics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let cell = String(decoding: input, as: UTF8.self)
    let values = ParameterCell.parse(cell)
    check(values == ParameterCell.parse(cell), "parse is not deterministic")
    for name in values?.keys ?? [:].keys {
        check(CellParser.isIdentifier(name), "name \(show(name))")
    }

    let fields = parts(input).map { String(decoding: $0, as: UTF8.self) }
    var names: [String] = []
    var expected: [String: String] = [:]
    for index in stride(from: 0, to: fields.count - 1, by: 2) where CellParser.isIdentifier(fields[index]) {
        if expected[fields[index]] == nil { names.append(fields[index]) }
        expected[fields[index]] = fields[index + 1]
    }
    var written = "# Parameters\n"
    for name in names {
        written += name + " = " + papermillString(expected[name]!) + "\n"
    }
    let parsed = ParameterCell.parse(written)
    check(parsed == expected, "papermill cell \(show(written)) parsed as \(parsed.map { $0.mapValues(show) } ?? [:]), "
          + "expected \(expected.mapValues(show))")
    return 0
}

/// papermill's `Translator.translate_escaped_str`: `"` + value.encode('unicode_escape') with
/// `"` escaped + `"`.
func papermillString(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\"": out += "\\\""
        case " "..."~": out.unicodeScalars.append(scalar)
        default:
            let hex = String(scalar.value, radix: 16)
            let width = scalar.value < 0x100 ? 2 : scalar.value < 0x10000 ? 4 : 8
            out += (width == 2 ? "\\x" : width == 4 ? "\\u" : "\\U") + String(repeating: "0", count: width - hex.count) + hex
        }
    }
    return out + "\""
}
