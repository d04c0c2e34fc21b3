import Foundation
import JSONValues
import KernelCore
import LivyClient

/// sparkmagic's `config.json`, read when LivyKernel has no config file of its own, so a team can
/// switch kernels without rewriting its setup. Same place as sparkmagic looks:
/// `$SPARKMAGIC_CONF_DIR/$SPARKMAGIC_CONF_FILE` (default `~/.sparkmagic/config.json`).
enum SparkmagicConfig {
    static func path(environment: [String: String]) -> String? {
        let file = environment["SPARKMAGIC_CONF_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "config.json"
        if let dir = environment["SPARKMAGIC_CONF_DIR"], !dir.isEmpty { return dir + "/" + file }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.sparkmagic/" + file
    }

    /// Keys read; anything else is reported as ignored (sparkmagic-only behaviour such as widgets).
    static let understood: Set<String> = [
        "kernel_python_credentials", "kernel_python3_credentials", "kernel_scala_credentials", "kernel_r_credentials",
        "session_configs", "session_configs_defaults", "livy_session_startup_timeout_seconds",
        "livy_server_heartbeat_timeout_seconds", "custom_headers", "ignore_ssl_errors", "default_maxrows",
    ]

    /// Applies the file to `config`; returns the top-level keys it ignored.
    static func apply(_ data: Data, path: String, kind: KernelKind,
                      to config: inout KernelConfiguration) throws(ConfigurationError) -> [String] {
        func invalid(_ key: String, _ problem: String) -> ConfigurationError {
            ConfigurationError(source: path, key: key, problem: problem)
        }
        guard case .object(let root)? = try? JSONParser.parse(data) else {
            throw invalid("(file)", "is not a JSON object")
        }
        let credentialsKey = kind == .scala ? "kernel_scala_credentials" : "kernel_python_credentials"
        if case .object(let credentials)? = root[credentialsKey] {
            if let url = credentials["url"]?.stringValue, !url.isEmpty { config.livyURL = url }
            let username = credentials["username"]?.stringValue ?? ""
            var password = credentials["password"]?.stringValue ?? ""
            if let encoded = credentials["base64_password"]?.stringValue, !encoded.isEmpty {
                guard let decoded = Data(base64Encoded: encoded).map({ String(decoding: $0, as: UTF8.self) }) else {
                    throw invalid("\(credentialsKey).base64_password", "is not base64")
                }
                password = decoded
            }
            let auth = credentials["auth"]?.stringValue ?? (username.isEmpty ? "None" : "Basic_Access")
            switch auth {
            case "None": config.http.authentication = .none
            case "Kerberos": config.http.authentication = .kerberos
            case "Basic_Access": config.http.authentication = .basic(username: username, password: password)
            default: throw invalid("\(credentialsKey).auth", "must be None, Basic_Access or Kerberos, not '\(auth)'")
            }
        }
        // session_configs over session_configs_defaults, conf key by key, as %%configure merges.
        for key in ["session_configs_defaults", "session_configs"] {
            switch root[key] {
            case nil, .null?:
                continue
            case .object(let values)?:
                do {
                    config.session.settings = try SessionSettings.read(values).merged(over: config.session.settings)
                } catch {
                    throw invalid("\(key).\(error.key)", error.problem)
                }
            default:
                throw invalid(key, "must be an object")
            }
        }
        if let seconds = root["livy_session_startup_timeout_seconds"].flatMap(number), seconds > 0 {
            config.session.startupTimeout = .seconds(seconds)
        }
        if let seconds = root["livy_server_heartbeat_timeout_seconds"].flatMap(number), seconds > 0 {
            config.session.settings.heartbeatTimeoutInSecond = Int(seconds)
        }
        if case .object(let headers)? = root["custom_headers"] {
            config.http.headers.merge(headers.compactMapValues(\.stringValue)) { _, later in later }
        }
        if case .bool(true)? = root["ignore_ssl_errors"] { config.http.verifyTLS = false }
        if let rows = root["default_maxrows"].flatMap(number), rows > 0 { config.sqlMaxRows = Int(rows) }
        return root.keys.filter { !understood.contains($0) }.sorted()
    }

    private static func number(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): Int64(number)
        case .double(let number): Int64(number)
        case .string(let text): Int64(text)
        default: nil
        }
    }
}
