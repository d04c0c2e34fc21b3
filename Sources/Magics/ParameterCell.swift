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

    /// A Python literal as text: quoted strings unquoted (simple escapes), numbers and booleans as written.
    static func literal(_ text: Substring) -> String? {
        let value = trimmed(text)
        guard let first = value.first else { return nil }
        if (first == "\"" || first == "'"), value.count >= 2, value.last == first {
            var out = "", escaping = false
            for char in value.dropFirst().dropLast() {
                if escaping {
                    switch char {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: out.append(char)
                    }
                    escaping = false
                } else if char == "\\" {
                    escaping = true
                } else {
                    out.append(char)
                }
            }
            return out
        }
        if value == "True" { return "true" }
        if value == "False" { return "false" }
        if value == "None" { return "" }
        if Double(value) != nil { return value }
        return nil
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
