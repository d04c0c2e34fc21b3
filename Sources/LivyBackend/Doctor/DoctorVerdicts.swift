import Foundation
import JSONValues
import LivyClient

/// What each of `livy-kernel doctor`'s checks concludes from what it found: the verdict, the words
/// and the fix. Pure, so every verdict is unit-tested; `Doctor` does the I/O.
public enum DoctorVerdicts {
    // MARK: - Configuration

    static func configuration(_ result: Result<(KernelConfiguration, ConfigurationLoader.Sources), ConfigurationError>)
        -> DoctorLine {
        switch result {
        case .failure(let error):
            return .failed("configuration", error.evalue,
                           fix: ["correct '\(error.key)' in \(error.source) (the settings are described in the README)"])
        case .success(let (_, sources)):
            var found = sources.file.map { "read \($0)" } ?? "no config file; environment and defaults only"
            if !sources.ignoredKeys.isEmpty {
                found += " (sparkmagic settings not used: \(sources.ignoredKeys.joined(separator: ", ")))"
            }
            return .passed("configuration", found)
        }
    }

    // MARK: - URL

    /// Where Livy is, as the checks need it.
    public struct Target: Sendable, Equatable {
        public var url: String
        public var host: String
        public var port: Int
        public var isHTTPS: Bool
    }

    static func url(_ configured: String?, configPath: String?) -> (DoctorLine, Target?) {
        guard let configured else {
            return (.failed("Livy URL", "no Livy server is configured",
                            fix: ["export LIVY_URL=http://livy.example.com:8998 (or pin it in the kernelspec: "
                                  + "livy-kernel install --env LIVY_URL=…)"]
                                + (configPath.map { ["or set \"livy\": {\"url\": …} in \($0)"] } ?? [])), nil)
        }
        let shown = RedactedURL.redact(configured)
        let fix = ["livy.url (LIVY_URL) must look like http://livy.example.com:8998 or https://gateway/livy/"]
        guard let parts = URLComponents(string: configured), let scheme = parts.scheme?.lowercased() else {
            return (.failed("Livy URL", "\(shown) is not a URL", fix: fix), nil)
        }
        guard scheme == "http" || scheme == "https" else {
            return (.failed("Livy URL", "\(shown) is not http or https", fix: fix), nil)
        }
        guard var host = parts.host, !host.isEmpty else {
            return (.failed("Livy URL", "\(shown) names no host", fix: fix), nil)
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        return (.passed("Livy URL", shown), Target(url: configured, host: host, port: port, isHTTPS: scheme == "https"))
    }

    // MARK: - Network

    static func resolution(host: String, _ result: Result<[String], DoctorNetwork.Problem>) -> DoctorLine {
        switch result {
        case .success(let addresses):
            let shown = addresses.prefix(3).joined(separator: ", ") + (addresses.count > 3 ? ", …" : "")
            return .passed("host resolves", "\(host) → \(shown)")
        case .failure(let problem):
            return .failed("host resolves", "\(host): \(problem.message)",
                           fix: ["check the host name in livy.url (LIVY_URL); this machine's DNS cannot resolve it "
                                 + "(try: getent hosts \(host))"])
        }
    }

    static func connection(_ target: Target, timeout: Duration, _ result: Result<Duration, DoctorNetwork.Problem>) -> DoctorLine {
        let place = "\(target.host):\(target.port)"
        switch result {
        case .success(let took):
            return .passed("TCP connect", "\(place) (\(milliseconds(took)) ms)")
        case .failure(let problem):
            var fix = ["is Livy running and listening on port \(target.port) of \(target.host)? "
                       + "Check the port in livy.url (Livy's default is 8998)"]
            if problem.timedOut {
                fix = ["nothing answered within \(timeout.components.seconds) s (livy.connect_timeout_seconds): a firewall "
                       + "may drop the packets, or the host is down; check the host and port in livy.url"]
            }
            return .failed("TCP connect", "\(place): \(problem.message)", fix: fix)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    // MARK: - TLS and authentication (from the first HTTP request, GET /sessions)

    /// The TLS line, from the outcome of the first request.
    static func tls(_ target: Target, verify: Bool, caBundle: String?, outcome: Result<HTTPResponse, HTTPTransportError>)
        -> DoctorLine {
        guard target.isHTTPS else { return .skipped("TLS", "plain HTTP, no TLS") }
        switch outcome {
        case .failure(let error) where error.kind == .tls:
            return .failed("TLS", error.message, fix: [LivyRequestFailed.tlsAdvice(error.message)])
        case .failure(let error) where error.kind != .authentication:
            return .skipped("TLS", "not known: the request failed before an answer (\(error.message))")
        default:
            let trust = !verify ? "certificate NOT verified (livy.verify_tls is false)"
                : caBundle.map { "certificate verified against \($0)" } ?? "certificate verified against the system's CAs"
            return .passed("TLS", "handshake OK, \(trust)")
        }
    }

    static func authentication(_ scheme: HTTPSettings.Authentication, outcome: Result<HTTPResponse, HTTPTransportError>)
        -> DoctorLine {
        let name = schemeName(scheme)
        switch outcome {
        case .failure(let error) where error.kind == .authentication:
            return .failed("authentication", "\(name): \(error.message)", fix: [authenticationFix(scheme)])
        case .failure:
            return .skipped("authentication", "not checked: no answer from the server")
        case .success(let response) where response.status == 403:
            return .failed("authentication", "\(name) accepted, but Livy refuses this user (HTTP 403: "
                           + "\(bodyMessage(response.body).prefix(200)))",
                           fix: ["ask the Livy administrator to allow the user (livy.server.access-control.allowed-users)"])
        case .success:
            return .passed("authentication", scheme == .none ? "none configured, none asked for" : "\(name) accepted")
        }
    }

    static func schemeName(_ scheme: HTTPSettings.Authentication) -> String {
        switch scheme {
        case .none: "none"
        case .basic(let username, _): "basic as '\(username)'"
        case .kerberos: "kerberos (SPNEGO)"
        case .bearer(let source): "bearer token from \(source)"
        }
    }

    static func authenticationFix(_ scheme: HTTPSettings.Authentication) -> String {
        switch scheme {
        case .none: "set livy.auth (LIVY_AUTH) to the scheme your Livy or gateway asks for: kerberos, basic or bearer"
        case .basic: "correct livy.username / livy.password (LIVY_USERNAME, LIVY_PASSWORD)"
        case .kerberos: "run kinit (klist shows the ticket), or set livy.keytab; the URL's host must be the one in "
            + "Livy's HTTP principal"
        case .bearer: "make the token source give a current token for this server (livy.token_env, token_file or token_command)"
        }
    }

    /// `klist -s` and `klist`'s default principal, for Kerberos without a keytab.
    static func kerberosTicket(valid: Bool?, principal: String?) -> DoctorLine {
        let who = principal.map { " for \($0)" } ?? ""
        switch valid {
        case nil:
            return .skipped("Kerberos ticket", "not checked: no klist on PATH")
        case true?:
            return .passed("Kerberos ticket", "valid ticket\(who)")
        case false?:
            return .failed("Kerberos ticket", principal == nil ? "no ticket in the cache" : "the ticket\(who) has expired",
                           fix: ["run kinit" + (principal.map { " \($0)" } ?? "") + " (or set livy.keytab for unattended use)"])
        }
    }

    // MARK: - Livy itself

    /// Which server answers: `GET /version` (Apache Livy has it) and the shape of `GET /sessions`.
    static func livy(version: HTTPResponse?, sessions: HTTPResponse) -> DoctorLine {
        guard (200..<300).contains(sessions.status) else {
            return .failed("Livy answers", "GET /sessions → HTTP \(sessions.status): "
                           + String(bodyMessage(sessions.body).prefix(200)),
                           fix: ["check that livy.url is Livy's REST root (with a gateway's base path, e.g. "
                                 + "https://gw/gateway/default/livy)"])
        }
        guard case .object(let list)? = try? JSONParser.parse(sessions.body), case .array(let items)? = list["sessions"] else {
            let start = String(decoding: sessions.body.prefix(80), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ")
            return .failed("Livy answers", "GET /sessions is not Livy's session list (starts with: \(start))",
                           fix: ["livy.url points at something else (a login page, a UI): use Livy's REST root"])
        }
        var found = serverName(version)
        let ids = items.compactMap { item -> JSONValue? in if case .object(let o) = item { o["id"] } else { nil } }
        if ids.contains(where: { if case .string = $0 { true } else { false } }) {
            found += "; string session ids (a Livy-shaped server such as Lighter)"
        } else if !ids.isEmpty {
            found += "; numeric session ids"
        }
        let total: Int? = if case .int(let n)? = list["total"] { n } else { nil }
        found += "; \(total ?? items.count) session\((total ?? items.count) == 1 ? "" : "s") listed"
        return .passed("Livy answers", found)
    }

    static func serverName(_ version: HTTPResponse?) -> String {
        guard let version, version.status == 200, case .object(let info)? = try? JSONParser.parse(version.body),
              case .string(let number)? = info["version"] else {
            return "a Livy-shaped server (no GET /version: not Apache Livy, or a gateway hides it)"
        }
        return "Apache Livy \(number)"
    }

    /// An error body's message in any of Livy's shapes: `{"msg": …}`, a bare JSON string, HTML or text.
    static func bodyMessage(_ body: Data) -> String {
        switch try? JSONParser.parse(body) {
        case .object(let object)?:
            if case .string(let message)? = object["msg"] { return message }
        case .string(let message)?:
            return message
        default:
            break
        }
        var text = String(decoding: body.prefix(2000), as: UTF8.self)
        text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: - CSRF

    /// The probe: `POST /sessions` with a body Livy's parser must refuse (`kind` must be a string,
    /// `numExecutors` a number), so nothing is created. Livy's CSRF filter runs first: had the
    /// `X-Requested-By` header been lost on the way, the 400 would be its message instead.
    static let csrfProbeBody = Data(#"{"kind": 1, "numExecutors": "doctor"}"#.utf8)

    static func csrf(_ outcome: Result<HTTPResponse, HTTPTransportError>, createdSession: String?) -> DoctorLine {
        switch outcome {
        case .failure(let error):
            return .failed("CSRF header", "POST /sessions failed: \(error.message)",
                           fix: ["if GET works but POST does not, a proxy between here and Livy refuses POST requests"])
        case .success(let response):
            let message = String(bodyMessage(response.body).prefix(160))
            if (200..<300).contains(response.status) {
                return .passed("CSRF header", "POST accepted (the server took an invalid body and created session "
                               + "\(createdSession ?? "?"), which doctor deleted)")
            }
            if message.localizedCaseInsensitiveContains("CSRF") {
                return .failed("CSRF header", "HTTP \(response.status): \(message)",
                               fix: ["Livy did not get the X-Requested-By header the kernel sends: a proxy or gateway "
                                     + "drops it; have it passed through (or add it in livy.headers if the gateway renames it)"])
            }
            switch response.status {
            case 400:
                return .passed("CSRF header", "POST reaches Livy's request parser (its 400 for the probe's invalid body)")
            case 401, 403:
                return .failed("CSRF header", "POST /sessions refused: HTTP \(response.status) \(message)",
                               fix: ["this user may read but not create sessions: ask the Livy administrator"])
            default:
                return .failed("CSRF header", "POST /sessions → HTTP \(response.status): \(message)",
                               fix: ["the server's log says why POST /sessions fails"])
            }
        }
    }

    // MARK: - Spark UI ports and the proxy

    static func ports(_ range: ClosedRange<Int>, free: Int, leased: Int, inUse: Int, unwritable: String?) -> DoctorLine {
        let name = "\(range.lowerBound)-\(range.upperBound)"
        if let unwritable {
            return .failed("Spark UI ports", "cannot write leases: \(unwritable)",
                           fix: ["make the directory writable, or set LIVY_KERNEL_RUNTIME_DIR to one that is"])
        }
        let found = "\(free) of \(range.count) free in \(name) (\(leased) leased by live sessions, \(inUse) in use here)"
        guard free > 0 else {
            return .failed("Spark UI ports", found,
                           fix: ["widen spark_ui.ports (LIVY_KERNEL_UI_PORTS), or stop idle sessions (%%delete, kernel shutdown)"])
        }
        return .passed("Spark UI ports", found)
    }

    /// From `jupyter server extension list` (its report goes to stderr; both streams are passed).
    static func jupyterExtension(_ listing: String?) -> DoctorLine {
        guard let listing else {
            return .skipped("Spark UI proxy", "not checked: no jupyter on PATH")
        }
        // Without the colours jupyter puts around "enabled" and "OK".
        let plain = listing.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        let lines = plain.split(whereSeparator: \.isNewline).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        let mentions = lines.filter { $0.contains("sparkui_proxy") }
        let install = "pip install ./sparkui_proxy && jupyter server extension enable sparkui_proxy, then restart Jupyter"
        guard !mentions.isEmpty else {
            return .failed("Spark UI proxy", "the sparkui_proxy server extension is not installed",
                           fix: [install + " (the Spark UI links need it)"])
        }
        if mentions.contains(where: { $0.contains("disabled") }) || !mentions.contains(where: { $0.contains("enabled") }) {
            return .failed("Spark UI proxy", "the sparkui_proxy server extension is installed but not enabled",
                           fix: ["jupyter server extension enable sparkui_proxy, then restart Jupyter"])
        }
        if mentions.contains(where: { $0.hasPrefix("x ") || $0.contains("error") || $0.contains("not ok") }) {
            return .failed("Spark UI proxy", "sparkui_proxy is enabled but does not load",
                           fix: ["run jupyter server extension list to see the import error; reinstall: " + install])
        }
        return .passed("Spark UI proxy", "sparkui_proxy server extension enabled")
    }

    // MARK: - The session (--session)

    static func driverUI(_ location: DriverUIProbe.Location?, configuredHost: String?,
                         _ result: Result<String, DoctorNetwork.Problem>?) -> DoctorLine {
        guard let location else {
            return .failed("driver UI", "the driver did not say where its Spark UI is",
                           fix: ["the session log may say why; the Spark UI link will fall back to Livy's appInfo"])
        }
        guard let port = location.port else {
            return .skipped("driver UI", "driver host \(location.host), UI port not known (a SQL session)")
        }
        let host = configuredHost ?? location.host
        switch result {
        case .success(let status)?:
            return .passed("driver UI", "http://\(host):\(port)/ answers (\(status))")
        case .failure(let problem)?:
            return .failed("driver UI", "http://\(host):\(port)/: \(problem.message)",
                           fix: [configuredHost == nil
                                 ? "the driver's host \(location.host) is not reachable from here: set spark_ui.driver_host "
                                   + "to an address of it that is, or open port \(port) in the firewall"
                                 : "spark_ui.driver_host \(host) does not reach the driver: correct it or remove it"])
        case nil:
            return .skipped("driver UI", "not checked")
        }
    }
}
