import LivyBackend
import Foundation
import KernelCore

/// The kernel.json `livy-kernel install` writes; the repository's top-level `kernel.json` is the
/// same document with `{placeholders}` (a test keeps the two in step).
struct Kernelspec: Equatable {
    var executable: String
    var kind: KernelKind
    var displayName: String
    var environment: [String: String]

    /// `{connection_file}` stays literal: Jupyter substitutes it when it starts the kernel.
    var json: [String: Any] {
        [
            "argv": [executable, "run", "--connection-file", "{connection_file}", "--kind", kind.rawValue],
            "display_name": displayName,
            "language": kind.language,
            // Interrupts arrive as interrupt_request on control, not as signals to the process group.
            "interrupt_mode": "message",
            "env": environment,
            "metadata": ["livykernel": ["kind": kind.rawValue, "version": LivyKernelVersion.current]],
        ]
    }

    func data() throws -> Data {
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Writes the kernelspec directory `<kernels>/<name>`, replacing an existing one of that name.
    func install(into kernelsDirectory: URL, name: String) throws -> URL {
        let directory = kernelsDirectory.appendingPathComponent(name, isDirectory: true)
        let files = FileManager.default
        if files.fileExists(atPath: directory.path) {
            try files.removeItem(at: directory)
        }
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        try data().write(to: directory.appendingPathComponent("kernel.json"), options: .atomic)
        return directory
    }
}
