public import Foundation
public import LivyClient
import Logging

/// `livy-kernel doctor`: checks, in order, what the kernel needs to work, one line each. Reads the
/// configuration the kernel would use and talks to Livy through the kernel's own HTTP path
/// (libcurl, the same TLS and authentication settings). Creates nothing on the server unless asked
/// (`startSession`), and then deletes what it created.
public struct Doctor: Sendable {
    public var environment: [String: String]
    public var kind: KernelKind
    /// Also start a session, run `1+1` in it, reach the driver's UI, delete it.
    public var startSession: Bool
    public var network: DoctorNetwork
    /// The HTTP transport for the configured settings (tests pass a `FakeLivy`).
    public var transport: @Sendable (HTTPSettings) -> any HTTPTransport
    public var leases: PortLeaseStore
    /// How long a started session may take to become idle; nil: the configured startup timeout.
    public var sessionTimeout: Duration?

    public init(environment: [String: String], kind: KernelKind = .pyspark, startSession: Bool = false,
                network: DoctorNetwork? = nil,
                transport: @escaping @Sendable (HTTPSettings) -> any HTTPTransport = { CurlTransport(settings: $0) },
                leases: PortLeaseStore? = nil, sessionTimeout: Duration? = nil) {
        self.environment = environment
        self.kind = kind
        self.startSession = startSession
        self.network = network ?? .system(environment: environment)
        self.transport = transport
        self.leases = leases ?? PortLeaseStore(directory: PortLeaseStore.defaultDirectory(environment: environment))
        self.sessionTimeout = sessionTimeout
    }

    /// Runs every check; `emit` gets each line as soon as it is known.
    public func run(emit: (DoctorLine) -> Void = { _ in }) async -> DoctorReport {
        var report = DoctorReport()
        func add(_ line: DoctorLine) {
            report.lines.append(line)
            emit(line)
        }
        func skipRest(_ names: [String], _ why: String) {
            for name in names { add(.skipped(name, why)) }
        }
        let serverChecks = ["host resolves", "TCP connect", "TLS", "authentication", "Livy answers", "CSRF header", "session"]

        let loaded: Result<(KernelConfiguration, ConfigurationLoader.Sources), ConfigurationError>
        do {
            loaded = .success(try ConfigurationLoader.load(environment: environment, kind: kind))
        } catch {
            loaded = .failure(error)
        }
        add(DoctorVerdicts.configuration(loaded))
        guard case .success(let (config, _)) = loaded else {
            skipRest(["Livy URL"] + serverChecks + ["Spark UI ports"], "not checked: the configuration does not load")
            add(DoctorVerdicts.jupyterExtension(await extensionListing()))
            return report
        }

        let (urlLine, target) = DoctorVerdicts.url(config.livyURL, configPath: ConfigurationLoader.defaultPath(environment: environment))
        add(urlLine)
        if let target {
            await checkServer(target, config: config, add: add, skipRest: skipRest)
        } else {
            skipRest(serverChecks, "not checked: no Livy URL")
        }
        add(portsLine(config.sparkUI.ports))
        add(DoctorVerdicts.jupyterExtension(await extensionListing()))
        return report
    }

    private func checkServer(_ target: DoctorVerdicts.Target, config: KernelConfiguration,
                             add: (DoctorLine) -> Void, skipRest: ([String], String) -> Void) async {
        let resolved = await network.resolve(target.host)
        add(DoctorVerdicts.resolution(host: target.host, resolved))
        guard case .success = resolved else {
            return skipRest(["TCP connect", "TLS", "authentication", "Livy answers", "CSRF header", "session"],
                            "not checked: the host does not resolve")
        }
        let connected = await network.connect(target.host, target.port, config.http.connectTimeout)
        add(DoctorVerdicts.connection(target, timeout: config.http.connectTimeout, connected))
        guard case .success = connected else {
            return skipRest(["TLS", "authentication", "Livy answers", "CSRF header", "session"], "not checked: no connection")
        }

        if config.http.authentication == .kerberos && config.http.keytab == nil {
            add(await kerberosTicketLine())
        }
        // Before the transport starts its threads: the keytab reaches GSSAPI through the environment.
        config.http.keytab?.activate()
        let http = transport(config.http)
        let base = target.url.hasSuffix("/") ? String(target.url.dropLast()) : target.url
        let listed = await exchange(http, .get, base + "/sessions?from=0&size=20", timeout: config.requestTimeout)
        add(DoctorVerdicts.tls(target, verify: config.http.verifyTLS, caBundle: config.http.caBundle, outcome: listed))
        add(DoctorVerdicts.authentication(config.http.authentication, outcome: listed))
        guard case .success(let sessions) = listed else {
            if failureIsTLSOrAuth(listed) {
                add(.skipped("Livy answers", "not checked: see above"))
            } else {
                add(.failed("Livy answers", "GET /sessions failed: \(failureMessage(listed))",
                            fix: ["Livy accepts connections but does not answer HTTP: check livy.url's port and path"]))
            }
            return skipRest(["CSRF header", "session"], "not checked: Livy does not answer")
        }
        guard sessions.status != 403 else {
            return skipRest(["Livy answers", "CSRF header", "session"], "not checked: Livy refuses this user")
        }
        let version = try? await exchange(http, .get, base + "/version", timeout: config.requestTimeout).get()
        let livyLine = DoctorVerdicts.livy(version: version, sessions: sessions)
        add(livyLine)
        guard livyLine.verdict == .passed else {
            return skipRest(["CSRF header", "session"], "not checked: no Livy answers at this URL")
        }

        let probe = await exchange(http, .post, base + "/sessions", body: DoctorVerdicts.csrfProbeBody, timeout: config.requestTimeout)
        var created: String?
        if case .success(let response) = probe, (200..<300).contains(response.status) {
            created = await deleteCreated(response.body, http: http, base: base)
        }
        let csrfLine = DoctorVerdicts.csrf(probe, createdSession: created)
        add(csrfLine)

        if startSession {
            guard csrfLine.verdict == .passed else {
                return add(.skipped("session", "not started: POST /sessions does not work"))
            }
            let client = LivyHTTPClient(baseURL: target.url, transport: http, retry: .standard,
                                        requestTimeout: config.requestTimeout, logger: Logger(label: "doctor", factory: { _ in SwiftLogNoOpLogHandler() }))
            await DoctorSession(api: client, config: config, kind: kind, environment: environment, network: network,
                                leases: leases, timeout: sessionTimeout ?? config.session.startupTimeout).run(add: add)
        } else {
            add(.skipped("session", "not started (add --session to start one, run 1+1 and reach the driver's UI)"))
        }
    }

    private func exchange(_ http: any HTTPTransport, _ method: HTTPRequest.Method, _ url: String, body: Data? = nil,
                          timeout: Duration) async -> Result<HTTPResponse, HTTPTransportError> {
        var headers = ["X-Requested-By": "livykernel", "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout,
                                  mustNotRepeat: method == .post)
        do {
            return .success(try await http.perform(request))
        } catch {
            return .failure(error)
        }
    }

    private func failureMessage(_ outcome: Result<HTTPResponse, HTTPTransportError>) -> String {
        if case .failure(let error) = outcome { error.message } else { "" }
    }

    private func failureIsTLSOrAuth(_ outcome: Result<HTTPResponse, HTTPTransportError>) -> Bool {
        if case .failure(let error) = outcome { error.kind == .tls || error.kind == .authentication } else { false }
    }

    /// The CSRF probe should create nothing; a server that took it anyway gets its session deleted.
    private func deleteCreated(_ body: Data, http: any HTTPTransport, base: String) async -> String? {
        guard let session = try? JSONDecoder().decode(LivySession.self, from: body) else { return nil }
        _ = await exchange(http, .delete, base + "/sessions/\(session.id.pathSegment)", timeout: .seconds(10))
        return session.id.description
    }

    private func kerberosTicketLine() async -> DoctorLine {
        guard let listing = await network.run("klist", []) else {
            return DoctorVerdicts.kerberosTicket(valid: nil, principal: nil)
        }
        let principal = listing.output.split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("Default principal:") }
            .map { $0.dropFirst("Default principal:".count).trimmingCharacters(in: .whitespaces) }
        guard listing.status == 0 else { return DoctorVerdicts.kerberosTicket(valid: false, principal: nil) }
        let valid = await network.run("klist", ["-s"])?.status == 0
        return DoctorVerdicts.kerberosTicket(valid: valid, principal: principal)
    }

    private func extensionListing() async -> String? {
        await network.run("jupyter", ["server", "extension", "list"])?.output
    }

    /// Counts the ports a new session could lease, as `PortLeaseStore.lease` would choose them.
    private func portsLine(_ range: ClosedRange<Int>) -> DoctorLine {
        do {
            try FileManager.default.createDirectory(at: leases.directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            return DoctorVerdicts.ports(range, free: 0, leased: 0, inUse: 0, unwritable: "\(leases.directory.path): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: leases.directory.path) else {
            return DoctorVerdicts.ports(range, free: 0, leased: 0, inUse: 0, unwritable: leases.directory.path)
        }
        var free = 0, leased = 0, inUse = 0
        for port in range {
            if let holder = leases.read(port: port), PortLeaseStore.processIsAlive(holder.pid) {
                leased += 1
            } else if !PortLeaseStore.loopbackPortIsFree(port) {
                inUse += 1
            } else {
                free += 1
            }
        }
        return DoctorVerdicts.ports(range, free: free, leased: leased, inUse: inUse, unwritable: nil)
    }
}
