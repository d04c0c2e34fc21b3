/// One statement of a SQL cell.
public struct SQLStatement: Equatable, Sendable {
    /// The statement without its `;` and surrounding white space (comments inside are kept).
    public var text: String
    /// The 1-based line of the cell where its first token is.
    public var line: Int

    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }

    /// The first line that holds code, for messages ("statement 3 of 5, line 7: SELECT …").
    public var firstLine: String {
        var scanner = SQLScanner(text[...])
        let start = scanner.firstCodeIndex() ?? text.startIndex
        let line = text[start...].prefix(while: { $0 != "\n" })
        return String(line)
    }
}

/// Why a SQL cell cannot be split.
public enum SQLSplitError: Error, Equatable, Sendable, CustomStringConvertible {
    case unterminatedString(quote: Character, line: Int)
    case unterminatedComment(line: Int)

    public var description: String {
        switch self {
        case let .unterminatedString(quote, line):
            quote == "`" ? "the `quoted identifier` opened on line \(line) is not closed"
                : "the \(quote)string\(quote) opened on line \(line) is not closed"
        case .unterminatedComment(let line):
            "the /* comment */ opened on line \(line) is not closed"
        }
    }
}

/// Splits a cell into statements on `;` as Spark SQL's own CLI does: not inside '…' or "…"
/// strings (backslash escapes), `backtick` identifiers, `-- …` line comments or (nested)
/// `/* … */` comments. Statements that hold only white space and comments are skipped.
public enum SQLSplitter {
    /// `firstLine` is the cell line the text starts on (the line after a `%%sql` magic, say).
    public static func split(_ sql: String, firstLine: Int = 1) throws(SQLSplitError) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        var scanner = SQLScanner(sql[...], line: firstLine)
        var start = sql.startIndex
        var firstCode: (index: String.Index, line: Int)?
        while let token = try scanner.next() {
            switch token {
            case .code(let index, let line):
                if firstCode == nil { firstCode = (index, line) }
            case .separator(let index):
                if let code = firstCode {
                    statements.append(statement(sql[start..<index], line: code.line))
                }
                start = sql.index(after: index)
                firstCode = nil
            }
        }
        if let code = firstCode {
            statements.append(statement(sql[start...], line: code.line))
        }
        return statements
    }

    private static func statement(_ text: Substring, line: Int) -> SQLStatement {
        SQLStatement(text: String(text).trimmingSpaces, line: line)
    }
}

/// The lexical walk shared by the splitter: reports code characters (outside comments) and
/// top-level `;`, skipping strings, quoted identifiers and comments whole.
struct SQLScanner {
    enum Token { case code(String.Index, line: Int), separator(String.Index) }

    private let text: Substring
    private var index: String.Index
    private(set) var line: Int

    init(_ text: Substring, line: Int = 1) {
        self.text = text
        self.index = text.startIndex
        self.line = line
    }

    private func peek(_ offset: Int = 0) -> Character? {
        var i = index
        for _ in 0..<offset {
            guard i < text.endIndex else { return nil }
            i = text.index(after: i)
        }
        return i < text.endIndex ? text[i] : nil
    }

    private mutating func advance() {
        if text[index] == "\n" { line += 1 }
        index = text.index(after: index)
    }

    mutating func next() throws(SQLSplitError) -> Token? {
        while index < text.endIndex {
            let char = text[index]
            switch char {
            case ";":
                let at = index
                advance()
                return .separator(at)
            case "-" where peek(1) == "-":
                while index < text.endIndex && text[index] != "\n" { advance() }
            case "/" where peek(1) == "*":
                try skipBlockComment()
            case "'", "\"", "`":
                let at = index, startLine = line
                try skipQuoted(char, startLine: startLine)
                return .code(at, line: startLine)
            default:
                let at = index, atLine = line
                advance()
                if !char.isWhitespace { return .code(at, line: atLine) }
            }
        }
        return nil
    }

    /// The index of the first code character, or nil if there is none.
    mutating func firstCodeIndex() -> String.Index? {
        while let token = try? next() {
            if case .code(let index, _) = token { return index }
        }
        return nil
    }

    private mutating func skipBlockComment() throws(SQLSplitError) {
        let startLine = line
        var depth = 0
        repeat {
            if peek() == "/" && peek(1) == "*" {
                depth += 1
                advance(); advance()
            } else if peek() == "*" && peek(1) == "/" {
                depth -= 1
                advance(); advance()
            } else if index < text.endIndex {
                advance()
            } else {
                throw .unterminatedComment(line: startLine)
            }
        } while depth > 0
    }

    private mutating func skipQuoted(_ quote: Character, startLine: Int) throws(SQLSplitError) {
        advance()
        while index < text.endIndex {
            let char = text[index]
            if char == "\\" && quote != "`" {
                advance()
                if index < text.endIndex { advance() }
                continue
            }
            advance()
            if char == quote {
                // `a``b` is one identifier with an escaped backtick.
                if quote == "`" && peek() == "`" { advance(); continue }
                return
            }
        }
        throw .unterminatedString(quote: quote, line: startLine)
    }
}
