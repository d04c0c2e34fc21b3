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
        case let code where code.hasPrefix("sleep "):
            try await Task.sleep(for: .microseconds(Int(code.dropFirst(6)) ?? 0))
        default:
            output.stream(.stdout, "ran \(cell.code)\n")
            output.result(.plainText("\(cell.executionCount)"))
        }
    }

    func shutdown(restart: Bool) async {
        shutdowns.withLock { $0.append(restart) }
    }
}

/// The kernel core on a scripted backend.
typealias KernelHarness = KernelDriver<ScriptedBackend>

extension KernelDriver where Backend == ScriptedBackend {
    init(language: LanguageInfo = ScriptedBackend.python) {
        self.init(backend: ScriptedBackend(languageInfo: language))
    }
}
