public import Foundation

/// One HTTP exchange, as plain values that cross threads freely.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", delete = "DELETE" }

    public var method: Method
    public var url: String
    public var headers: [String: String]
    public var body: Data?
    /// Whole-transfer limit for this request.
    public var timeout: Duration
    /// The request creates something (a session, a statement): no layer may send it twice, not
    /// even libcurl when a reused connection turns out dead, so it goes on a fresh connection.
    public var mustNotRepeat: Bool
    public var lane: Lane

    /// Which connection carries a request. Cancels, deletes and heartbeats have their own, so
    /// they are never queued behind a poll that hangs until its timeout; completions have theirs,
    /// so a slow completer delays neither a running cell's polls nor a cancel.
    public enum Lane: Sendable, Equatable, CaseIterable { case main, control, completion }

    public init(method: Method, url: String, headers: [String: String] = [:], body: Data? = nil,
                timeout: Duration = .seconds(30), mustNotRepeat: Bool = false, lane: Lane = .main) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.mustNotRepeat = mustNotRepeat
        self.lane = lane
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data
    /// The `WWW-Authenticate` challenges of a 401 ("Negotiate", "Basic realm=…", "Bearer"): the
    /// schemes the server asks for. Empty for every other answer.
    public var challenges: [String]

    public init(status: Int, body: Data, challenges: [String] = []) {
        self.status = status
        self.body = body
        self.challenges = challenges
    }
}

/// The request never got an HTTP answer.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Could not connect (refused, unknown host, no route).
        case cannotConnect
        /// Connected, but no complete answer in time.
        case timedOut
        /// TLS failed (certificate not trusted, handshake).
        case tls
        /// No credentials to send (a bearer token that cannot be read).
        case authentication
        /// Anything else libcurl reported.
        case other
    }

    public var kind: Kind
    /// libcurl's explanation, for the user and the logs.
    public var message: String
    /// Whether any of the request reached the server: when it did, the server may have acted on it.
    public var requestSent: Bool

    public init(kind: Kind, message: String, requestSent: Bool = false) {
        self.kind = kind
        self.message = message
        self.requestSent = requestSent
    }

    public var description: String { message }
}

/// Moves HTTP requests; the Livy client's only way to the network.
public protocol HTTPTransport: Sendable {
    func perform(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse
}
