/// One magic as users meet it: its name and aliases, its arguments, what it does, an example, and
/// what the lines under it hold.
public struct MagicSpec: Sendable {
    public enum Scope: Sendable { case line, cell }

    /// What the body of a cell magic holds (is_complete judges it by this).
    public enum Body: Sendable, Equatable {
        /// No body: the magic line is the whole cell.
        case absent
        case code(CodeCompleteness.Dialect)
        /// A JSON object (`%%configure`).
        case json
    }

    public let scope: Scope
    public let name: String
    /// Other names that mean the same magic (sparkmagic's and Livy's spellings).
    public let aliases: [String]
    public let arguments: String
    public let summary: String
    public let example: String
    public let body: Body

    /// `%%sql [-n ROWS] …` or `%set NAME=VALUE`.
    public var usage: String {
        (scope == .cell ? "%%" : "%") + name + (arguments.isEmpty ? "" : " " + arguments)
    }

    func answers(to word: String) -> Bool { word == name || aliases.contains(word) }
}

/// Every magic the kernel handles, declared once. The cell parser resolves names and aliases here,
/// `is_complete` reads what a magic's body holds, completion offers the names, and `%%help`
/// prints the usage, summary and example of each.
public enum MagicCatalog {
    public static let all: [MagicSpec] = [
        MagicSpec(scope: .cell, name: "sql", aliases: [],
                  arguments: "[-n ROWS] [-q] [-o NAME] [--chart bar|line|point|area --x COL --y COL]",
                  summary: "Spark SQL; several statements separated by ;, each result shown",
                  example: "%%sql -n 20\nUSE sales; SELECT * FROM orders", body: .code(.sql)),
        MagicSpec(scope: .cell, name: "pyspark", aliases: ["python"], arguments: "",
                  summary: "run this cell as PySpark in the same Spark session",
                  example: "%%pyspark\nspark.range(5).show()", body: .code(.python)),
        MagicSpec(scope: .cell, name: "scala", aliases: ["spark"], arguments: "",
                  summary: "run this cell as Scala in the same Spark session",
                  example: "%%scala\nspark.range(5).count()", body: .code(.scala)),
        MagicSpec(scope: .cell, name: "configure", aliases: [], arguments: "[-f]",
                  summary: "session settings as JSON, merged over the configured ones; -f restarts a running session",
                  example: "%%configure -f\n{\"driverMemory\": \"2g\"}", body: .json),
        MagicSpec(scope: .cell, name: "info", aliases: [], arguments: "",
                  summary: "Livy URL, session, state, Spark UI link, and the session request as sent",
                  example: "%%info", body: .absent),
        MagicSpec(scope: .cell, name: "logs", aliases: [], arguments: "",
                  summary: "the session's driver log", example: "%%logs", body: .absent),
        MagicSpec(scope: .cell, name: "cleanup", aliases: [], arguments: "",
                  summary: "delete your LivyKernel sessions whose kernels are gone (and this kernel's old ones)",
                  example: "%%cleanup", body: .absent),
        MagicSpec(scope: .cell, name: "delete", aliases: [], arguments: "-s ID",
                  summary: "delete Livy session ID", example: "%%delete -s 12", body: .absent),
        MagicSpec(scope: .cell, name: "sessions", aliases: [], arguments: "",
                  summary: "your LivyKernel sessions on this Livy: id, state, which kernel started them",
                  example: "%%sessions", body: .absent),
        MagicSpec(scope: .cell, name: "attach", aliases: [], arguments: "-s ID",
                  summary: "make one of your sessions this notebook's (its variables and views come with it)",
                  example: "%%attach -s 12", body: .absent),
        MagicSpec(scope: .cell, name: "help", aliases: [], arguments: "",
                  summary: "this table", example: "%%help", body: .absent),
        MagicSpec(scope: .line, name: "set", aliases: [], arguments: "NAME=VALUE",
                  summary: "set the {{ NAME }} variable (also LIVY_VAR_NAME, papermill parameters)",
                  example: "%set day=2024-01-31\n%%sql\nSELECT * FROM t WHERE d = {{ day.sql }}", body: .absent),
        MagicSpec(scope: .line, name: "unset", aliases: [], arguments: "NAME",
                  summary: "remove a variable", example: "%unset day", body: .absent),
        MagicSpec(scope: .line, name: "vars", aliases: [], arguments: "",
                  summary: "list the variables", example: "%vars", body: .absent),
        MagicSpec(scope: .line, name: "spark_ui", aliases: ["sparkui"], arguments: "[HEIGHT]",
                  summary: "the session's Spark UI inside the notebook (HEIGHT in pixels, 600 by default), "
                      + "with a link to open it in a new tab",
                  example: "%spark_ui 800", body: .absent),
    ]

    public static var cellMagics: [MagicSpec] { all.filter { $0.scope == .cell } }
    public static var lineMagics: [MagicSpec] { all.filter { $0.scope == .line } }

    /// Livy's own line magics: lines starting with them are code and go to Livy.
    public static let livyLineMagics = ["table", "json", "matplot"]

    /// The cell magic called `word` (by name or alias).
    public static func cellMagic(_ word: some StringProtocol) -> MagicSpec? {
        cellMagics.first { $0.answers(to: String(word)) }
    }

    public static func lineMagic(_ word: some StringProtocol) -> MagicSpec? {
        lineMagics.first { $0.answers(to: String(word)) }
    }
}
