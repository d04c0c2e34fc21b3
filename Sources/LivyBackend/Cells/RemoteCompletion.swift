import JupyterProtocol

/// Completion Livy's interpreters answer (`POST /sessions/{id}/completion`): which interpreter
/// completes the code at the cursor and what to send it, and how to turn its candidates into a
/// reply. Pure: the request itself is the backend's.
enum RemoteCompletion {
    /// A completion request for Livy.
    struct Request: Equatable {
        /// Livy's statement kind of the interpreter that completes (`pyspark`, `spark`).
        var livyKind: String
        /// The code in that interpreter's language: the cell without its `%%scala`/`%%pyspark` line.
        var code: String
        /// The cursor in `code`, in the interpreter's own string units (UTF-16 for the JVM,
        /// code points for Python).
        var cursor: Int
    }

    /// The request for a cursor (in code points) in a cell of `kernel`; nil where no interpreter
    /// completes (SQL, other cell magics, the magic line itself).
    static func request(scalars: [Unicode.Scalar], cursor: Int, kernel: KernelKind) -> Request? {
        var livyKind: String? = switch kernel {
        case .pyspark, .scala: kernel.livyKind
        case .sql: nil
        }
        var bodyStart = 0
        if scalars.starts(with: "%%".unicodeScalars) {
            let lineEnd = scalars.firstIndex(of: "\n") ?? scalars.count
            guard cursor > lineEnd else { return nil }
            let name = String(String.UnicodeScalarView(scalars[2..<lineEnd].prefix { !$0.properties.isWhitespace }))
            livyKind = switch name {
            case "scala": KernelKind.scala.livyKind
            case "pyspark": KernelKind.pyspark.livyKind
            default: nil
            }
            bodyStart = lineEnd + 1
        }
        guard let livyKind else { return nil }
        let code = String(String.UnicodeScalarView(scalars[bodyStart...]))
        let before = String(String.UnicodeScalarView(scalars[bodyStart..<cursor]))
        let cursorUnits = livyKind == KernelKind.scala.livyKind ? before.utf16.count : before.unicodeScalars.count
        return Request(livyKind: livyKind, code: code, cursor: cursorUnits)
    }

    /// The reply for Livy's candidates. The JVM completer names the member (`range` for
    /// `spark.ran`), Python's completer the dotted expression (`spark.range(`): the replaced text
    /// starts where the candidates say it does.
    static func reply(candidates: [String], scalars: [Unicode.Scalar], cursor: Int) -> CompleteReply {
        let wordStart = LocalCompletion.wordStart(scalars: scalars, cursor: cursor)
        var dottedStart = wordStart
        while dottedStart > 0, scalars[dottedStart - 1] == "." {
            dottedStart = LocalCompletion.wordStart(scalars: scalars, cursor: dottedStart - 1)
        }
        let dotted = String(String.UnicodeScalarView(scalars[dottedStart..<cursor]))
        let start = dottedStart < wordStart && !candidates.isEmpty && candidates.allSatisfy { $0.hasPrefix(dotted) }
            ? dottedStart : wordStart
        var seen = Set<String>()
        let matches = candidates.filter { seen.insert($0).inserted }
        return CompleteReply(matches: matches, cursorStart: start, cursorEnd: cursor)
    }
}
