/// Recognises the parameters cell papermill injects for a scheduled run, so its values also become
/// `{{ }}` template variables. Papermill writes `# Parameters` and then one `name = literal` per
/// line in the kernel's language (Python for these kernels; use `-l python` for the SQL kernel).
public enum ParameterCell {
    public static let header = "# Parameters"

    /// The assignments of a parameters cell, or nil when `body` is not one.
    public static func parse(_ body: String) -> [String: String]? {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: true)
            .map { trimmed($0) }
        guard lines.first == header else { return nil }
        var values: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty && !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = trimmed(line[..<equals])
            guard CellParser.isIdentifier(name), let value = literal(line[line.index(after: equals)...]) else { continue }
            values[name] = value
        }
        return values
    }

    /// A Python literal as text: quoted strings unquoted (Python's escapes), numbers and booleans as written.
    static func literal(_ text: Substring) -> String? {
        let value = trimmed(text)
        guard let first = value.first else { return nil }
        if (first == "\"" || first == "'"), value.count >= 2, value.last == first {
            return unescaped(value.unicodeScalars.dropFirst().dropLast())
        }
        if value == "True" { return "true" }
        if value == "False" { return "false" }
        if value == "None" { return "" }
        if Double(value) != nil { return value }
        return nil
    }

    /// The escapes of a Python string literal. papermill writes string parameters through Python's
    /// `unicode_escape` codec, so anything outside printable ASCII arrives as `\xe9`, `\u4e2d`,
    /// `\U0001f600`; an unknown escape keeps its backslash, as in Python.
    static func unescaped(_ body: String.UnicodeScalarView.SubSequence) -> String {
        var out = String.UnicodeScalarView()
        var rest = body[...]
        while let scalar = rest.popFirst() {
            guard scalar == "\\", let escaped = rest.popFirst() else {
                out.append(scalar)
                continue
            }
            switch escaped {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\\", "'", "\"": out.append(escaped)
            case "x", "u", "U":
                let count = escaped == "x" ? 2 : escaped == "u" ? 4 : 8
                let digits = rest.prefix(count)
                if digits.count == count, digits.allSatisfy(\.properties.isASCIIHexDigit),
                   let decoded = UInt32(String(String.UnicodeScalarView(digits)), radix: 16).flatMap(Unicode.Scalar.init) {
                    out.append(decoded)
                    rest = rest.dropFirst(count)
                } else {
                    out.append(scalar)
                    out.append(escaped)
                }
            case "0"..."7":
                let digits = [escaped] + rest.prefix(while: { ("0"..."7").contains($0) }).prefix(2)
                if let decoded = UInt32(String(String.UnicodeScalarView(digits)), radix: 8).flatMap(Unicode.Scalar.init) {
                    out.append(decoded)  // at most 0o777, always a scalar
                }
                rest = rest.dropFirst(digits.count - 1)
            default:
                out.append(scalar)
                out.append(escaped)
            }
        }
        return String(out)
    }
}

/// Trims spaces, tabs and carriage returns (this pure module does without Foundation).
private func trimmed(_ text: some StringProtocol) -> String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    var slice = Substring(text)
    while let first = slice.first, blank(first) { slice = slice.dropFirst() }
    while let last = slice.last, blank(last) { slice = slice.dropLast() }
    return String(slice)
}
