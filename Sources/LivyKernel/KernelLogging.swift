import Foundation
import Logging

/// Logs go to stderr (Jupyter shows a kernel's stderr in its own log), never into notebook output.
enum KernelLogging {
    /// Level from `LIVY_KERNEL_LOG_LEVEL` (trace … critical), `info` by default.
    static func bootstrap() -> Logger {
        let level = ProcessInfo.processInfo.environment["LIVY_KERNEL_LOG_LEVEL"]
            .flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "livy-kernel")
    }
}
