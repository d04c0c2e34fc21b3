import Foundation
import JSONValues
import JupyterProtocol
import Logging
import Synchronization
import TestSupport
@testable import KernelCore

/// A backend whose behaviour each test scripts.
final class ScriptedBackend: ExecutionBackend {
    struct Failure: JupyterReportableError {
        var ename: String { "SparkError" }
        var evalue: String { "boom" }
        var details: [String] { ["at line 1"] }
    }

    static let python = LanguageInfo(name: "python", version: "3", mimetype: "text/x-python", fileExtension: ".py",
                                     pygmentsLexer: "python3", codemirrorMode: "python")
    static let sql = LanguageInfo(name: "sql", version: "", mimetype: "text/x-sql", fileExtension: ".sql",
                                  pygmentsLexer: "sql", codemirrorMode: "sql")

    let languageInfo: LanguageInfo
    let shutdowns = Mutex<[Bool]>([])

    init(languageInfo: LanguageInfo) {
        self.languageInfo = languageInfo
    }

    /// Complete unless a quote is left open: enough to see the kernel asks the backend.
    func isComplete(_ code: String) async -> IsCompleteReply {
        code.filter { $0 == "'" }.count % 2 == 0 ? IsCompleteReply(status: .complete) : IsCompleteReply(status: .invalid)
    }

    let ran = Mutex<[String]>([])

    func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        ran.withLock { $0.append(cell.code) }
        switch cell.code {
        case "fail": throw Failure()
        case "hang": try await Task.sleep(for: .seconds(60))
        default:
            output.stream(.stdout, "ran \(cell.code)\n")
            output.result(.plainText("\(cell.executionCount)"))
        }
    }

    func shutdown(restart: Bool) async {
        shutdowns.withLock { $0.append(restart) }
    }
}

/// A kernel wired to a recording sink, with helpers to send it requests.
struct KernelHarness {
    let sink = RecordingSink()
    let backend: ScriptedBackend
    let kernel: Kernel

    init(language: LanguageInfo = ScriptedBackend.python) {
        backend = ScriptedBackend(languageInfo: language)
        kernel = Kernel(identity: .init(implementation: "livykernel", version: "0.0.0", banner: "test", helpLinks: []),
                        backend: backend, encoder: MessageEncoder(session: "kernel"), sink: sink,
                        logger: Logger(label: "test"))
    }

    /// Sends a request; returns its msg_id.
    @discardableResult
    func send(_ msgType: String, _ content: String = "{}", on channel: OutgoingChannel = .shell) throws -> String {
        let id = UUID().uuidString
        let header = #"{"msg_id": "\#(id)", "msg_type": "\#(msgType)", "session": "client", "username": "u", "date": "", "version": "5.3"}"#
        let message = try ReceivedMessage(header: Data(header.utf8), metadata: Data("{}".utf8), content: Data(content.utf8))
        kernel.receive(IncomingRequest(channel: channel, identities: [Data("client".utf8)], message: message))
        return id
    }

    func execute(_ code: String, silent: Bool = false, stopOnError: Bool = true) throws -> String {
        try send("execute_request", #"{"code": "\#(code)", "silent": \#(silent), "stop_on_error": \#(stopOnError)}"#)
    }

    func start() -> Task<Void, Never> {
        let kernel = self.kernel
        return Task { await kernel.run() }
    }
}
