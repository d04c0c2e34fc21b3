public import LivyClient

/// Everything the Livy backend is configured with, after defaults, the config file and the
/// environment have been merged (in that order: later wins).
public struct KernelConfiguration: Sendable, Equatable {
    /// The Livy server, e.g. `http://livy:8998`; nil when nothing configured one.
    public var livyURL: String?
    public var http = HTTPSettings()
    public var requestTimeout: Duration = .seconds(60)
    public var session = SessionDefaults()
    public var sparkUI = SparkUISettings()
    /// Rows shown of a SQL result (Livy's own cap, `livy.rsc.sql.num-rows`, applies too).
    public var sqlMaxRows = 1000

    public init() {}

    /// How the kernel starts its Livy sessions, and what every new session is created with.
    public struct SessionDefaults: Sendable, Equatable {
        /// Start the session when the kernel starts, so the first cell waits less.
        public var eagerStart = true
        public var startupTimeout: Duration = .seconds(600)
        /// The Livy server's idle timeout (`livy.server.session.timeout`), when known: the kernel
        /// warns before an idle session is deleted.
        public var idleTimeout: Duration?
        /// Keep the session across Jupyter's "Restart kernel" (the new kernel process attaches).
        public var keepOnRestart = true
        /// Livy's session settings (`%%configure` merges its own over these).
        public var settings = SessionSettings()
        /// Whether `%%configure` may change a configured `proxyUser`. Off by default: an
        /// administrator who sets it (or `LIVY_PROXY_USER`, e.g. from the JupyterHub user) means
        /// the notebook runs as that user, not as whoever a cell names.
        public var allowProxyUserOverride = false

        public init() {}
    }

    public struct SparkUISettings: Sendable, Equatable {
        /// Driver UI ports handed out to this host's sessions, one per live session.
        public var ports: ClosedRange<Int> = 4040...4139
        /// Jupyter's base URL, the prefix of the `/spark/{user}/{port}/` link.
        public var baseURL = "/"
        /// The user name in links and (when set) Livy's proxyUser; nil: JUPYTERHUB_USER or the OS user.
        public var user: String?
        /// Where the proxy reaches the driver UI; nil: the host the driver itself names.
        public var driverHost: String?
        /// Ask the driver where its UI is with one statement after the session starts
        /// (`DriverUIProbe`); off: trust `appInfo.sparkUiUrl` and the requested port.
        public var askDriver = true
        /// Show each cell's Spark jobs from the driver's REST API (else Livy's progress bar).
        public var showJobs = true
        /// The Spark History Server (`SPARK_HISTORY_URL`): job summaries link there too, so a saved
        /// notebook's links work after the session is gone.
        public var historyURL: String?

        public init() {}
    }
}
