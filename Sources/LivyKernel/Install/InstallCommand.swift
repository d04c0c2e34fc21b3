import LivyBackend
import ArgumentParser
import Foundation
import KernelCore

/// `livy-kernel install`: writes kernelspecs that start this very binary.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the LivyKernel kernelspecs so Jupyter lists them.",
        discussion: """
            Installs the PySpark kernel (livy-pyspark) unless --kind or --all says otherwise;
            --all installs livy-pyspark, livy-scala and livy-sql. Installing again replaces an
            existing kernelspec of the same name.
            """)

    @Flag(help: "Install for the current user (~/.local/share/jupyter/kernels).")
    var user = false

    @Flag(help: "Install into the active virtualenv or conda environment.")
    var sysPrefix = false

    @Option(help: "Install into DIR/share/jupyter/kernels (e.g. a virtualenv).")
    var prefix: String?

    @Option(help: "The kernel to install: pyspark (default), scala or sql.")
    var kind: KernelKind?

    @Flag(help: "Install all three kernels: PySpark, Scala and SQL.")
    var all = false

    @Option(help: "Kernelspec name (only with --kind). Default: livy-<kind>.")
    var name: String?

    @Option(help: "Name shown in Jupyter's launcher (only with --kind).")
    var displayName: String?

    @Option(name: .customLong("env"), help: "Pin an environment variable in the kernelspec, e.g. LIVY_URL=http://livy:8998 (repeatable).")
    var environment: [String] = []

    @Option(help: ArgumentHelp(
        "The command the kernelspec starts instead of this binary's path (for packagers).",
        discussion: "The wheel uses {resource_dir}/../../../../bin/livy-kernel: Jupyter replaces {resource_dir} "
            + "with the kernelspec's directory, so the kernelspec finds the binary pip put in the same environment."))
    var executable: String?

    func validate() throws {
        if [user, sysPrefix, prefix != nil].filter({ $0 }).count > 1 {
            throw ValidationError("choose at most one of --user, --sys-prefix and --prefix")
        }
        if all && (kind != nil || name != nil || displayName != nil) {
            throw ValidationError("--all installs every kernel under its own name: use --kind for one kernel")
        }
        if let name, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) {
            throw ValidationError("kernelspec names use ASCII letters, digits, '-', '.' and '_' only: '\(name)'")
        }
        _ = try pinnedEnvironment()
    }

    func run() throws {
        let location: KernelspecLocation =
            if user { .user } else if sysPrefix { .sysPrefix } else if let prefix { .prefix(prefix) } else { .system }
        let kernels: URL
        do {
            kernels = try location.kernelsDirectory(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        let executable = try self.executable ?? Self.executablePath()
        let kinds = all ? KernelKind.allCases : [kind ?? .pyspark]
        for kind in kinds {
            let spec = Kernelspec(executable: executable, kind: kind,
                                  displayName: displayName ?? kind.displayName,
                                  environment: try pinnedEnvironment())
            let directory = try spec.install(into: kernels, name: (name ?? kind.kernelspecName).lowercased())
            print("Installed kernelspec \(directory.lastPathComponent) in \(directory.path)")
        }
    }

    private func pinnedEnvironment() throws -> [String: String] {
        var pinned: [String: String] = [:]
        for assignment in environment {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--env expects NAME=VALUE, got '\(assignment)'")
            }
            pinned[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return pinned
    }

    /// The absolute, symlink-free path of this binary, so the kernelspec works from any directory.
    static func executablePath() throws -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        let argument = CommandLine.arguments[0]
        let url = argument.hasPrefix("/")
            ? URL(fileURLWithPath: argument)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(argument)
        return url.resolvingSymlinksInPath().path
    }
}
