import Foundation
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

/// `livy-kernel doctor`: each check's verdict and fix, and the sequence against `FakeLivy`.
@Suite struct DoctorVerdictTests {
    let target = DoctorVerdicts.Target(url: "https://livy.example.com:8443/", host: "livy.example.com", port: 8443, isHTTPS: true)

    @Test func lineRendering() {
        let line = DoctorLine.failed("TCP connect", "livy:8998: Connection refused", fix: ["start Livy"])
        #expect(line.rendered == "✗ TCP connect      livy:8998: Connection refused\n    fix: start Livy")
        #expect(DoctorLine.passed("TLS", "ok").rendered == "✓ TLS              ok")
        #expect(DoctorLine.skipped("session", "not started").rendered.hasPrefix("– session"))
        let report = DoctorReport(lines: [.passed("a", ""), .failed("b", "", fix: []), .skipped("c", "")])
        #expect(report.failed)
        #expect(report.summary == "1 check failed: b.")
        #expect(!DoctorReport(lines: [.passed("a", ""), .skipped("c", "")]).failed)
    }

    @Test func configurationError() {
        let error = ConfigurationError(source: "/h/.livykernel/config.json", key: "livy.ca_bundel",
                                       problem: "is not a LivyKernel setting")
        let line = DoctorVerdicts.configuration(.failure(error))
        #expect(line.verdict == .failed)
        #expect(line.found.contains("livy.ca_bundel"))
        #expect(line.fix.first?.contains("/h/.livykernel/config.json") == true)
        let ok = DoctorVerdicts.configuration(.success((KernelConfiguration(), .init(file: nil))))
        #expect(ok.verdict == .passed)
        #expect(ok.found.contains("environment"))
    }

    @Test func urlChecks() {
        let (missing, none) = DoctorVerdicts.url(nil, configPath: "/h/.livykernel/config.json")
        #expect(missing.verdict == .failed && none == nil)
        #expect(missing.fix.joined().contains("LIVY_URL"))
        #expect(missing.fix.joined().contains("/h/.livykernel/config.json"))
        #expect(DoctorVerdicts.url("ftp://x", configPath: nil).0.verdict == .failed)
        #expect(DoctorVerdicts.url("not a url", configPath: nil).0.verdict == .failed)
        let (line, parsed) = DoctorVerdicts.url("https://alice:s3cret@gw.example.com/gateway/livy/", configPath: nil)
        #expect(line.verdict == .passed)
        #expect(!line.rendered.contains("s3cret"))
        #expect(parsed == DoctorVerdicts.Target(url: "https://alice:s3cret@gw.example.com/gateway/livy/",
                                                host: "gw.example.com", port: 443, isHTTPS: true))
        #expect(DoctorVerdicts.url("http://livy:8998", configPath: nil).1?.port == 8998)
        #expect(DoctorVerdicts.url("http://[::1]:8998", configPath: nil).1?.host == "::1")
    }

    @Test func networkLines() {
        let unresolved = DoctorVerdicts.resolution(host: "livy.nowhere", .failure(.init("Name or service not known")))
        #expect(unresolved.verdict == .failed)
        #expect(unresolved.fix.joined().contains("getent hosts livy.nowhere"))
        #expect(DoctorVerdicts.resolution(host: "h", .success(["10.0.0.1"])).found == "h → 10.0.0.1")
        let refused = DoctorVerdicts.connection(target, timeout: .seconds(10), .failure(.init("Connection refused")))
        #expect(refused.verdict == .failed)
        #expect(refused.found == "livy.example.com:8443: Connection refused")
        #expect(refused.fix.joined().contains("is Livy running"))
        let silent = DoctorVerdicts.connection(target, timeout: .seconds(3), .failure(.init("no answer", timedOut: true)))
        #expect(silent.fix.joined().contains("3 s (livy.connect_timeout_seconds)"))
        #expect(DoctorVerdicts.connection(target, timeout: .seconds(3), .success(.milliseconds(12))).found.contains("12 ms"))
    }

    @Test func tlsLines() {
        let plain = DoctorVerdicts.Target(url: "http://l:8998", host: "l", port: 8998, isHTTPS: false)
        #expect(DoctorVerdicts.tls(plain, verify: true, caBundle: nil, outcome: .success(HTTPResponse(status: 200, body: Data()))).verdict == .skipped)
        let wrongName = DoctorVerdicts.tls(target, verify: true, caBundle: nil, outcome: .failure(HTTPTransportError(
            kind: .tls, message: "SSL: no alternative certificate subject name matches target host name 'localhost'")))
        #expect(wrongName.verdict == .failed)
        #expect(wrongName.fix.joined().contains("does not name the host"))
        let untrusted = DoctorVerdicts.tls(target, verify: true, caBundle: nil, outcome: .failure(HTTPTransportError(
            kind: .tls, message: "SSL certificate problem: unable to get local issuer certificate")))
        #expect(untrusted.fix.joined().contains("livy.ca_bundle"))
        let ok = DoctorVerdicts.tls(target, verify: true, caBundle: "/etc/ca.pem", outcome: .success(HTTPResponse(status: 200, body: Data())))
        #expect(ok.verdict == .passed && ok.found.contains("/etc/ca.pem"))
        // A refused login still means the handshake worked.
        #expect(DoctorVerdicts.tls(target, verify: true, caBundle: nil,
                                   outcome: .failure(HTTPTransportError(kind: .authentication, message: "HTTP 401"))).verdict == .passed)
    }

    @Test func authenticationLines() {
        let refused = HTTPTransportError(kind: .authentication, message: "HTTP 401: Livy refused user 'alice'")
        let basic = DoctorVerdicts.authentication(.basic(username: "alice", password: "hunter2"), outcome: .failure(refused))
        #expect(basic.verdict == .failed)
        #expect(basic.found.contains("basic as 'alice'"))
        #expect(!basic.rendered.contains("hunter2"))
        #expect(basic.fix.joined().contains("LIVY_PASSWORD"))
        let kerberos = DoctorVerdicts.authentication(.kerberos, outcome: .failure(refused))
        #expect(kerberos.fix.joined().contains("kinit"))
        let forbidden = DoctorVerdicts.authentication(.kerberos, outcome: .success(HTTPResponse(status: 403, body: Data("User not authorised to use Livy.".utf8))))
        #expect(forbidden.verdict == .failed && forbidden.found.contains("not authorised"))
        #expect(DoctorVerdicts.authentication(.none, outcome: .success(HTTPResponse(status: 200, body: Data()))).verdict == .passed)
        #expect(DoctorVerdicts.kerberosTicket(valid: false, principal: "alice@TEST").fix == ["run kinit alice@TEST (or set livy.keytab for unattended use)"])
        #expect(DoctorVerdicts.kerberosTicket(valid: false, principal: nil).found == "no ticket in the cache")
        #expect(DoctorVerdicts.kerberosTicket(valid: true, principal: "alice@TEST").verdict == .passed)
        #expect(DoctorVerdicts.kerberosTicket(valid: nil, principal: nil).verdict == .skipped)
    }

    @Test func livyDialect() {
        let version = HTTPResponse(status: 200, body: Data(#"{"version":"0.8.0-incubating","user":"livy"}"#.utf8))
        let list = HTTPResponse(status: 200, body: Data(#"{"from":0,"total":1,"sessions":[{"id":3,"state":"idle"}]}"#.utf8))
        let livy = DoctorVerdicts.livy(version: version, sessions: list)
        #expect(livy.verdict == .passed)
        #expect(livy.found == "Apache Livy 0.8.0-incubating; numeric session ids; 1 session listed")
        let lighter = DoctorVerdicts.livy(version: HTTPResponse(status: 404, body: Data()), sessions: HTTPResponse(
            status: 200, body: Data(#"{"from":0,"total":1,"sessions":[{"id":"0b5c-11","state":"idle"}]}"#.utf8)))
        #expect(lighter.found.contains("string session ids"))
        #expect(lighter.found.contains("no GET /version"))
        let page = DoctorVerdicts.livy(version: nil, sessions: HTTPResponse(status: 200, body: Data("<html>login</html>".utf8)))
        #expect(page.verdict == .failed && page.found.contains("<html>login"))
        #expect(DoctorVerdicts.livy(version: nil, sessions: HTTPResponse(status: 404, body: Data())).verdict == .failed)
    }

    @Test func csrfLines() {
        let jackson = HTTPResponse(status: 400, body: Data(#""Cannot deserialize value of type `int` from String \"doctor\"""#.utf8))
        #expect(DoctorVerdicts.csrf(.success(jackson), createdSession: nil).verdict == .passed)
        let filter = HTTPResponse(status: 400, body: Data("<html><body><h2>HTTP ERROR 400</h2><p>Missing Required Header for CSRF protection.</p></body></html>".utf8))
        let dropped = DoctorVerdicts.csrf(.success(filter), createdSession: nil)
        #expect(dropped.verdict == .failed)
        #expect(dropped.found == "HTTP 400: HTTP ERROR 400 Missing Required Header for CSRF protection.")
        #expect(dropped.fix.joined().contains("X-Requested-By"))
        let created = DoctorVerdicts.csrf(.success(HTTPResponse(status: 201, body: Data())), createdSession: "7")
        #expect(created.verdict == .passed && created.found.contains("session 7, which doctor deleted"))
        #expect(DoctorVerdicts.csrf(.success(HTTPResponse(status: 403, body: Data())), createdSession: nil).verdict == .failed)
    }

    @Test func portsAndProxy() {
        #expect(DoctorVerdicts.ports(4040...4041, free: 0, leased: 2, inUse: 0, unwritable: nil).verdict == .failed)
        #expect(DoctorVerdicts.ports(4040...4139, free: 99, leased: 1, inUse: 0, unwritable: nil).found
                == "99 of 100 free in 4040-4139 (1 leased by live sessions, 0 in use here)")
        #expect(DoctorVerdicts.ports(4040...4139, free: 0, leased: 0, inUse: 0, unwritable: "/x").fix.joined().contains("LIVY_KERNEL_RUNTIME_DIR"))
        #expect(DoctorVerdicts.jupyterExtension(nil).verdict == .skipped)
        let enabled = """
            Config dir: /home/a/.jupyter
            Config dir: /venv/etc/jupyter
                jupyter_lsp enabled
                - Validating jupyter_lsp...
                  jupyter_lsp 2.2.5 OK
                sparkui_proxy enabled
                - Validating sparkui_proxy...
                  sparkui_proxy  OK
            """
        #expect(DoctorVerdicts.jupyterExtension(enabled).verdict == .passed)
        let disabled = DoctorVerdicts.jupyterExtension("    sparkui_proxy disabled\n")
        #expect(disabled.verdict == .failed && disabled.fix == ["jupyter server extension enable sparkui_proxy, then restart Jupyter"])
        let absent = DoctorVerdicts.jupyterExtension("    jupyter_lsp enabled\n")
        #expect(absent.verdict == .failed && absent.fix.joined().contains("pip install ./sparkui_proxy"))
    }

    @Test func driverUILine() {
        let location = DriverUIProbe.Location(host: "10.0.0.5", port: 4041)
        #expect(DoctorVerdicts.driverUI(location, configuredHost: nil, .success("HTTP/1.1 302 Found")).found
                == "http://10.0.0.5:4041/ answers (HTTP/1.1 302 Found)")
        let unreachable = DoctorVerdicts.driverUI(location, configuredHost: nil, .failure(.init("No route to host")))
        #expect(unreachable.verdict == .failed && unreachable.fix.joined().contains("spark_ui.driver_host"))
        #expect(DoctorVerdicts.driverUI(nil, configuredHost: nil, nil).verdict == .failed)
        #expect(DoctorVerdicts.driverUI(.init(host: "h", port: nil), configuredHost: nil, nil).verdict == .skipped)
    }
}

/// The whole sequence against the in-memory Livy, the network seam answering as a healthy host.
@Suite struct DoctorRunTests {
    static func network(jupyter: String? = nil) -> DoctorNetwork {
        DoctorNetwork(resolve: { _ in .success(["10.0.0.9"]) }, connect: { _, _, _ in .success(.milliseconds(1)) },
                      httpGet: { _, _, _ in .success("HTTP/1.1 302 Found") },
                      run: { program, _ in program == "jupyter" ? jupyter.map { (0, $0) } : nil })
    }

    func doctor(_ livy: FakeLivy, session: Bool = false, environment: [String: String]? = nil) throws -> Doctor {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID())")
        return Doctor(environment: environment ?? ["LIVY_URL": livy.baseURL, "HOME": "/nonexistent"], startSession: session,
                      network: Self.network(), transport: { _ in livy }, leases: PortLeaseStore(directory: directory),
                      sessionTimeout: .seconds(20))
    }

    @Test func healthyServer() async throws {
        let livy = FakeLivy()
        let report = try await doctor(livy).run()
        let verdicts = Dictionary(report.lines.map { ($0.check, $0.verdict) }, uniquingKeysWith: { a, _ in a })
        #expect(!report.failed, "\(report.lines.map(\.rendered))")
        #expect(verdicts["configuration"] == .passed)
        #expect(verdicts["TLS"] == .skipped)
        #expect(verdicts["CSRF header"] == .passed)
        #expect(verdicts["session"] == .skipped)
        #expect(verdicts["Spark UI proxy"] == .skipped)
        // The in-memory Livy takes any body: the probe's session is deleted again.
        #expect(await livy.sessionIDs().isEmpty)
    }

    @Test func withSession() async throws {
        let livy = FakeLivy()
        await livy.respond(to: "1+1", with: .text("res0: Int = 2"))
        await livy.respond(to: DriverUIProbe.statement(forSessionKind: "pyspark").code,
                           with: .text("\(DriverUIProbe.marker) http://10.0.0.5:4041 10.0.0.5"))
        let report = try await doctor(livy, session: true).run()
        #expect(!report.failed, "\(report.lines.map(\.rendered))")
        let lines = Dictionary(report.lines.map { ($0.check, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(lines["run 1+1"]?.found == "1+1 → res0: Int = 2")
        #expect(lines["driver UI"]?.found == "http://10.0.0.5:4041/ answers (HTTP/1.1 302 Found)")
        #expect(lines["session delete"]?.verdict == .passed)
        #expect(await livy.sessionIDs().isEmpty)
    }

    @Test func livyDown() async throws {
        let livy = FakeLivy()
        await livy.set(isDown: true)
        let report = try await doctor(livy).run()
        #expect(report.failed)
        let failed = report.lines.filter { $0.verdict == .failed }.map(\.check)
        #expect(failed == ["Livy answers"])
    }

    @Test func csrfHeaderLost() async throws {
        let livy = FakeLivy()
        await livy.failNext("POST", pathSuffix: "/sessions", status: 400,
                            body: "<html><body><p>Missing Required Header for CSRF protection.</p></body></html>")
        let report = try await doctor(livy).run()
        #expect(report.lines.filter { $0.verdict == .failed }.map(\.check) == ["CSRF header"])
    }

    @Test func noConfiguration() async throws {
        let livy = FakeLivy()
        let report = try await doctor(livy, environment: ["HOME": "/nonexistent"]).run()
        #expect(report.lines.filter { $0.verdict == .failed }.map(\.check) == ["Livy URL"])
        #expect(report.lines.first { $0.check == "TCP connect" }?.verdict == .skipped)
    }

    @Test func badConfiguration() async throws {
        let livy = FakeLivy()
        let report = try await doctor(livy, environment: ["HOME": "/nonexistent", "LIVY_VERIFY_TLS": "maybe"]).run()
        #expect(report.lines.first?.verdict == .failed)
        #expect(report.lines.first?.found.contains("LIVY_VERIFY_TLS") == true)
    }
}

@Suite struct DoctorJupyterListingTests {
    @Test func colouredAndBroken() {
        let coloured = "    sparkui_proxy \u{1B}[32menabled\u{1B}[0m\n    - Validating sparkui_proxy...\n      sparkui_proxy 0.1.0 \u{1B}[32mOK\u{1B}[0m\n"
        #expect(DoctorVerdicts.jupyterExtension(coloured).verdict == .passed)
        let broken = "    sparkui_proxy enabled\n    - Validating sparkui_proxy...\n      X is sparkui_proxy importable?\n"
        #expect(DoctorVerdicts.jupyterExtension(broken).found == "sparkui_proxy is enabled but does not load")
    }
}
