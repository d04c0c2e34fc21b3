import Dispatch
import Foundation
import JupyterProtocol
import JupyterWire
import KernelCore
import LivyBackend
import Logging

/// One kernel process: binds the sockets of the connection file, serves the notebook, and exits
/// cleanly after a shutdown request, SIGTERM, or the death of the process that launched it.
struct KernelProcess {
    let connection: ConnectionInfo
    /// Where the connection came from: the same path across Jupyter's restarts of this kernel.
    let connectionFile: String
    let kind: KernelKind
    let logger: Logger

    func run() async throws {
        let encoder = MessageEncoder()
        let server = try WireServer(connection: connection, logger: logger)
        let heartbeat = Heartbeat(endpoint: connection.endpoint(port: connection.heartbeatPort), logger: logger)
        let kernel = Kernel(
            identity: identity,
            backend: BackendFactory.make(kind: kind, environment: ProcessInfo.processInfo.environment,
                                         connectionFile: connectionFile, logger: logger),
            encoder: encoder,
            sink: WireSink(server: server, topicPrefix: "kernel.\(encoder.session)"),
            logger: logger)

        try await heartbeat.start()
        let logger = self.logger
        try await server.start { channel, wire in
            do {
                let message = try ReceivedMessage(header: wire.header, metadata: wire.metadata, content: wire.content)
                kernel.receive(IncomingRequest(channel: OutgoingChannel(channel), identities: wire.identities,
                                               message: message))
            } catch {
                logger.warning("dropped a message on \(channel.rawValue): \(error)")
            }
        }
        logger.info("\(kind.displayName) kernel \(LivyKernelVersion.current) listening on \(connection.ip), session \(encoder.session)")

        let signals = SignalHandlers(kernel: kernel, logger: logger)
        let parentWatch = ParentWatcher.startIfLaunchedByJupyter(kernel: kernel, logger: logger)
        await kernel.run()
        parentWatch?.cancel()
        signals.cancel()
        heartbeat.stop()
        await server.stop()
        logger.info("kernel shut down")
    }

    private var identity: Kernel.Identity {
        Kernel.Identity(
            implementation: "livykernel",
            version: LivyKernelVersion.current,
            banner: "LivyKernel \(LivyKernelVersion.current) — \(kind.displayName)\n"
                + "Runs each cell in this notebook's Apache Livy session (a Spark driver on the cluster).",
            helpLinks: [
                HelpLink(text: "Apache Livy REST API", url: "https://livy.apache.org/docs/latest/rest-api.html"),
                HelpLink(text: "Apache Spark documentation", url: "https://spark.apache.org/docs/latest/"),
            ])
    }
}
