/// What went wrong talking to Livy, with what the user needs to act on it.
public enum LivyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer at all: Livy is down, the URL is wrong, or TLS failed.
    case unreachable(url: String, reason: String)
    /// A request that creates something reached Livy but its answer was lost (the connection
    /// dropped, or the answer did not come in time): Livy may or may not have acted on it.
    case answerLost(url: String, reason: String)
    /// Livy answered with an error status; `message` is Livy's own text (from any of its body shapes).
    case http(status: Int, url: String, message: String)
    /// Livy answered 2xx with a body that is not what Livy sends.
    case invalidResponse(url: String, reason: String)
    /// 404 for a session this kernel knew: it was deleted or expired behind our back.
    case sessionNotFound(id: LivyID)
    /// The server refused the credentials (HTTP 401) or there were none to send; `problem` names
    /// the fix for the scheme in use. Nothing was carried out.
    case authentication(url: String, problem: String)
    /// The TLS handshake failed (an untrusted certificate, a host name it does not name, an
    /// unreadable CA bundle). Nothing reached Livy.
    case tls(url: String, problem: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason):
            "cannot reach Livy at \(url): \(reason)"
        case let .answerLost(url, reason):
            "Livy's answer to \(url) was lost (\(reason)); it may have carried the request out"
        case let .http(status, url, message):
            "Livy answered HTTP \(status) for \(url)" + (message.isEmpty ? "" : ": \(message)")
        case let .invalidResponse(url, reason):
            "Livy's answer from \(url) is not what Livy sends: \(reason)"
        case let .sessionNotFound(id):
            "Livy session \(id) no longer exists"
        case let .authentication(url, problem):
            "authentication with Livy at \(url) failed: \(problem)"
        case let .tls(url, problem):
            "the TLS connection to \(url) failed: \(problem)"
        }
    }

    /// Why a failed request that creates something may still have created it: its answer was
    /// lost, or a gateway's 5xx came after Livy took it. Nil when Livy certainly did not act.
    public var mayHaveActed: String? {
        switch self {
        case .answerLost(_, let reason): reason
        case .http(let status, _, let message) where status >= 500: "HTTP \(status): \(message)"
        default: nil
        }
    }

    /// Worth retrying for an idempotent request: the server may answer next time.
    var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .http(let status, _, _): status >= 500
        case .invalidResponse, .sessionNotFound, .answerLost, .authentication, .tls: false
        }
    }
}
