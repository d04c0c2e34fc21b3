/// Why a received multipart message was dropped before it reached the protocol layer.
public enum WireError: Error, Equatable, CustomStringConvertible {
    /// No `<IDS|MSG>` frame: not a Jupyter message.
    case missingDelimiter
    /// Fewer than the five frames (signature + four JSON parts) after the delimiter.
    case tooFewFrames(count: Int)
    /// The HMAC did not match (or was missing) for this connection's key.
    case badSignature
    /// The exact signature was accepted before: a replayed message.
    case replayedSignature

    public var description: String {
        switch self {
        case .missingDelimiter: "no <IDS|MSG> delimiter frame"
        case .tooFewFrames(let count): "only \(count) frames after the delimiter, need at least 5"
        case .badSignature: "signature does not match the connection key"
        case .replayedSignature: "signature was already used (replayed message)"
        }
    }
}
