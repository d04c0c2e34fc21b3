import Foundation
import JSONValues
import JupyterProtocol
public import KernelCore
import Logging

/// A `Kernel` on a backend, wired to a `RecordingSink`, fed requests the way the transport feeds
/// it: the kernel's message handlers in-process, as swift-nio's `EmbeddedChannel` runs a pipeline.
public struct KernelDriver<Backend: ExecutionBackend>: Sendable {
    public let sink = RecordingSink()
    public let backend: Backend
    public let kernel: Kernel

    public init(backend: Backend) {
        self.backend = backend
        kernel = Kernel(identity: .init(implementation: "livykernel", version: "0.0.0", banner: "test", helpLinks: []),
                        backend: backend, encoder: MessageEncoder(session: "kernel"), sink: sink,
                        logger: Logger(label: "test"))
    }

    /// Sends a request with `content` as its JSON; returns its msg_id.
    @discardableResult
    public func send(_ msgType: String, _ content: String = "{}", on channel: OutgoingChannel = .shell) throws -> String {
        let id = UUID().uuidString
        let header = #"{"msg_id": "\#(id)", "msg_type": "\#(msgType)", "session": "client", "username": "u", "date": "", "version": "5.3"}"#
        let message = try ReceivedMessage(header: Data(header.utf8), metadata: Data("{}".utf8), content: Data(content.utf8))
        kernel.receive(IncomingRequest(channel: channel, identities: [Data("client".utf8)], message: message))
        return id
    }

    /// Sends an `execute_request` for `code` (any text: it is JSON-encoded); returns its msg_id.
    @discardableResult
    public func execute(_ code: String, silent: Bool = false, stopOnError: Bool = true) throws -> String {
        let content: JSONValue = ["code": .string(code), "silent": .bool(silent), "stop_on_error": .bool(stopOnError)]
        return try send("execute_request", String(decoding: try JSONEncoder().encode(content), as: UTF8.self))
    }

    /// Runs the kernel's loops until shutdown (or until the task is cancelled).
    public func start() -> Task<Void, Never> {
        let kernel = self.kernel
        return Task { await kernel.run() }
    }
}
