public import Foundation
import JSONValues
import KernelCore
import LivyClient

/// Merges defaults, the config file and the environment into a `KernelConfiguration`.
///
/// Pure: the file's bytes and the environment are passed in, so precedence is unit-tested.
/// The file is JSON, by default `~/.livykernel/config.json` (or `$LIVY_KERNEL_CONFIG`):
///
///     {"livy": {"url": "http://livy:8998", "auth": "kerberos", "verify_tls": true,
///               "ca_bundle": "/etc/ssl/ca.pem", "headers": {"X-Gateway": "a"},
///               "connect_timeout_seconds": 10, "request_timeout_seconds": 60},
///      "session": {"eager_start": true, "startup_timeout_seconds": 600,
///                  "conf": {"spark.sql.shuffle.partitions": "8"}, "driverMemory": "2g",
///                  "executorMemory": "4g", "numExecutors": 2, "proxyUser": "alice"},
///      "spark_ui": {"ports": "4040-4139", "base_url": "/", "user": "alice", "driver_host": null,
///                   "jobs": true, "history_url": "https://spark-history.example.com:18080"},
///      "sql": {"max_rows": 1000}}
public enum ConfigurationLoader {
    public static func defaultPath(environment: [String: String]) -> String? {
        if let path = environment["LIVY_KERNEL_CONFIG"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.livykernel/config.json"
    }

    /// What `load` read, besides the configuration itself (for the log).
    public struct Sources: Sendable, Equatable {
        /// The file used: LivyKernel's own, or sparkmagic's when ours is absent; nil for none.
        public var file: String?
        /// Top-level keys of a sparkmagic file that LivyKernel does not use.
        public var ignoredKeys: [String] = []
    }

    /// Reads LivyKernel's config file if it exists, else sparkmagic's `config.json` if that exists,
    /// then applies the environment.
    public static func load(environment: [String: String], kind: KernelKind = .pyspark)
        throws(ConfigurationError) -> (KernelConfiguration, Sources) {
        if let path = defaultPath(environment: environment), let data = FileManager.default.contents(atPath: path) {
            return (try merge(file: (path, data), environment: environment), Sources(file: path))
        }
        if let path = SparkmagicConfig.path(environment: environment), let data = FileManager.default.contents(atPath: path) {
            var config = KernelConfiguration()
            let ignored = try SparkmagicConfig.apply(data, path: path, kind: kind, to: &config)
            try EnvironmentReader(environment: environment).apply(to: &config)
            try settle(&config, source: path)
            return (config, Sources(file: path, ignoredKeys: ignored))
        }
        return (try merge(file: nil, environment: environment), Sources())
    }

    public static func merge(file: (path: String, data: Data)?, environment: [String: String])
        throws(ConfigurationError) -> KernelConfiguration {
        var config = KernelConfiguration()
        if let file {
            let root: JSONValue
            do {
                root = try JSONParser.parse(file.data)
            } catch {
                throw ConfigurationError(source: file.path, key: "(file)", problem: "is not valid JSON")
            }
            let reader = FileReader(path: file.path, root: root)
            try reader.apply(to: &config)
        }
        try EnvironmentReader(environment: environment).apply(to: &config)
        try settle(&config, source: file?.path ?? "environment")
        return config
    }

    /// Rules between settings: a keytab means Kerberos.
    static func settle(_ config: inout KernelConfiguration, source: String) throws(ConfigurationError) {
        guard let keytab = config.http.keytab else { return }
        guard FileManager.default.isReadableFile(atPath: keytab.path) else {
            throw ConfigurationError(source: source, key: "livy.keytab",
                                     problem: "names \(keytab.path), which does not exist or cannot be read")
        }
        switch config.http.authentication {
        case .none: config.http.authentication = .kerberos
        case .kerberos: break
        case .basic, .bearer:
            throw ConfigurationError(source: source, key: "livy.keytab",
                                     problem: "is for Kerberos, but livy.auth names another scheme")
        }
    }
}

/// Reads the JSON config file, naming the key of any bad value.
private struct FileReader {
    let path: String
    let root: JSONValue

    init(path: String, root: JSONValue) {
        self.path = path
        self.root = root
    }

    func error(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(source: path, key: key, problem: problem)
    }

    func section(_ name: String) throws(ConfigurationError) -> [String: JSONValue] {
        guard case .object(let top) = root else { throw error("(file)", "must be a JSON object") }
        switch top[name] {
        case nil, .null?: return [:]
        case .object(let section)?: return section
        default: throw error(name, "must be an object")
        }
    }

    func string(_ section: [String: JSONValue], _ name: String, in sectionName: String) throws(ConfigurationError) -> String? {
        switch section[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw error("\(sectionName).\(name)", "must be a string")
        }
    }

    func int(_ section: [String: JSONValue], _ name: String, in sectionName: String) throws(ConfigurationError) -> Int? {
        switch section[name] {
        case nil, .null?: return nil
        case .int(let value)?: return value
        default: throw error("\(sectionName).\(name)", "must be an integer")
        }
    }

    func bool(_ section: [String: JSONValue], _ name: String, in sectionName: String) throws(ConfigurationError) -> Bool? {
        switch section[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw error("\(sectionName).\(name)", "must be true or false")
        }
    }

    func stringMap(_ section: [String: JSONValue], _ name: String, in sectionName: String) throws(ConfigurationError) -> [String: String]? {
        switch section[name] {
        case nil, .null?: return nil
        case .object(let values)?:
            var out: [String: String] = [:]
            for (key, value) in values {
                switch value {
                case .string(let string): out[key] = string
                case .int(let number): out[key] = String(number)
                case .bool(let flag): out[key] = String(flag)
                default: throw error("\(sectionName).\(name).\(key)", "must be a string")
                }
            }
            return out
        default: throw error("\(sectionName).\(name)", "must be an object of strings")
        }
    }

    /// The keys each section reads: anything else is a typo (`ca_bundel`) that would otherwise
    /// be ignored without a word. `session` is checked by `SessionSettings.read`.
    static let knownKeys: [String: [String]] = [
        "livy": ["url", "auth", "username", "password", "token_env", "token_file", "token_command", "keytab",
                 "principal", "verify_tls", "ca_bundle", "headers", "connect_timeout_seconds", "request_timeout_seconds"],
        "spark_ui": ["ports", "base_url", "user", "driver_host", "ask_driver", "jobs", "history_url"],
        "sql": ["max_rows"],
    ]

    private func checkKeys() throws(ConfigurationError) {
        guard case .object(let top) = root else { throw error("(file)", "must be a JSON object") }
        for name in top.keys.sorted() where Self.knownKeys[name] == nil && name != "session" {
            throw error(name, "is not a LivyKernel setting section; known: livy, session, spark_ui, sql")
        }
        for (name, known) in Self.knownKeys.sorted(by: { $0.key < $1.key }) {
            for key in try section(name).keys.sorted() where !known.contains(key) {
                throw error("\(name).\(key)", "is not a LivyKernel setting; known: " + known.joined(separator: ", "))
            }
        }
    }

    func apply(to config: inout KernelConfiguration) throws(ConfigurationError) {
        try checkKeys()
        let livy = try section("livy")
        if let url = try string(livy, "url", in: "livy") { config.livyURL = url }
        let username = try string(livy, "username", in: "livy")
        let password = try string(livy, "password", in: "livy")
        if let auth = try string(livy, "auth", in: "livy") {
            let token = Authentication.TokenOptions(environment: try string(livy, "token_env", in: "livy"),
                                                    file: try string(livy, "token_file", in: "livy"),
                                                    command: try string(livy, "token_command", in: "livy"))
            config.http.authentication = try Authentication.parse(auth, username: username, password: password,
                                                                  token: token) { problem in
                error("livy.auth", problem)
            }
        }
        if let keytab = try string(livy, "keytab", in: "livy") {
            config.http.keytab = KerberosKeytab(path: keytab, principal: try string(livy, "principal", in: "livy"))
        }
        if let verify = try bool(livy, "verify_tls", in: "livy") { config.http.verifyTLS = verify }
        if let bundle = try string(livy, "ca_bundle", in: "livy") { config.http.caBundle = bundle }
        if let headers = try stringMap(livy, "headers", in: "livy") { config.http.headers = headers }
        if let seconds = try int(livy, "connect_timeout_seconds", in: "livy") {
            guard seconds > 0 else { throw error("livy.connect_timeout_seconds", "must be positive") }
            config.http.connectTimeout = .seconds(seconds)
        }
        if let seconds = try int(livy, "request_timeout_seconds", in: "livy") {
            guard seconds > 0 else { throw error("livy.request_timeout_seconds", "must be positive") }
            config.requestTimeout = .seconds(seconds)
        }

        var session = try section("session")
        if let eager = try bool(session, "eager_start", in: "session") { config.session.eagerStart = eager }
        if let seconds = try int(session, "startup_timeout_seconds", in: "session") {
            guard seconds > 0 else { throw error("session.startup_timeout_seconds", "must be positive") }
            config.session.startupTimeout = .seconds(seconds)
        }
        if let seconds = try int(session, "idle_timeout_seconds", in: "session") {
            guard seconds > 0 else { throw error("session.idle_timeout_seconds", "must be positive") }
            config.session.idleTimeout = .seconds(seconds)
        }
        if let keep = try bool(session, "keep_on_restart", in: "session") { config.session.keepOnRestart = keep }
        if let allow = try bool(session, "allow_proxy_user_override", in: "session") {
            config.session.allowProxyUserOverride = allow
        }
        for key in ["eager_start", "startup_timeout_seconds", "idle_timeout_seconds", "keep_on_restart",
                    "allow_proxy_user_override"] { session[key] = nil }
        do {
            config.session.settings = try SessionSettings.read(session).merged(over: config.session.settings)
        } catch {
            throw self.error("session.\(error.key)", error.problem)
        }

        let ui = try section("spark_ui")
        if let ports = try string(ui, "ports", in: "spark_ui") {
            guard let range = PortRange.parse(ports) else {
                throw error("spark_ui.ports", "must look like 4040-4139 (first-last, 1024-65535)")
            }
            config.sparkUI.ports = range
        }
        if let base = try string(ui, "base_url", in: "spark_ui") { config.sparkUI.baseURL = base }
        config.sparkUI.user = try string(ui, "user", in: "spark_ui") ?? config.sparkUI.user
        config.sparkUI.driverHost = try string(ui, "driver_host", in: "spark_ui") ?? config.sparkUI.driverHost
        config.sparkUI.askDriver = try bool(ui, "ask_driver", in: "spark_ui") ?? config.sparkUI.askDriver
        config.sparkUI.showJobs = try bool(ui, "jobs", in: "spark_ui") ?? config.sparkUI.showJobs
        config.sparkUI.historyURL = try string(ui, "history_url", in: "spark_ui") ?? config.sparkUI.historyURL

        let sql = try section("sql")
        if let rows = try int(sql, "max_rows", in: "sql") {
            guard rows > 0 else { throw error("sql.max_rows", "must be positive") }
            config.sqlMaxRows = rows
        }
    }
}

/// Reads `LIVY_*` environment variables; they win over the file.
private struct EnvironmentReader {
    let environment: [String: String]

    func value(_ name: String) -> String? {
        guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    func error(_ name: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(source: "environment variable \(name)", key: name, problem: problem)
    }

    func apply(to config: inout KernelConfiguration) throws(ConfigurationError) {
        if let url = value("LIVY_URL") { config.livyURL = url }
        if let auth = value("LIVY_AUTH") {
            let token = Authentication.TokenOptions(environment: value("LIVY_TOKEN_ENV"), file: value("LIVY_TOKEN_FILE"),
                                                    command: value("LIVY_TOKEN_COMMAND"))
            config.http.authentication = try Authentication.parse(
                auth, username: value("LIVY_USERNAME"), password: value("LIVY_PASSWORD"), token: token) { problem in
                error("LIVY_AUTH", problem)
            }
        }
        if let keytab = value("LIVY_KEYTAB") {
            config.http.keytab = KerberosKeytab(path: keytab, principal: value("LIVY_PRINCIPAL") ?? config.http.keytab?.principal)
        }
        if let bundle = value("LIVY_CA_BUNDLE") { config.http.caBundle = bundle }
        if let verify = value("LIVY_VERIFY_TLS") {
            guard let flag = Bool(verify.lowercased()) else { throw error("LIVY_VERIFY_TLS", "must be true or false") }
            config.http.verifyTLS = flag
        }
        if let eager = value("LIVY_KERNEL_EAGER_START") {
            guard let flag = Bool(eager.lowercased()) else { throw error("LIVY_KERNEL_EAGER_START", "must be true or false") }
            config.session.eagerStart = flag
        }
        if let seconds = value("LIVY_KERNEL_STARTUP_TIMEOUT") {
            guard let number = Int(seconds), number > 0 else { throw error("LIVY_KERNEL_STARTUP_TIMEOUT", "must be a positive number of seconds") }
            config.session.startupTimeout = .seconds(number)
        }
        if let keep = value("LIVY_KERNEL_KEEP_ON_RESTART") {
            guard let flag = Bool(keep.lowercased()) else { throw error("LIVY_KERNEL_KEEP_ON_RESTART", "must be true or false") }
            config.session.keepOnRestart = flag
        }
        if let ports = value("LIVY_KERNEL_UI_PORTS") {
            guard let range = PortRange.parse(ports) else { throw error("LIVY_KERNEL_UI_PORTS", "must look like 4040-4139") }
            config.sparkUI.ports = range
        }
        if let proxyUser = value("LIVY_PROXY_USER") { config.session.settings.proxyUser = proxyUser }
        if let user = value("LIVY_KERNEL_USER") { config.sparkUI.user = user }
        if let history = value("SPARK_HISTORY_URL") { config.sparkUI.historyURL = history }
        if let base = value("LIVY_KERNEL_BASE_URL") ?? value("JUPYTERHUB_SERVICE_PREFIX") { config.sparkUI.baseURL = base }
    }
}

enum Authentication {
    /// Where a bearer token comes from: exactly one of these.
    struct TokenOptions {
        var environment: String?
        var file: String?
        var command: String?
    }

    static func parse(_ name: String, username: String?, password: String?, token: TokenOptions = TokenOptions(),
                      error: (String) -> ConfigurationError) throws(ConfigurationError) -> HTTPSettings.Authentication {
        switch name.lowercased() {
        case "none": return .none
        case "kerberos": return .kerberos
        case "basic":
            guard let username, let password else { throw error("basic needs a username and a password") }
            return .basic(username: username, password: password)
        case "bearer":
            let sources: [BearerTokenSource] = [token.environment.map { .environment($0) }, token.file.map { .file($0) },
                                                token.command.map { .command($0) }].compactMap { $0 }
            guard sources.count == 1, let source = sources.first else {
                throw error("bearer needs exactly one token source: token_env (LIVY_TOKEN_ENV), token_file "
                            + "(LIVY_TOKEN_FILE) or token_command (LIVY_TOKEN_COMMAND)")
            }
            return .bearer(source)
        default: throw error("must be none, basic, kerberos or bearer, not '\(name)'")
        }
    }
}

enum PortRange {
    static func parse(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let first = parts[0], let last = parts[1],
              first >= 1024, last <= 65535, first <= last else { return nil }
        return first...last
    }
}
