import LivyBackend
import ArgumentParser
import Foundation
import JupyterWire
import KernelCore
import Logging

/// `livy-kernel run`: what kernel.json starts. Serves one notebook until shutdown.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kernel for one notebook (Jupyter starts this through kernel.json).")

    @Option(name: [.customLong("connection-file"), .customShort("f")],
            help: "The connection file Jupyter wrote (ports and signing key).")
    var connectionFile: String

    @Option(help: "The notebook language: pyspark, scala or sql.")
    var kind: KernelKind = .pyspark

    func run() async throws {
        let logger = KernelLogging.bootstrap()
        let connection: ConnectionInfo
        do {
            connection = try ConnectionInfo.load(path: connectionFile)
        } catch {
            // A clear line on stderr and a non-zero exit: Jupyter shows both to the user.
            throw ValidationError(error.description)
        }
        let process = KernelProcess(connection: connection, connectionFile: connectionFile, kind: kind, logger: logger)
        do {
            try await process.run()
        } catch {
            logger.critical("cannot start the kernel: \(error)")
            throw ExitCode.failure
        }
    }
}
