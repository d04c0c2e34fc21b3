public import Foundation
public import JSONValues
public import JupyterProtocol
public import KernelCore
import Synchronization

/// A `MessageSink` that records what the kernel sends, in order, for tests to read and wait on.
public final class RecordingSink: MessageSink {
    public struct Sent: Sendable {
        public let channel: OutgoingChannel
        public let msgType: String
        public let parentID: String?
        public let content: JSONObject
    }

    private let sent = Mutex<[Sent]>([])

    public init() {}

    public func send(_ message: EncodedMessage, to identities: [Data], on channel: OutgoingChannel) {
        let parent = try? JSONDecoder().decode(JSONObject.self, from: message.parentHeader)
        let content = (try? JSONDecoder().decode(JSONObject.self, from: message.content)) ?? [:]
        sent.withLock {
            $0.append(Sent(channel: channel, msgType: message.msgType, parentID: parent?["msg_id"]?.stringValue,
                           content: content))
        }
    }

    public var messages: [Sent] { sent.withLock { $0 } }

    public func messages(parent: String) -> [Sent] { messages.filter { $0.parentID == parent } }

    /// Waits (briefly) until `condition` holds for the recorded messages. The kernel's replies
    /// come from its own tasks, so there is no event to await here: this polls every millisecond.
    public func wait(timeout: Duration = .seconds(5), until condition: ([Sent]) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !condition(messages) {
            guard clock.now < deadline else { throw WaitTimeout(types: messages.map(\.msgType)) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Waits for the `idle` of one request.
    public func waitForIdle(of id: String) async throws {
        try await wait { $0.contains { $0.parentID == id && $0.msgType == "status" && $0.content["execution_state"] == "idle" } }
    }

    public struct WaitTimeout: Error { public let types: [String] }
}
