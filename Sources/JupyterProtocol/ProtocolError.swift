/// Why a signed message could not be understood; the message is dropped and the kernel goes on.
public enum ProtocolError: Error, Equatable, CustomStringConvertible {
    /// A JSON frame is not valid JSON, or not an object.
    case invalidJSON(part: String)
    /// The header lacks a field needed to answer (`msg_id`, `msg_type`).
    case invalidHeader(reason: String)
    /// The content does not have the fields this message type requires.
    case invalidContent(msgType: String, reason: String)

    public var description: String {
        switch self {
        case .invalidJSON(let part): "\(part) is not a JSON object"
        case .invalidHeader(let reason): "invalid header: \(reason)"
        case let .invalidContent(msgType, reason): "invalid \(msgType) content: \(reason)"
        }
    }
}
