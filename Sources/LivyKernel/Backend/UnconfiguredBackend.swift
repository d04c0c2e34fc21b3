import Foundation
import KernelCore

/// The backend of a kernel that has no Livy server to talk to. Every cell fails with an error
/// that says what is missing and how to set it — what a user without configuration must see.
struct UnconfiguredBackend: ExecutionBackend {
    let reason: LivyNotConfigured

    func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        throw reason
    }
}

/// Why cells cannot run: no Livy URL, or one this build cannot use yet.
struct LivyNotConfigured: JupyterReportableError {
    /// The value of LIVY_URL, when one was given.
    var configuredURL: String?

    var ename: String { "LivyNotConfigured" }

    var evalue: String {
        if let configuredURL {
            "LIVY_URL is set to \(configuredURL), but this build of LivyKernel has no Livy client yet"
        } else {
            "no Livy server is configured for this kernel"
        }
    }

    var details: [String] {
        [
            "LivyKernel runs every cell in an Apache Livy session, so it needs the URL of a Livy server.",
            "Set it in the environment the kernel starts in, then restart the kernel, e.g.:",
            "    export LIVY_URL=http://livy.example.com:8998",
            "or pin it in the kernelspec: livy-kernel install --env LIVY_URL=http://livy.example.com:8998",
        ]
    }

    /// Reads the configuration the kernel starts with.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LivyNotConfigured {
        let url = environment["LIVY_URL"]?.trimmingCharacters(in: .whitespaces)
        return LivyNotConfigured(configuredURL: url?.isEmpty == false ? url : nil)
    }
}
