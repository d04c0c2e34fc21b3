import Foundation

/// What a short helper command printed (`klist`, a bearer-token command), run to completion on the
/// calling thread: only ever an HTTP thread, never the cooperative pool.
struct CommandOutput {
    var status: Int32
    var output: String
    var errors: String

    /// The first line of standard error, for messages.
    var firstErrorLine: String {
        errors.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// Runs `executable` with `arguments`; throws when it cannot be started. Output is read after
    /// the fact, which suits commands that print a few lines (a pipe holds 64 KiB).
    static func run(_ executable: String, _ arguments: [String]) throws -> CommandOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandOutput(status: process.terminationStatus, output: String(decoding: text, as: UTF8.self),
                             errors: String(decoding: problem, as: UTF8.self))
    }
}
