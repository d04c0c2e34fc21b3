import Foundation
import JupyterProtocol
import KernelCore
import LivyBackend

/// The backend of a kernel that cannot reach Livy as configured: every cell fails with the reason
/// and what to do about it (no Livy URL, or a configuration error naming the file and key).
struct UnavailableBackend: ExecutionBackend {
    let kind: KernelKind
    let reason: any JupyterReportableError & Sendable

    var languageInfo: LanguageInfo { kind.languageInfo }

    func isComplete(_ code: String) async -> IsCompleteReply { kind.isComplete(code) }

    func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        throw reason
    }
}

/// No Livy URL in the environment or the config file.
struct LivyNotConfigured: JupyterReportableError {
    /// Where the config file was looked for.
    var configPath: String?

    var ename: String { "LivyNotConfigured" }
    var evalue: String { "no Livy server is configured for this kernel" }

    var details: [String] {
        [
            "LivyKernel runs every cell in an Apache Livy session, so it needs the URL of a Livy server.",
            "Set it in the environment the kernel starts in, then restart the kernel, e.g.:",
            "    export LIVY_URL=http://livy.example.com:8998",
            "or pin it in the kernelspec: livy-kernel install --env LIVY_URL=http://livy.example.com:8998",
        ] + (configPath.map { ["or set \"livy\": {\"url\": ...} in the config file \($0)"] } ?? [])
    }
}
