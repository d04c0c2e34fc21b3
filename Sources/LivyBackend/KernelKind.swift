public import JupyterProtocol
import Magics

/// The three kernels LivyKernel installs. The kind decides the Livy statement kind of plain cells
/// and what frontends are told about the language.
public enum KernelKind: String, Sendable, CaseIterable {
    case pyspark, scala, sql

    public var displayName: String {
        switch self {
        case .pyspark: "PySpark (Livy)"
        case .scala: "Spark Scala (Livy)"
        case .sql: "Spark SQL (Livy)"
        }
    }

    /// The kernelspec name `livy-kernel install` uses by default.
    public var kernelspecName: String { "livy-\(rawValue)" }

    /// `language` in kernel.json (papermill falls back to it to pick a parameter translator).
    public var language: String { languageInfo.name }

    public var languageInfo: LanguageInfo {
        switch self {
        case .pyspark:
            LanguageInfo(name: "python", version: "3", mimetype: "text/x-python", fileExtension: ".py",
                         pygmentsLexer: "python3", codemirrorMode: "python", nbconvertExporter: "python")
        case .scala:
            LanguageInfo(name: "scala", version: "2.13", mimetype: "text/x-scala", fileExtension: ".scala",
                         pygmentsLexer: "scala", codemirrorMode: "text/x-scala")
        case .sql:
            LanguageInfo(name: "sql", version: "", mimetype: "text/x-sql", fileExtension: ".sql",
                         pygmentsLexer: "sql", codemirrorMode: "sql")
        }
    }

    /// The Livy statement kind of this kernel's plain cells.
    var livyKind: String {
        switch self {
        case .pyspark: "pyspark"
        case .scala: "spark"
        case .sql: "sql"
        }
    }

    /// `is_complete_reply` for a cell of this kernel (a `%%` magic switches the language).
    public func isComplete(_ code: String) -> IsCompleteReply {
        switch CodeCompleteness.check(code, dialect: dialect) {
        case .complete: IsCompleteReply(status: .complete)
        case .incomplete(let indent): IsCompleteReply(status: .incomplete, indent: indent)
        case .invalid: IsCompleteReply(status: .invalid)
        }
    }

    var dialect: CodeCompleteness.Dialect {
        switch self {
        case .pyspark: .python
        case .scala: .scala
        case .sql: .sql
        }
    }
}
