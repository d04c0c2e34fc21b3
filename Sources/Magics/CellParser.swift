/// Parses a cell: leading line magics (`%set`, `%unset`, `%vars`, `%spark_ui`), then an optional cell magic
/// line (`%%name args`), then the body.
///
/// Lines starting with Livy's own magics (`%table`, `%json`, `%matplot`) are code, and so is
/// everything from the first line that is not a magic. Blank lines between magics are skipped.
public enum CellParser {
    public static func parse(_ cell: String) throws(MagicError) -> ParsedCell {
        let lines = cell.split(separator: "\n", omittingEmptySubsequences: false)
        var lineMagics: [LineMagic] = []
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingLeadingSpaces
            if line.allSatisfy(\.isWhitespace) {
                index += 1
                continue
            }
            if line.hasPrefix("%%") {
                let (name, arguments) = nameAndArguments(line.dropFirst(2))
                let magic = try cellMagic(name: name, arguments: arguments)
                let body = lines[(index + 1)...].joined(separator: "\n")
                return ParsedCell(lineMagics: lineMagics, cellMagic: magic, body: body, bodyLine: index + 2)
            }
            guard line.hasPrefix("%") else { break }
            let (name, arguments) = nameAndArguments(line.dropFirst())
            if MagicCatalog.livyLineMagics.contains(name) { break }
            lineMagics.append(try lineMagic(name: name, arguments: arguments))
            index += 1
        }
        let body = index < lines.count ? lines[index...].joined(separator: "\n") : ""
        return ParsedCell(lineMagics: lineMagics, cellMagic: nil, body: body, bodyLine: index + 1)
    }

    static func nameAndArguments(_ text: Substring) -> (String, Substring) {
        let name = text.prefix(while: { !$0.isWhitespace })
        return (String(name), text.dropFirst(name.count).drop(while: \.isWhitespace))
    }

    static func lineMagic(name: String, arguments: Substring) throws(MagicError) -> LineMagic {
        guard let spec = MagicCatalog.lineMagic(name) else { throw .unknownLineMagic(name: name) }
        switch spec.name {
        case "set":
            let words = try ArgumentTokenizer.split(arguments)
            let text = words.joined(separator: " ")
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .invalidAssignment(String(arguments))
            }
            let variable = String(text[..<equals]).trimmingSpaces
            guard isIdentifier(variable) else { throw .invalidVariableName(variable) }
            return .set(name: variable, value: String(text[text.index(after: equals)...]))
        case "unset":
            let words = try ArgumentTokenizer.split(arguments)
            guard words.count == 1 else { throw .invalidAssignment("%unset takes one NAME") }
            guard isIdentifier(words[0]) else { throw .invalidVariableName(words[0]) }
            return .unset(name: words[0])
        case "vars":
            if let extra = try ArgumentTokenizer.split(arguments).first { throw .unexpectedArgument(magic: "vars", argument: extra) }
            return .vars
        case "spark_ui":
            let words = try ArgumentTokenizer.split(arguments)
            guard words.count <= 1 else { throw .unexpectedArgument(magic: "spark_ui", argument: words[1]) }
            guard let height = words.first.map({ Int($0) }) ?? 600, (100...4000).contains(height) else {
                throw .unexpectedArgument(magic: "spark_ui", argument: words[0] + " (the height in pixels, 100-4000)")
            }
            return .sparkUI(height: height)
        default:
            preconditionFailure("MagicCatalog declares %\(spec.name) but the parser does not handle it")
        }
    }

    static func cellMagic(name: String, arguments: Substring) throws(MagicError) -> CellMagic {
        var words = try ArgumentTokenizer.split(arguments)[...]
        func noMoreArguments() throws(MagicError) {
            if let extra = words.first { throw .unexpectedArgument(magic: "%" + name, argument: extra) }
        }
        guard let spec = MagicCatalog.cellMagic(name) else { throw .unknownCellMagic(name: name) }
        switch spec.name {
        case "sql":
            return .sql(try sqlOptions(&words))
        case "pyspark":
            try noMoreArguments()
            return .pyspark
        case "scala":
            try noMoreArguments()
            return .scala
        case "configure":
            var force = false
            while let word = words.popFirst() {
                guard word == "-f" || word == "--force" else { throw .unknownOption(magic: name, option: word) }
                force = true
            }
            return .configure(force: force)
        case "info":
            try noMoreArguments()
            return .info
        case "logs":
            try noMoreArguments()
            return .logs
        case "cleanup":
            // sparkmagic needs -f here; accepted so the same cells keep working.
            words.removeAll { $0 == "-f" || $0 == "--force" }
            try noMoreArguments()
            return .cleanup
        case "help":
            try noMoreArguments()
            return .help
        case "sessions":
            try noMoreArguments()
            return .sessions
        case "attach":
            return .attach(sessionID: try sessionID(&words, magic: name, flagsAllowed: false))
        case "delete":
            return .delete(sessionID: try sessionID(&words, magic: name, flagsAllowed: true))
        default:
            preconditionFailure("MagicCatalog declares %%\(spec.name) but the parser does not handle it")
        }
    }

    /// `-s ID` (sparkmagic's `-f` confirmation flag is accepted where `flagsAllowed`). Any id the
    /// server may have given: Livy's are numbers, Lighter's UUIDs; an option is not one.
    static func sessionID(_ words: inout ArraySlice<String>, magic name: String, flagsAllowed: Bool) throws(MagicError) -> String {
        var id: String?
        while let word = words.popFirst() {
            if flagsAllowed && (word == "-f" || word == "--force") { continue }
            guard word == "-s" || word == "--session" else { throw .unknownOption(magic: name, option: word) }
            guard let value = words.popFirst() else { throw .missingValue(magic: name, option: word) }
            guard !value.hasPrefix("-"), !value.contains("/") else {
                throw .invalidValue(magic: name, option: word, value: value, expected: "a session id (as %%sessions lists it)")
            }
            id = value
        }
        guard let id else { throw .missingValue(magic: name, option: "-s") }
        return id
    }

    static func sqlOptions(_ words: inout ArraySlice<String>) throws(MagicError) -> SQLOptions {
        var options = SQLOptions()
        var chartKind: SQLOptions.Chart.Kind?
        var x: String?, y: String?
        func value(_ option: String) throws(MagicError) -> String {
            guard let value = words.popFirst() else { throw .missingValue(magic: "sql", option: option) }
            return value
        }
        while let word = words.popFirst() {
            switch word {
            case "-n", "--maxrows":
                let text = try value(word)
                guard let rows = Int(text), rows > 0 else {
                    throw .invalidValue(magic: "sql", option: word, value: text, expected: "a positive number of rows")
                }
                options.maxRows = rows
            case "-q", "--quiet":
                options.quiet = true
            case "-o", "--output":
                let name = try value(word)
                guard isIdentifier(name) else { throw .invalidVariableName(name) }
                options.output = name
            case "--chart":
                let text = try value(word)
                guard let kind = SQLOptions.Chart.Kind(rawValue: text) else {
                    throw .invalidValue(magic: "sql", option: word, value: text,
                                        expected: SQLOptions.Chart.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                chartKind = kind
            case "--x": x = try value(word)
            case "--y": y = try value(word)
            default:
                throw .unknownOption(magic: "sql", option: word)
            }
        }
        if let chartKind {
            guard let x else { throw .missingValue(magic: "sql", option: "--x") }
            guard let y else { throw .missingValue(magic: "sql", option: "--y") }
            options.chart = SQLOptions.Chart(kind: chartKind, x: x, y: y)
        } else if x != nil || y != nil {
            throw .missingValue(magic: "sql", option: "--chart")
        }
        return options
    }

    public static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}

extension Substring {
    var trimmingLeadingSpaces: Substring { drop(while: { $0 == " " || $0 == "\t" }) }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
