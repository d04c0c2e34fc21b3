/// A cell magic: the first line `%%name args` decides how the rest of the cell is run. Names,
/// aliases and help are declared in `MagicCatalog`; this is the parsed form with its arguments.
public enum CellMagic: Equatable, Sendable {
    /// One or more Spark SQL statements.
    case sql(SQLOptions)
    case pyspark
    case scala
    /// Session settings as JSON in the body; `force` recreates a live session with them.
    case configure(force: Bool)
    case info
    case logs
    /// Deletes this kernel's old sessions and the user's sessions whose kernels are gone.
    case cleanup
    /// `sessionID` as typed: a number for Apache Livy, a string (a UUID) for servers like Lighter.
    case delete(sessionID: String)
    /// Lists this user's sessions.
    case sessions
    /// Makes an existing session this notebook's.
    case attach(sessionID: String)
    case help

    /// The Livy statement kind a code magic runs as.
    public var statementKind: String? {
        switch self {
        case .sql: "sql"
        case .pyspark: "pyspark"
        case .scala: "spark"
        default: nil
        }
    }
}

/// Options of `%%sql`.
public struct SQLOptions: Equatable, Sendable {
    /// Rows shown per result (nil: the configured default).
    public var maxRows: Int?
    /// Run the statements, show nothing.
    public var quiet = false
    /// Bind the last result as DataFrame and temp view of this name.
    public var output: String?
    public var chart: Chart?

    public init(maxRows: Int? = nil, quiet: Bool = false, output: String? = nil, chart: Chart? = nil) {
        self.maxRows = maxRows
        self.quiet = quiet
        self.output = output
        self.chart = chart
    }

    public struct Chart: Equatable, Sendable {
        public enum Kind: String, Sendable, CaseIterable { case bar, line, point, area }
        public var kind: Kind
        public var x: String
        public var y: String

        public init(kind: Kind, x: String, y: String) {
            self.kind = kind
            self.x = x
            self.y = y
        }
    }
}

/// A line magic at the top of a cell, handled by the kernel itself.
public enum LineMagic: Equatable, Sendable {
    case set(name: String, value: String)
    case unset(name: String)
    case vars
    /// The session's Spark UI in the cell, `height` pixels tall.
    case sparkUI(height: Int)
}
