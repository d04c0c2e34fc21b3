/// How to reach Livy over HTTP: authentication, TLS, headers and time limits.
public struct HTTPSettings: Sendable, Equatable {
    public enum Authentication: Sendable, Equatable {
        case none
        case basic(username: String, password: String)
        /// SPNEGO with the Kerberos ticket in the user's credential cache (kinit).
        case kerberos
        /// `Authorization: Bearer …` for a gateway, the token read from its source and read again
        /// when it expires or is refused.
        case bearer(BearerTokenSource)
    }

    public var authentication: Authentication
    /// Verify the server's TLS certificate (on by default; turn off only for testing).
    public var verifyTLS: Bool
    /// A PEM bundle of CA certificates to trust instead of the system's.
    public var caBundle: String?
    /// Extra headers on every request (e.g. for a gateway).
    public var headers: [String: String]
    public var connectTimeout: Duration

    public init(authentication: Authentication = .none, verifyTLS: Bool = true, caBundle: String? = nil,
                headers: [String: String] = [:], connectTimeout: Duration = .seconds(10)) {
        self.authentication = authentication
        self.verifyTLS = verifyTLS
        self.caBundle = caBundle
        self.headers = headers
        self.connectTimeout = connectTimeout
    }
}
