/// Livy's session states (`SessionState.scala`), with an escape hatch for ones we do not know.
public enum SessionState: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    case notStarted, starting, recovering, idle, running, busy, shuttingDown, error, dead, killed, success
    case unknown(String)

    public init(rawValue: String) {
        switch rawValue {
        case "not_started": self = .notStarted
        case "starting": self = .starting
        case "recovering": self = .recovering
        case "idle": self = .idle
        case "running": self = .running
        case "busy": self = .busy
        case "shutting_down": self = .shuttingDown
        case "error": self = .error
        case "dead": self = .dead
        case "killed": self = .killed
        case "success": self = .success
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .notStarted: "not_started"
        case .starting: "starting"
        case .recovering: "recovering"
        case .idle: "idle"
        case .running: "running"
        case .busy: "busy"
        case .shuttingDown: "shutting_down"
        case .error: "error"
        case .dead: "dead"
        case .killed: "killed"
        case .success: "success"
        case .unknown(let raw): raw
        }
    }

    public var description: String { rawValue }

    /// The session can take statements (Livy queues them while busy).
    public var isReady: Bool { self == .idle || self == .busy || self == .running }

    /// The session will never run anything again (sparkmagic's list, plus shutting down).
    public var isFinal: Bool {
        switch self {
        case .error, .dead, .killed, .success, .shuttingDown: true
        default: false
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
