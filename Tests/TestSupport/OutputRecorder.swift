import Foundation
public import JSONValues
public import KernelCore
import Synchronization

/// Records what a backend publishes for one cell: message types and their JSON, in order.
public final class OutputRecorder: Sendable {
    private let messages = Mutex<[(type: String, text: String)]>([])

    public init() {}

    public var publisher: OutputPublisher {
        OutputPublisher(executionCount: 1) { [self] type, content in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
            let data = (try? encoder.encode(content)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            messages.withLock { $0.append((type, data)) }
        }
    }

    public var types: [String] { messages.withLock { $0.map(\.type) } }
    /// Every message's JSON, one per line.
    public var all: String { messages.withLock { $0.map(\.text).joined(separator: "\n") } }
    /// The parsed contents of the messages of one type.
    public func contents(of type: String) -> [JSONValue] {
        texts(of: type).compactMap { try? JSONParser.parse(Array($0.utf8)) }
    }

    /// The `data` bundles of every `display_data`, in order.
    public var displays: [JSONValue] { contents(of: "display_data").compactMap { $0["data"] } }

    /// Everything written to one stream, joined.
    public func stream(_ name: String) -> String {
        contents(of: "stream").filter { $0["name"] == .string(name) }.compactMap { $0["text"]?.stringValue }.joined()
    }

    /// Waits (up to `timeout`) until `condition` holds for what was recorded. Outputs published
    /// by background work (a keep-alive warning) have no event to await, so this polls.
    public func wait(timeout: Duration = .seconds(5), until condition: (OutputRecorder) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(self) {
            guard ContinuousClock.now < deadline else { throw WaitTimeout(recorded: all) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    public struct WaitTimeout: Error { public let recorded: String }

    /// The JSON of the messages of one type.
    public func texts(of type: String) -> [String] { messages.withLock { $0.filter { $0.type == type }.map(\.text) } }
}
