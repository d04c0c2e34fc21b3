import Foundation

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
    /// With Kerberos: a keytab to take the ticket from instead of the user's cache (`kinit`).
    public var keytab: KerberosKeytab?
    /// Verify the server's TLS certificate (on by default; turn off only for testing).
    public var verifyTLS: Bool
    /// A PEM bundle of CA certificates to trust instead of the system's.
    public var caBundle: String?
    /// Extra headers on every request (e.g. for a gateway).
    public var headers: [String: String]
    public var connectTimeout: Duration

    public init(authentication: Authentication = .none, keytab: KerberosKeytab? = nil, verifyTLS: Bool = true,
                caBundle: String? = nil, headers: [String: String] = [:], connectTimeout: Duration = .seconds(10)) {
        self.authentication = authentication
        self.keytab = keytab
        self.verifyTLS = verifyTLS
        self.caBundle = caBundle
        self.headers = headers
        self.connectTimeout = connectTimeout
    }
}

/// A Kerberos keytab the kernel authenticates with, for scheduled runs where nobody runs `kinit`.
public struct KerberosKeytab: Sendable, Equatable {
    public var path: String
    /// Named in messages; the ticket is for the keytab's first principal.
    public var principal: String?

    public init(path: String, principal: String? = nil) {
        self.path = path
        self.principal = principal
    }

    /// Points MIT Kerberos at the keytab (`KRB5_CLIENT_KTNAME`: GSSAPI then gets and renews the
    /// ticket by itself) and at a cache in this process's memory, so the user's own ticket cache
    /// is neither read nor overwritten. Call before any HTTP thread exists: setenv is not safe
    /// while other threads read the environment.
    public func activate() {
        setenv("KRB5_CLIENT_KTNAME", path, 1)
        setenv("KRB5CCNAME", "MEMORY:livykernel-\(getpid())", 1)
    }
}
