import JSONValues
import Foundation
import JupyterProtocol
import Logging
import Synchronization
@testable import KernelCore

/// Records what the kernel sends, in order.
final class RecordingSink: MessageSink {
    struct Sent: Sendable {
        let channel: OutgoingChannel
        let msgType: String
        let parentID: String?
        let content: JSONObject
    }

    private let sent = Mutex<[Sent]>([])

    func send(_ message: EncodedMessage, to identities: [Data], on channel: OutgoingChannel) {
        let parent = try? JSONDecoder().decode(JSONObject.self, from: message.parentHeader)
        let content = (try? JSONDecoder().decode(JSONObject.self, from: message.content)) ?? [:]
        sent.withLock {
            $0.append(Sent(channel: channel, msgType: message.msgType, parentID: parent?["msg_id"]?.stringValue,
                           content: content))
        }
    }

    var messages: [Sent] { sent.withLock { $0 } }

    func messages(parent: String) -> [Sent] { messages.filter { $0.parentID == parent } }

    /// Waits (briefly) until `condition` holds for the recorded messages.
    func wait(timeout: Duration = .seconds(5), until condition: ([Sent]) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !condition(messages) {
            guard clock.now < deadline else { throw WaitTimeout(types: messages.map(\.msgType)) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits for the `idle` of one request.
    func waitForIdle(of id: String) async throws {
        try await wait { $0.contains { $0.parentID == id && $0.msgType == "status" && $0.content["execution_state"] == "idle" } }
    }

    struct WaitTimeout: Error { let types: [String] }
}

/// A backend whose behaviour each test scripts.
final class ScriptedBackend: ExecutionBackend {
    struct Failure: JupyterReportableError {
        var ename: String { "SparkError" }
        var evalue: String { "boom" }
        var details: [String] { ["at line 1"] }
    }

    let shutdowns = Mutex<[Bool]>([])
    let ran = Mutex<[String]>([])

    func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        ran.withLock { $0.append(cell.code) }
        switch cell.code {
        case "fail": throw Failure()
        case "hang": try await Task.sleep(for: .seconds(60))
        default:
            output.stream(.stdout, "ran \(cell.code)\n")
            output.result(.plainText("\(cell.executionCount)"))
        }
    }

    func shutdown(restart: Bool) async {
        shutdowns.withLock { $0.append(restart) }
    }
}

/// A kernel wired to a recording sink, with helpers to send it requests.
struct KernelHarness {
    let sink = RecordingSink()
    let backend = ScriptedBackend()
    let kernel: Kernel

    init(kind: KernelKind = .pyspark) {
        kernel = Kernel(kind: kind,
                        identity: .init(implementation: "livykernel", version: "0.0.0", banner: "test", helpLinks: []),
                        backend: backend, encoder: MessageEncoder(session: "kernel"), sink: sink,
                        logger: Logger(label: "test"))
    }

    /// Sends a request; returns its msg_id.
    @discardableResult
    func send(_ msgType: String, _ content: String = "{}", on channel: OutgoingChannel = .shell) throws -> String {
        let id = UUID().uuidString
        let header = #"{"msg_id": "\#(id)", "msg_type": "\#(msgType)", "session": "client", "username": "u", "date": "", "version": "5.3"}"#
        let message = try ReceivedMessage(header: Data(header.utf8), metadata: Data("{}".utf8), content: Data(content.utf8))
        kernel.receive(IncomingRequest(channel: channel, identities: [Data("client".utf8)], message: message))
        return id
    }

    func execute(_ code: String, silent: Bool = false, stopOnError: Bool = true) throws -> String {
        try send("execute_request", #"{"code": "\#(code)", "silent": \#(silent), "stop_on_error": \#(stopOnError)}"#)
    }

    func start() -> Task<Void, Never> {
        let kernel = self.kernel
        return Task { await kernel.run() }
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { array[index] } else { nil }
    }
}
