import KernelCore
import Magics

/// The cell's magics, template or SQL could not be understood; nothing was sent to Spark.
struct CellNotUnderstood: JupyterReportableError {
    let ename: String
    let evalue: String
    var details: [String] = []

    init(_ error: MagicError) {
        ename = "MagicError"
        evalue = error.description
        details = ["%%help lists the magics with examples."]
    }

    init(_ error: TemplateError) {
        ename = "TemplateError"
        evalue = error.description
    }

    init(_ error: SQLSplitError) {
        ename = "SQLSyntaxError"
        evalue = error.description
        details = ["Nothing in this cell was run."]
    }

    init(ename: String, evalue: String, details: [String] = []) {
        self.ename = ename
        self.evalue = evalue
        self.details = details
    }
}

/// Statement k of n of a SQL cell failed; the earlier ones ran and their results stay shown.
struct SQLStatementFailed: JupyterReportableError {
    let index: Int
    let count: Int
    let statement: SQLStatement
    let sparkName: String
    let sparkMessage: String
    let sparkDetails: [String]

    var ename: String { sparkName }
    var evalue: String {
        count > 1 ? "statement \(index) of \(count) (line \(statement.line)) failed: \(sparkMessage)" : sparkMessage
    }
    var details: [String] {
        var lines = ["Statement \(index) of \(count), line \(statement.line): \(statement.firstLine)"]
        if index > 1 { lines.append("Statements 1–\(index - 1) ran; the rest of the cell was not run.") }
        return lines + sparkDetails
    }
}
