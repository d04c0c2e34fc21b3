/// The body of `POST /sessions`. Only fields that are set are sent: Livy rejects unknown
/// properties, and a 0.7 server rejects 0.8-only ones.
public struct CreateSessionRequest: Sendable, Equatable, Encodable {
    public var kind: String?
    public var proxyUser: String?
    public var jars: [String]?
    public var pyFiles: [String]?
    public var files: [String]?
    public var archives: [String]?
    public var driverMemory: String?
    public var driverCores: Int?
    public var executorMemory: String?
    public var executorCores: Int?
    public var numExecutors: Int?
    public var queue: String?
    public var name: String?
    public var conf: [String: String]?
    public var heartbeatTimeoutInSecond: Int?

    public init(kind: String? = nil, proxyUser: String? = nil, jars: [String]? = nil, pyFiles: [String]? = nil,
                files: [String]? = nil, archives: [String]? = nil, driverMemory: String? = nil,
                driverCores: Int? = nil, executorMemory: String? = nil, executorCores: Int? = nil,
                numExecutors: Int? = nil, queue: String? = nil, name: String? = nil, conf: [String: String]? = nil,
                heartbeatTimeoutInSecond: Int? = nil) {
        self.kind = kind
        self.proxyUser = proxyUser
        self.jars = jars
        self.pyFiles = pyFiles
        self.files = files
        self.archives = archives
        self.driverMemory = driverMemory
        self.driverCores = driverCores
        self.executorMemory = executorMemory
        self.executorCores = executorCores
        self.numExecutors = numExecutors
        self.queue = queue
        self.name = name
        self.conf = conf
        self.heartbeatTimeoutInSecond = heartbeatTimeoutInSecond
    }
}
