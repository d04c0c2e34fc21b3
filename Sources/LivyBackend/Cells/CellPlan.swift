import LivyClient
import Magics

/// What a cell will do, decided before anything runs. `CellPlanner` builds it from the cell's text
/// (pure code, unit-tested in milliseconds); `LivyBackend` carries it out step by step.
struct CellPlan: Sendable, Equatable {
    /// The notebook's `{{ }}` variables once the cell's line magics and parameters are applied.
    var variables: [String: String]
    var steps: [CellStep]
}

/// One thing a cell does, in order.
enum CellStep: Sendable, Equatable {
    /// `%vars`: the variables as they are at this point of the cell.
    case showVariables([String: String])
    /// `%spark_ui`: the session's Spark UI in the cell (the session starts if there is none).
    case showSparkUI(height: Int)
    /// A line for the cell's stderr (e.g. `%unset` of a name that was not set).
    case warn(String)
    /// Code for Livy as one statement of a kind (`pyspark`, `spark`), templates rendered.
    case code(String, kind: String)
    /// SQL statements, templates rendered and split, run in order.
    case sql([SQLStatement], SQLOptions)
    /// `%%configure`: settings to merge over the configured ones; `force` restarts a live session.
    case configure(SessionSettings, force: Bool)
    case info
    case logs
    case cleanup
    case delete(sessionID: LivyID)
    case listSessions
    case attach(sessionID: LivyID)
    case help
}
