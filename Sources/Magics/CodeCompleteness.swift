/// Whether a cell is ready to run, for `is_complete_request` (consoles ask before executing on
/// Enter). Judged lexically: open brackets, strings and comments; for Python also a trailing
/// colon, a line continuation, or an indented block not yet closed by an empty line.
///
/// Lexical on purpose: the kernel cannot parse Python or Scala without the remote interpreter,
/// and a wrong "incomplete" only costs the user one more Enter, while a wrong "complete" sends
/// half a statement to Spark.
public enum CodeCompleteness: Equatable, Sendable {
    case complete
    case incomplete(indent: String)
    case invalid

    public enum Dialect: Sendable {
        case python, scala, sql

        var lineComment: String {
            switch self {
            case .python: "#"
            case .scala: "//"
            case .sql: "--"
            }
        }
        var hasBlockComments: Bool { self != .python }
        var hasTripleQuotes: Bool { self != .sql }
        /// Python lets a newline end a single-quoted string with an error; Scala and SQL too,
        /// except SQL strings may span lines.
        var stringsSpanLines: Bool { self == .sql }
    }

    /// Judges `code`; a leading `%%sql`/`%%pyspark`/`%%scala` line switches the dialect for the body.
    public static func check(_ code: String, dialect: Dialect) -> CodeCompleteness {
        var dialect = dialect
        var body = Substring(code)
        let trimmed = code.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })
        if trimmed.hasPrefix("%%") {
            let firstLine = trimmed.prefix(while: { $0 != "\n" })
            let name = firstLine.dropFirst(2).prefix(while: { !$0.isWhitespace })
            switch MagicCatalog.cellMagic(name)?.body {
            case .code(let magicDialect)?:
                dialect = magicDialect
            case .json?:
                return trimmed.dropFirst(firstLine.count).allSatisfy(\.isWhitespace) ? .incomplete(indent: "") : .complete
            case .absent?, nil:
                return .complete  // the magic line is the whole cell (an unknown magic fails when run)
            }
            body = trimmed.dropFirst(firstLine.count)
            // A code magic with nothing under it yet is waiting for its body.
            if body.allSatisfy(\.isWhitespace) { return .incomplete(indent: "") }
        } else if trimmed.hasPrefix("%") && !trimmed.contains("\n") {
            return .complete  // a line magic on its own
        }
        return Scanner(dialect: dialect).scan(body)
    }
}

/// One pass over the code, tracking the innermost open construct.
private struct Scanner {
    let dialect: CodeCompleteness.Dialect

    private enum Open: Equatable {
        case bracket(Character)
        case string(quote: Character, triple: Bool)
        case blockComment(depth: Int)
    }

    func scan(_ code: Substring) -> CodeCompleteness {
        let chars = Array(code)
        var stack: [Open] = []
        var index = 0
        func at(_ offset: Int) -> Character? { index + offset < chars.count ? chars[index + offset] : nil }
        func starts(_ text: String) -> Bool {
            for (k, c) in text.enumerated() where at(k) != c { return false }
            return true
        }

        while index < chars.count {
            let char = chars[index]
            switch stack.last {
            case let .string(quote, triple)?:
                if char == "\\" && dialect != .sql || char == "\\" && at(1) == quote {
                    index += 2
                    continue
                }
                if triple, starts(String(repeating: quote, count: 3)) {
                    stack.removeLast()
                    index += 3
                    continue
                }
                if !triple && char == quote {
                    stack.removeLast()
                } else if !triple && char == "\n" && !dialect.stringsSpanLines {
                    return .invalid  // a single-quoted string cannot span lines
                }
                index += 1
            case let .blockComment(depth)?:
                if starts("*/") {
                    stack.removeLast()
                    if depth > 1 { stack.append(.blockComment(depth: depth - 1)) }
                    index += 2
                } else if starts("/*") {
                    stack.removeLast()
                    stack.append(.blockComment(depth: depth + 1))
                    index += 2
                } else {
                    index += 1
                }
            default:
                if starts(dialect.lineComment) {
                    while index < chars.count && chars[index] != "\n" { index += 1 }
                } else if dialect.hasBlockComments && starts("/*") {
                    stack.append(.blockComment(depth: 1))
                    index += 2
                } else if char == "'" && dialect == .scala {
                    // A Scala char literal ('a', '\n', '\u0041') is closed on its line; any other
                    // quote is a (deprecated) symbol literal, which opens nothing.
                    if at(1) == "\\", let close = (2..<8).first(where: { at($0) == "'" }) {
                        index += close + 1
                    } else if at(1) != nil && at(1) != "\n" && at(2) == "'" {
                        index += 3
                    } else {
                        index += 1
                    }
                } else if char == "\"" || char == "'" || (char == "`" && dialect != .python) {
                    let triple = dialect.hasTripleQuotes && char != "`" && starts(String(repeating: char, count: 3))
                    stack.append(.string(quote: char, triple: triple))
                    index += triple ? 3 : 1
                } else if "([{".contains(char) {
                    stack.append(.bracket(char))
                    index += 1
                } else if let opener = Self.opener(of: char) {
                    guard stack.last == .bracket(opener) else { return .invalid }
                    stack.removeLast()
                    index += 1
                } else {
                    index += 1
                }
            }
        }
        if let open = stack.last {
            if case .string(_, false) = open, !dialect.stringsSpanLines { return .invalid }
            return .incomplete(indent: "")
        }
        return dialect == .python ? pythonBlockState(code) : .complete
    }

    private static func opener(of char: Character) -> Character? {
        switch char {
        case ")": "("
        case "]": "["
        case "}": "{"
        default: nil
        }
    }

    /// Python only: a block opened by `:` or continued by `\` is not finished until an empty line.
    private func pythonBlockState(_ code: Substring) -> CodeCompleteness {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return .complete }
        let endsWithBlankLine = lines.last.map { $0.allSatisfy(\.isWhitespace) } ?? false && lines.count > 1
        let indent = String(last.prefix(while: { $0 == " " || $0 == "\t" }))
        let content = last.trimmingTrailingWhitespace
        if content.hasSuffix("\\") { return .incomplete(indent: indent) }
        if content.hasSuffix(":") && !endsWithBlankLine { return .incomplete(indent: indent + "    ") }
        if !indent.isEmpty && !endsWithBlankLine { return .incomplete(indent: indent) }
        return .complete
    }
}

private extension Substring {
    var trimmingTrailingWhitespace: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
