public import JupyterProtocol

/// An error that knows how it should look in a notebook. Every error a backend throws passes
/// through `ErrorContent(describing:)`, the one place that turns errors into what users see.
public protocol JupyterReportableError: Error {
    /// A stable name users and tools can match on (nbclient's `allow_error_names`).
    var ename: String { get }
    /// One line saying what happened.
    var evalue: String { get }
    /// Extra lines for the user: what to do next, short context. Without the `ename: evalue` line,
    /// which is appended so JupyterLab (which shows only the traceback) shows it too.
    var details: [String] { get }
}

extension JupyterReportableError {
    public var details: [String] { [] }
}

/// The user pressed interrupt (or Ctrl-C reached the kernel) while the cell ran. Named like
/// Python's, which is what notebook users and tools (nbclient, papermill) recognise.
public struct ExecutionInterrupted: JupyterReportableError {
    public init() {}
    public var ename: String { "KeyboardInterrupt" }
    public var evalue: String { "the cell was interrupted before it finished" }
}

/// A queued cell was not run because an earlier one failed (stop_on_error).
public struct ExecutionAborted: JupyterReportableError {
    public init() {}
    public var ename: String { "ExecutionAborted" }
    public var evalue: String { "not run because an earlier cell failed" }
}

extension ErrorContent {
    public init(describing error: any Error) {
        switch error {
        case let reportable as any JupyterReportableError:
            self.init(ename: reportable.ename, evalue: reportable.evalue,
                      traceback: reportable.details + ["\(reportable.ename): \(reportable.evalue)"])
        case is CancellationError:
            self.init(describing: ExecutionInterrupted())
        default:
            let name = String(describing: type(of: error))
            let value = String(describing: error)
            self.init(ename: name, evalue: value, traceback: ["\(name): \(value)"])
        }
    }
}
