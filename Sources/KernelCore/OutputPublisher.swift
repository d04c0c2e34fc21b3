import JSONValues
import JupyterProtocol

/// How a backend shows output for the cell it is running. Every message gets the cell's request as
/// parent; for a silent execution nothing is published at all, as the protocol requires.
public struct OutputPublisher: Sendable {
    private let context: ReplyContext?
    private let executionCount: Int

    init(context: ReplyContext, executionCount: Int, silent: Bool) {
        self.context = silent ? nil : context
        self.executionCount = executionCount
    }

    /// A publisher that drops everything (tests, silent runs).
    public static let discarding = OutputPublisher()

    private init() {
        context = nil
        executionCount = 0
    }

    public func stream(_ name: StreamContent.Name, _ text: String) {
        guard !text.isEmpty else { return }
        context?.publish("stream", StreamContent(name: name, text: text))
    }

    public func display(_ bundle: MimeBundle, displayID: String? = nil) {
        context?.publish("display_data", DisplayData(bundle, displayID: displayID))
    }

    /// Replaces an earlier `display(_:displayID:)` output in place (progress, live state).
    public func updateDisplay(_ bundle: MimeBundle, displayID: String) {
        context?.publish("update_display_data", DisplayData(bundle, displayID: displayID))
    }

    /// The cell's value ("Out[n]"); send at most one per cell.
    public func result(_ bundle: MimeBundle) {
        context?.publish("execute_result", ExecuteResult(executionCount: executionCount, bundle: bundle))
    }

    public func clearOutput(wait: Bool) {
        context?.publish("clear_output", ClearOutput(wait: wait))
    }
}
