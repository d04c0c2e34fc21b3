import Foundation
public import LivyClient

/// What the kernel records about a session's Spark UI: the port lease, and what the Spark UI proxy
/// beside Jupyter needs to serve `/spark/{user}/{port}/` to that user only.
public struct SparkUIRecord: Sendable, Equatable, Codable {
    public var user: String
    public var port: Int
    /// The process holding the lease; when it is gone the lease is stale.
    public var pid: Int32
    public var livyURL: String
    public var sessionID: LivyID?
    /// Where the driver serves its UI (known once the session is up).
    public var driverHost: String?

    public init(user: String, port: Int, pid: Int32, livyURL: String, sessionID: LivyID? = nil, driverHost: String? = nil) {
        self.user = user
        self.port = port
        self.pid = pid
        self.livyURL = livyURL
        self.sessionID = sessionID
        self.driverHost = driverHost
    }

    enum CodingKeys: String, CodingKey {
        case user, port, pid, livyURL = "livy_url", sessionID = "session_id", driverHost = "driver_host"
    }
}
