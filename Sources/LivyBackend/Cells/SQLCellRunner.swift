import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import LivyClient
import Magics

/// Runs a SQL cell: its statements in order as Livy `sql` statements in the notebook's session.
/// The first failure stops the cell and names the statement; results shown so far stay.
struct SQLCellRunner {
    let executor: any StatementExecutor
    let renderer: OutputRenderer
    let output: OutputPublisher

    func run(_ statements: [SQLStatement], options: SQLOptions) async throws {
        var last: (statement: SQLStatement, columns: [TableRenderer.Column], rows: [[JSONValue]])?
        for (offset, statement) in statements.enumerated() {
            let finished = try await executor.run(statement.text, kind: "sql", output: output,
                                                   mayReplaceLostSession: offset == 0)
            switch finished.output {
            case let .error(_, ename, evalue, traceback)?:
                let cleaned = ErrorCleaner().clean(ename: ename, evalue: evalue, traceback: traceback)
                throw SQLStatementFailed(index: offset + 1, count: statements.count, statement: statement,
                                         sparkName: Self.exceptionName(ename: cleaned.ename, evalue: evalue, traceback: traceback),
                                         sparkMessage: cleaned.evalue, sparkDetails: cleaned.traceback)
            case .ok(_, let data)?:
                guard case .object(let result)? = data["application/json"],
                      let (columns, rows) = OutputRenderer.sqlResult(result) else {
                    if !options.quiet { show(data) }
                    continue
                }
                if columns.isEmpty {
                    // USE, CREATE, INSERT …: one line, so a long cell reads as a checklist.
                    if !options.quiet { output.stream(.stdout, "✓ line \(statement.line): \(statement.firstLine)\n") }
                    continue
                }
                last = (statement, columns, rows)
                if !options.quiet {
                    let title = statements.count > 1
                        ? "Statement \(offset + 1) of \(statements.count) · line \(statement.line): \(statement.firstLine)" : nil
                    output.display(renderer.table(columns: columns, rows: rows, maxRows: options.maxRows, title: title))
                }
            case nil:
                throw StatementCancelled(statementID: finished.id)
            }
        }
        if let chart = options.chart, let last, !options.quiet {
            output.display(try ChartRenderer.bundle(chart, columns: last.columns, rows: last.rows,
                                                    maxPoints: options.maxRows ?? renderer.maxRows))
        }
        if let name = options.output {
            guard let last else {
                throw CellNotUnderstood(ename: "SQLOutputError", evalue: "-o \(name): no statement of this cell returned rows")
            }
            try await bind(name, to: last.statement)
        }
    }

    /// `-o NAME`: the last result as DataFrame NAME (PySpark) and temp view NAME. The query is
    /// passed as a JSON string literal (valid Python), never pasted into code unescaped.
    private func bind(_ name: String, to statement: SQLStatement) async throws {
        let literal = String(decoding: try JSONEncoder().encode(statement.text), as: UTF8.self)
        let code = "\(name) = spark.sql(\(literal))\n\(name).createOrReplaceTempView(\"\(name)\")"
        let finished = try await executor.run(code, kind: "pyspark", output: output, mayReplaceLostSession: false)
        if case let .error(_, ename, evalue, _)? = finished.output {
            throw CellNotUnderstood(ename: "SQLOutputError", evalue: "-o \(name): \(ename): \(evalue)")
        }
        output.stream(.stdout, "→ DataFrame and temporary view \(name)\n")
    }

    private func show(_ data: [String: JSONValue]) {
        for item in renderer.render(data) {
            switch item {
            case .stdout(let text): output.stream(.stdout, text)
            case .display(let bundle): output.display(bundle)
            }
        }
    }

    /// Livy names every SQL failure `Error`. The exception's class is at the start of the message
    /// (`org.apache…ParseException: …`) or in the first stack frames; analysis failures (unknown
    /// tables or columns) are raised from the analyzer's helpers, which name no exception class.
    static func exceptionName(ename: String, evalue: String, traceback: [String]) -> String {
        guard ename == "Error" else { return ename }
        func exceptionClass(_ text: Substring) -> String? {
            let qualified = text.prefix(while: { !$0.isWhitespace && $0 != ":" && $0 != "(" })
            for part in qualified.split(separator: ".").reversed() {
                let name = part.split(separator: "$").first.map(String.init) ?? String(part)
                if name.hasSuffix("Exception") { return name }
            }
            return nil
        }
        if let name = exceptionClass(evalue[...]) { return name }
        for frame in traceback.prefix(8) {
            let trimmed = frame.drop(while: { $0.isWhitespace }).dropFirst(frame.hasPrefix("at ") ? 3 : 0)
            if let name = exceptionClass(trimmed) { return name }
            if trimmed.contains("QueryCompilationErrors") || trimmed.contains("CheckAnalysis") { return "AnalysisException" }
        }
        return "SparkSQLError"
    }
}
