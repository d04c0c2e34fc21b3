import Foundation
/// Makes Livy's error output readable in a notebook: one line per traceback entry, the JVM noise
/// cut short (the full text goes to the kernel log), and `ename: evalue` as the last line, which is
/// what JupyterLab shows most prominently.
public struct ErrorCleaner: Sendable {
    /// Traceback lines kept; the rest is summarised in one line.
    public var maxLines = 30
    /// JVM stack frames (`at org.apache…(File.scala:12)`) kept in a row before the rest are folded.
    public var maxJVMFrames = 3

    public init() {}

    public struct Cleaned: Sendable, Equatable {
        public var ename: String
        public var evalue: String
        public var traceback: [String]
    }

    public func clean(ename: String, evalue: String, traceback: [String]) -> Cleaned {
        let valueLines = evalue.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let firstLine = valueLines.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let summary = firstLine.count > 500 ? String(firstLine.prefix(499)) + "…" : firstLine
        var lines = traceback.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        // Python tracebacks end with "[module.]Name: value" and the value's other lines; drop that
        // tail, since the value's lines follow here once and the summary line closes the traceback.
        if let last = lines.lastIndex(where: { Self.isSummaryLine($0, ename: ename) }) {
            lines.removeSubrange(last...)
        }
        lines.append(contentsOf: valueLines.dropFirst())
        lines = foldJVMFrames(lines)
        if lines.count > maxLines {
            let omitted = lines.count - maxLines
            lines = Array(lines.prefix(maxLines / 3)) + ["… \(omitted) more lines (full text in the kernel log) …"]
                + Array(lines.suffix(maxLines - maxLines / 3))
        }
        return Cleaned(ename: ename, evalue: summary, traceback: lines)
    }

    /// `\tat org.apache.spark.Foo.bar(Foo.scala:12)`, or the same without `at` (Livy's SQL errors).
    static func isJVMFrame(_ line: String) -> Bool {
        var text = line.drop(while: { $0 == " " || $0 == "\t" })
        if text.hasPrefix("at ") { text = text.dropFirst(3) }
        guard let open = text.firstIndex(of: "("), text.last == ")" else { return false }
        let method = text[..<open]
        return method.contains(".") && !method.contains(" ")
    }

    /// `AnalysisException: …` or `pyspark.errors.exceptions.captured.AnalysisException: …`.
    private static func isSummaryLine(_ line: String, ename: String) -> Bool {
        guard let colon = line.range(of: ": ") else { return line == ename }
        let name = line[..<colon.lowerBound]
        return name == ename || name.hasSuffix("." + ename)
    }

    private func foldJVMFrames(_ lines: [String]) -> [String] {
        var out: [String] = []
        var run = 0, folded = 0
        func flush() {
            if folded > 0 { out.append("\t… \(folded) more JVM frames") }
            run = 0
            folded = 0
        }
        for line in lines {
            if Self.isJVMFrame(line) {
                run += 1
                if run > maxJVMFrames { folded += 1; continue }
            } else {
                flush()
            }
            out.append(line)
        }
        flush()
        return out
    }
}
