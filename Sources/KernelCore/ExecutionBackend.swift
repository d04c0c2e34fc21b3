public import JupyterProtocol

/// One cell to run, as the backend sees it.
public struct CellExecution: Sendable, Equatable {
    public var code: String
    public var executionCount: Int
    public var silent: Bool
    public var allowStdin: Bool

    public init(code: String, executionCount: Int, silent: Bool = false, allowStdin: Bool = false) {
        self.code = code
        self.executionCount = executionCount
        self.silent = silent
        self.allowStdin = allowStdin
    }
}

/// The language side of the kernel — the Livy backend in production. The kernel core owns the
/// protocol rules (busy/idle, counters, aborts, replies); a backend only runs code and reports.
///
/// Like xeus's interpreter, the backend owns its language: what kernel_info says about it and
/// whether a cell is complete.
public protocol ExecutionBackend: Sendable {
    /// `language_info` of kernel_info_reply.
    var languageInfo: LanguageInfo { get }

    /// Whether `code` is ready to run (consoles ask before executing on Enter).
    func isComplete(_ code: String) async -> IsCompleteReply

    /// The kernel is up and answering; a backend may start slow work now (e.g. a Spark session)
    /// so the first cell waits less. Must return quickly.
    func kernelStarted() async

    /// Runs a cell, publishing its outputs through `output` as they arrive.
    ///
    /// Throw to fail the cell: errors conforming to `JupyterReportableError` decide what the user
    /// sees. An interrupt cancels the calling task; honour it by throwing `CancellationError`
    /// (after cancelling the remote work).
    func execute(_ cell: CellExecution, output: OutputPublisher) async throws

    /// Completion candidates at a cursor (offsets in Unicode code points).
    func complete(code: String, cursorPos: Int) async -> CompleteReply

    /// Documentation or a value summary for the name at the cursor.
    func inspect(code: String, cursorPos: Int, detailLevel: Int) async -> InspectReply

    /// The kernel is shutting down (or restarting): release remote resources.
    func shutdown(restart: Bool) async
}

extension ExecutionBackend {
    public func kernelStarted() async {}

    public func isComplete(_ code: String) async -> IsCompleteReply {
        IsCompleteReply(status: .unknown)
    }

    public func complete(code: String, cursorPos: Int) async -> CompleteReply {
        CompleteReply(matches: [], cursorStart: cursorPos, cursorEnd: cursorPos)
    }

    public func inspect(code: String, cursorPos: Int, detailLevel: Int) async -> InspectReply {
        .notFound
    }

    public func shutdown(restart: Bool) async {}
}
