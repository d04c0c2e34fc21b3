import JupyterProtocol
import Magics

/// Completion the kernel answers itself: magic names after `%`/`%%` at the start of a line, and
/// variable names inside `{{ `. Offsets are Unicode code points.
enum LocalCompletion {
    static func complete(scalars: [Unicode.Scalar], cursor: Int, variables: [String]) -> CompleteReply? {
        let start = wordStart(scalars: scalars, cursor: cursor)
        let word = String(String.UnicodeScalarView(scalars[start..<cursor]))
        // `{{ na|`: variable names.
        var before = start
        while before > 0 && scalars[before - 1] == " " { before -= 1 }
        if before >= 2 && scalars[before - 1] == "{" && scalars[before - 2] == "{" {
            return CompleteReply(matches: variables.filter { $0.hasPrefix(word) }.sorted(), cursorStart: start, cursorEnd: cursor)
        }
        // `%%na|` or `%na|` at the start of a line.
        var percents = 0
        var index = start
        while index > 0 && scalars[index - 1] == "%" { percents += 1; index -= 1 }
        guard percents == 1 || percents == 2, index == 0 || scalars[index - 1] == "\n" else { return nil }
        let names = (percents == 2 ? MagicCatalog.cellMagics : MagicCatalog.lineMagics).map(\.name)
        let prefix = String(repeating: "%", count: percents)
        return CompleteReply(matches: names.filter { $0.hasPrefix(word) }.map { prefix + $0 },
                             cursorStart: index, cursorEnd: cursor)
    }

    /// Where the identifier that ends at `cursor` starts.
    static func wordStart(scalars: [Unicode.Scalar], cursor: Int) -> Int {
        var start = cursor
        while start > 0, scalars[start - 1] == "_" || scalars[start - 1].properties.isAlphabetic
            || ("0"..."9").contains(scalars[start - 1]) { start -= 1 }
        return start
    }
}
