import KernelCore
import LivyClient

/// Runs one Livy statement in the notebook's session and gives it back finished. What SQL cells
/// and `-o` need of the backend, so they can be tested against any implementation.
protocol StatementExecutor: Sendable {
    /// Runs `code` as a statement of `kind` (`pyspark`, `spark`, `sql`), showing start-up and
    /// progress in `output`, and returns it in a final state. When the session turns out to be
    /// gone and `mayReplaceLostSession`, the user is told and the statement runs in a new session.
    /// Throws `CancellationError` after cancelling it on Livy when the caller is cancelled.
    func run(_ code: String, kind: String, output: OutputPublisher, mayReplaceLostSession: Bool) async throws -> LivyStatement
}
