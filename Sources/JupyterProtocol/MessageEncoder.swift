public import JSONValues
public import Foundation

/// The four JSON frames of an outgoing message, ready to be signed and framed.
public struct EncodedMessage: Sendable, Equatable {
    /// Not a frame: kept so the transport can name the iopub topic after it.
    public var msgType: String
    public var header: Data
    public var parentHeader: Data
    public var metadata: Data
    public var content: Data
}

/// Builds outgoing messages: a fresh header for each (new `msg_id`, this kernel's own session id,
/// current date), and the causing request's header copied verbatim as parent.
public struct MessageEncoder: Sendable {
    /// One id per kernel process; clients notice restarts by its change.
    public let session: String
    public let username: String
    private let newID: @Sendable () -> String
    private let now: @Sendable () -> Date

    public init(session: String = UUID().uuidString.lowercased(), username: String = "kernel",
                newID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
                now: @escaping @Sendable () -> Date = Date.init) {
        self.session = session
        self.username = username
        self.newID = newID
        self.now = now
    }

    private static let emptyObject = Data("{}".utf8)

    /// Encodes a message of `msgType` caused by `parent` (nil: no cause, e.g. `status: starting`).
    public func encode(msgType: String, content: some Encodable, parent: ReceivedMessage?,
                       metadata: JSONObject = [:]) -> EncodedMessage {
        let header = MessageHeader(msgID: newID(), session: session, username: username,
                                   date: JupyterDate.string(from: now()), msgType: msgType)
        return EncodedMessage(
            msgType: msgType,
            header: Self.json(header),
            parentHeader: parent?.rawHeader ?? Self.emptyObject,
            metadata: metadata.isEmpty ? Self.emptyObject : Self.json(metadata),
            content: Self.json(content))
    }

    private static func json(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Spark results can hold NaN or infinities; JSON has no such numbers, pandas writes these.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try encoder.encode(value)
        } catch {
            // Our content types hold only strings, numbers, bools and JSONValue; a failure here is
            // a programming error, so fail loudly in tests.
            preconditionFailure("cannot encode \(type(of: value)): \(error)")
        }
    }
}
