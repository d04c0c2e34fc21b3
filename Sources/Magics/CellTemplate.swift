import Mustache

/// `{{ name }}` variables in cells, rendered with swift-mustache.
///
/// Where templating applies:
/// - SQL (`%%sql` cells, SQL-kernel cells): every `{{ … }}` is a variable reference; an undefined
///   name is an error naming it (never an empty string). `{{ name.sql }}` inserts the value as a
///   quoted SQL string literal (`'it\'s'`), safe whatever the value holds.
/// - PySpark and Scala cells: only `{{ name }}` / `{{ name.sql }}` whose name is a defined variable
///   is replaced. Every other pair of braces stays as it is, because it is code: f-string escapes
///   (`f"{{x}}"`), nested dict or set literals, JSON in strings.
///
/// Mechanism: the references found are rewritten to mustache tags with delimiters no cell uses
/// (`⟦& name⟧`), so mustache renders them and leaves all other text, braces included, alone.
public enum CellTemplate {
    public enum Mode: Sendable { case sql, code }

    public static func render(_ text: String, variables: [String: String], mode: Mode) throws(TemplateError) -> String {
        guard text[...].scalarRange(of: "{{") != nil else { return text }  // the common case costs nothing
        if text.contains(openDelimiter) || text.contains(closeDelimiter) {
            throw .reservedCharacters
        }
        // On a line of its own, which mustache drops whole as a standalone tag. Followed directly by
        // the text, it took a blank first line of the text (and its line break) along with it.
        var template = "{{=\(openDelimiter) \(closeDelimiter)=}}\n"
        var rest = text[...]
        var line = 1
        while let open = rest.scalarRange(of: "{{") {
            let before = rest[..<open.lowerBound]
            line += before.count(where: { $0 == "\n" })
            template += before
            let afterOpen = rest[open.upperBound...]
            let sameLine = afterOpen.prefix(while: { $0 != "\n" })
            guard let close = sameLine.scalarRange(of: "}}") else {
                if mode == .sql { throw .unclosedTag(line: line) }
                template += "{{"
                rest = afterOpen
                continue
            }
            let inner = String(afterOpen[..<close.lowerBound]).trimmingSpaces
            let reference = Reference(inner)
            if let reference, variables[reference.name] != nil {
                template += "\(openDelimiter)& \(reference.name)\(reference.quoted ? ".sql" : "")\(closeDelimiter)"
            } else if mode == .sql {
                throw reference.map { .undefinedVariable(name: $0.name, line: line, defined: variables.keys.sorted()) }
                    ?? .invalidTag(inner, line: line)
            } else {
                template += "{{" + afterOpen[..<close.upperBound]
            }
            rest = afterOpen[close.upperBound...]
        }
        // Mustache drops a last line of only spaces and tabs; a final "." keeps it, and is cut off.
        template += rest + "."
        do {
            let compiled = try MustacheTemplate(string: template)
            return String(compiled.render(variables.mapValues(TemplateValue.init)).unicodeScalars.dropLast())
        } catch {
            throw .engine(String(describing: error))
        }
    }

    /// Names referenced in `text` (for completion and `%vars`).
    public static func referencedNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.scalarRange(of: "{{"), let close = rest[open.upperBound...].scalarRange(of: "}}") {
            if let reference = Reference(String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces) {
                names.append(reference.name)
            }
            rest = rest[close.upperBound...]
        }
        return names
    }

    static let openDelimiter = "⟦"
    static let closeDelimiter = "⟧"

    /// `name` or `name.sql`.
    struct Reference {
        var name: String
        var quoted: Bool

        init?(_ inner: String) {
            if inner.hasSuffix(".sql") {
                name = String(inner.dropLast(4))
                quoted = true
            } else {
                name = inner
                quoted = false
            }
            guard CellParser.isIdentifier(name) else { return nil }
        }
    }
}

extension Substring {
    /// Where `pattern` first occurs as Unicode scalars: braces count whatever characters they
    /// combine with (Foundation's `range(of:)` matched some such braces and not others).
    func scalarRange(of pattern: String) -> Range<String.Index>? {
        unicodeScalars.firstRange(of: pattern.unicodeScalars)
    }
}

/// A variable's value: itself when rendered, and `.sql` for its quoted SQL literal.
struct TemplateValue: MustacheParent, CustomStringConvertible {
    let raw: String

    init(_ raw: String) { self.raw = raw }

    var description: String { raw }

    func child(named name: String) -> Any? {
        name == "sql" ? SQLLiteral.quote(raw) : nil
    }
}

/// Spark SQL string literals: single quotes, with backslash escapes (Spark's default parser).
public enum SQLLiteral {
    public static func quote(_ value: String) -> String {
        var out = "'"
        for char in value {
            switch char {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.append(char)
            }
        }
        return out + "'"
    }
}

public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    case undefinedVariable(name: String, line: Int, defined: [String])
    case invalidTag(String, line: Int)
    case unclosedTag(line: Int)
    case reservedCharacters
    case engine(String)

    public var description: String {
        switch self {
        case let .undefinedVariable(name, line, defined):
            "{{ \(name) }} on line \(line) is not defined; "
                + (defined.isEmpty ? "no variables are set (use %set \(name)=VALUE)"
                    : "defined: " + defined.joined(separator: ", "))
        case let .invalidTag(tag, line):
            "{{ \(tag) }} on line \(line) is not a variable reference (use {{ name }} or {{ name.sql }})"
        case .unclosedTag(let line):
            "the {{ on line \(line) has no closing }}"
        case .reservedCharacters:
            "the cell contains \(CellTemplate.openDelimiter) or \(CellTemplate.closeDelimiter), which templating reserves"
        case .engine(let message):
            "template error: \(message)"
        }
    }
}
