public import JSONValues
import Foundation

/// Statement states (`StatementState.java`). `error` is not in Livy's code but in its docs, so it
/// is accepted and treated as final. Lighter spells `cancelled` with one l (`canceled`): read as
/// `cancelled`.
public enum StatementState: String, Sendable, Equatable, Codable {
    case waiting, running, available, cancelling, cancelled, error

    public var isFinal: Bool { self == .available || self == .cancelled || self == .error }

    /// The state a server names, in any spelling a Livy-shaped server uses.
    public init?(serverName: String) {
        self.init(rawValue: serverName == "canceled" ? "cancelled" : serverName)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let state = StatementState(serverName: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown statement state '\(name)'")
        }
        self = state
    }
}

/// A statement of `GET /sessions/{id}/statements/{sid}`.
public struct LivyStatement: Sendable, Equatable, Decodable {
    public var id: LivyID
    public var code: String?
    public var state: StatementState
    public var output: StatementOutput?
    public var progress: Double
    /// Epoch milliseconds, 0 until set.
    public var started: Int64
    public var completed: Int64

    enum CodingKeys: String, CodingKey { case id, code, state, output, progress, started, completed }

    public init(id: LivyID, code: String? = nil, state: StatementState, output: StatementOutput? = nil,
                progress: Double = 0, started: Int64 = 0, completed: Int64 = 0) {
        self.id = id
        self.code = code
        self.state = state
        self.output = output
        self.progress = progress
        self.started = started
        self.completed = completed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(LivyID.self, forKey: .id),
                  code: try c.decodeIfPresent(String.self, forKey: .code),
                  state: try c.decode(StatementState.self, forKey: .state),
                  output: try c.decodeIfPresent(StatementOutput.self, forKey: .output),
                  progress: try c.decodeIfPresent(Double.self, forKey: .progress) ?? 0,
                  started: try c.decodeIfPresent(Int64.self, forKey: .started) ?? 0,
                  completed: try c.decodeIfPresent(Int64.self, forKey: .completed) ?? 0)
    }
}

/// A statement's `output`: data by MIME type, or an error.
public enum StatementOutput: Sendable, Equatable, Decodable {
    case ok(executionCount: Int?, data: [String: JSONValue])
    case error(executionCount: Int?, ename: String, evalue: String, traceback: [String])

    /// Read as the statement is (`init(json:)`), so both decoders accept the same shapes.
    public init(from decoder: any Decoder) throws {
        self = try StatementOutput(json: try JSONValue(from: decoder))
    }
}

/// `POST /sessions/{id}/statements`.
public struct SubmitStatementRequest: Sendable, Equatable, Encodable {
    public var code: String
    public var kind: String?

    public init(code: String, kind: String?) {
        self.code = code
        self.kind = kind
    }
}

/// `POST /sessions/{id}/completion`.
public struct CompletionRequest: Sendable, Equatable, Encodable {
    public var code: String
    public var kind: String
    public var cursor: Int
}

struct CompletionResponse: Decodable {
    var candidates: [String]
}
