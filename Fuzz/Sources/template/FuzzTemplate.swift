// Fuzz target: CellTemplate.render, in both modes.
//
// Input: the cell text, then variable definitions `name=value`, separated by 0xFE.
// Properties, checked against a renderer written here without mustache (the documented rules:
// `{{ name }}` / `{{ name.sql }}` on one line; SQL mode refuses anything else, code mode leaves
// it as it is; braces are found as Unicode scalars, whatever characters they combine with):
// - the same output, or the same error (never a mustache engine error);
// - in particular text without `{{` comes back unchanged, and in code mode text that
//   references no defined variable comes back unchanged.
// Known limitation, not checked: a reference glued to a combining mark (see `reference`).
import FuzzSupport
import Magics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let fields = parts(bytes(data, size)).map { String(decoding: $0, as: UTF8.self) }
    let text = fields[0]
    var variables: [String: String] = [:]
    for definition in fields.dropFirst() {
        guard let equals = definition.firstIndex(of: "=") else { continue }
        variables[String(definition[..<equals])] = String(definition[definition.index(after: equals)...])
    }
    for mode in [CellTemplate.Mode.sql, .code] {
        let rendered = Result { () throws(TemplateError) in try CellTemplate.render(text, variables: variables, mode: mode) }
        guard let expected = reference(text, variables: variables, mode: mode) else { continue }
        check(rendered == expected, "\(mode) mode, text \(show(text)), variables \(variables): "
              + "rendered \(rendered.map(show)), expected \(expected.map(show))")
    }
    return 0
}

/// The expected result, or nil where CellTemplate is known to differ: a replaced reference that
/// combines with the scalar before or after it into one Character (`{{ n }}\u{301}`), because
/// mustache reads Characters and then does not see its delimiter (it fails or leaves the tag).
func reference(_ text: String, variables: [String: String], mode: CellTemplate.Mode) -> Result<String, TemplateError>? {
    guard text.unicodeScalars.firstRange(of: "{{".unicodeScalars) != nil else { return .success(text) }
    if text.contains("⟦") || text.contains("⟧") { return .failure(.reservedCharacters) }
    var out = ""
    var rest = text[...]
    var line = 1
    while let open = rest.unicodeScalars.firstRange(of: "{{".unicodeScalars) {
        let before = rest[..<open.lowerBound]
        line += before.count(where: { $0 == "\n" })
        out += before
        let afterOpen = rest[open.upperBound...]
        guard let close = afterOpen.prefix(while: { $0 != "\n" }).unicodeScalars.firstRange(of: "}}".unicodeScalars) else {
            if mode == .sql { return .failure(.unclosedTag(line: line)) }
            out += "{{"
            rest = afterOpen
            continue
        }
        let inner = trimmed(afterOpen[..<close.lowerBound])
        let quoted = inner.hasSuffix(".sql")
        let name = quoted ? String(inner.dropLast(4)) : inner
        if CellParser.isIdentifier(name), let value = variables[name] {
            if let before = rest[..<open.lowerBound].unicodeScalars.last, (String(before) + "⟦").count == 1 { return nil }
            if let after = afterOpen[close.upperBound...].unicodeScalars.first, ("⟧" + String(after)).count == 1 { return nil }
            out += quoted ? SQLLiteral.quote(value) : value
        } else if mode == .sql {
            return .failure(CellParser.isIdentifier(name)
                ? .undefinedVariable(name: name, line: line, defined: variables.keys.sorted())
                : .invalidTag(inner, line: line))
        } else {
            out += "{{" + afterOpen[..<close.upperBound]
        }
        rest = afterOpen[close.upperBound...]
    }
    return .success(out + rest)
}

func trimmed(_ text: Substring) -> String {
    String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
}
