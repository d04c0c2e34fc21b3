import Foundation
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
    /// The JSON of the messages of one type.
    public func texts(of type: String) -> [String] { messages.withLock { $0.filter { $0.type == type }.map(\.text) } }
}
