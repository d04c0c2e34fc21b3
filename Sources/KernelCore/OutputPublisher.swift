import JSONValues
public import JupyterProtocol

/// How a backend shows output for the cell it is running. Every message gets the cell's request as
/// parent; for a silent execution nothing is published at all, as the protocol requires.
public struct OutputPublisher: Sendable {
    /// Publishes one iopub message (type and content) for the cell.
    public typealias Emit = @Sendable (_ msgType: String, _ content: any Encodable & Sendable) -> Void

    private let emit: Emit?
    private let executionCount: Int

    init(context: ReplyContext, executionCount: Int, silent: Bool) {
        if silent {
            self.emit = nil
        } else {
            self.emit = { (type: String, content: any Encodable & Sendable) in
                let encodable: any Encodable = content
                context.publish(type, encodable)
            }
        }
        self.executionCount = executionCount
    }

    /// A publisher that hands every message to `emit` (other front ends, tests).
    public init(executionCount: Int, emit: @escaping Emit) {
        self.emit = emit
        self.executionCount = executionCount
    }

    /// A publisher that drops everything.
    public static let discarding = OutputPublisher(executionCount: 0, emit: { _, _ in })

    public func stream(_ name: StreamContent.Name, _ text: String) {
        guard !text.isEmpty else { return }
        emit?("stream", StreamContent(name: name, text: text))
    }

    public func display(_ bundle: MimeBundle, displayID: String? = nil) {
        emit?("display_data", DisplayData(bundle, displayID: displayID))
    }

    /// Replaces an earlier `display(_:displayID:)` output in place (progress, live state).
    public func updateDisplay(_ bundle: MimeBundle, displayID: String) {
        emit?("update_display_data", DisplayData(bundle, displayID: displayID))
    }

    /// The cell's value ("Out[n]"); send at most one per cell.
    public func result(_ bundle: MimeBundle) {
        emit?("execute_result", ExecuteResult(executionCount: executionCount, bundle: bundle))
    }

    public func clearOutput(wait: Bool) {
        emit?("clear_output", ClearOutput(wait: wait))
    }
}
