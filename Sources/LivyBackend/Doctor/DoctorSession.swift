import Foundation
import JSONValues
import KernelCore
import LivyClient
import Logging

/// `doctor --session`: starts a session as the kernel would (its settings, a leased Spark UI port),
/// runs `1+1`, asks the driver where its UI is and reaches it from this host, then deletes the
/// session and gives the port back, whatever happened.
struct DoctorSession {
    let api: any LivyAPI
    let config: KernelConfiguration
    let kind: KernelKind
    let environment: [String: String]
    let network: DoctorNetwork
    let leases: PortLeaseStore
    let timeout: Duration

    private var logger: Logger { Logger(label: "doctor", factory: { _ in SwiftLogNoOpLogHandler() }) }

    func run(add: (DoctorLine) -> Void) async {
        let user = SparkUILink.user(configured: config.sparkUI.user, environment: environment)
        let record = try? leases.lease(SparkUIRecord(user: user, port: 0, pid: getpid(), livyURL: api.baseURL), in: config.sparkUI.ports)
        defer { if let record { leases.release(port: record.port) } }

        var settings = config.session.settings
        if settings.name == nil { settings.name = "livykernel-doctor-\(UInt32.random(in: 0...UInt32.max))" }
        if settings.heartbeatTimeoutInSecond == nil { settings.heartbeatTimeoutInSecond = SessionManager.defaultHeartbeatTimeout }
        if let port = record?.port {
            settings.conf = (settings.conf ?? [:]).merging([
                "spark.ui.port": String(port),
                "spark.ui.proxyBase": SparkUILink.proxyBase(baseURL: config.sparkUI.baseURL, user: user, port: port),
            ]) { _, doctors in doctors }
        }
        let starter = SessionStarter(api: api, logger: logger, statePollInterval: .milliseconds(500), startupTimeout: timeout)
        let began = ContinuousClock.now
        let created: SessionStarter.Created
        do {
            created = try await starter.create(CreateSessionRequest(kind: kind.livyKind, settings: settings))
        } catch {
            add(.failed("session", "POST /sessions: \(Self.describe(error))", fix: Self.startFix(error)))
            return skip(add, "no session")
        }
        let id = created.session.id
        var deleted = false
        do {
            let session = try await starter.waitUntilReady(created.session) { _ in }
            let dropped = created.dropped.isEmpty ? "" : "; the server does not know \(created.dropped.joined(separator: ", ")), left out"
            add(.passed("session", "session \(session.id) (\(kind.livyKind)) \(session.state) after "
                        + "\((ContinuousClock.now - began).components.seconds) s\(dropped)"))
            add(await runStatement(id))
            if config.sparkUI.askDriver {
                let location = await DriverUIProbe(api: api, logger: logger).locate(sessionID: id, sessionKind: kind.livyKind)
                var reached: Result<String, DoctorNetwork.Problem>?
                if let location, let port = location.port {
                    reached = await network.httpGet(config.sparkUI.driverHost ?? location.host, port, config.http.connectTimeout)
                }
                add(DoctorVerdicts.driverUI(location, configuredHost: config.sparkUI.driverHost, reached))
            } else {
                add(.skipped("driver UI", "not asked (spark_ui.ask_driver is false)"))
            }
        } catch {
            add(.failed("session", "session \(id) did not start: \(Self.describe(error))", fix: Self.startFix(error)))
            skip(add, "the session did not start")
        }
        do {
            try await api.deleteSession(id: id)
            deleted = true
        } catch {
            add(.failed("session delete", "session \(id): \(error)", fix: ["delete it yourself: curl -X DELETE …/sessions/\(id.pathSegment)"]))
        }
        if deleted { add(.passed("session delete", "session \(id) deleted")) }
    }

    private func skip(_ add: (DoctorLine) -> Void, _ why: String) {
        add(.skipped("run 1+1", "not checked: \(why)"))
        add(.skipped("driver UI", "not checked: \(why)"))
    }

    private func runStatement(_ id: LivyID) async -> DoctorLine {
        let code = kind == .sql ? "SELECT 1+1" : "1+1"
        do {
            var statement = try await api.submitStatement(sessionID: id, code: code, kind: kind.livyKind)
            let deadline = ContinuousClock.now + .seconds(120)
            var poll = 0
            while !statement.state.isFinal {
                guard ContinuousClock.now < deadline else {
                    return .failed("run 1+1", "no result within 120 s", fix: ["the session log says why the driver is stuck"])
                }
                try await Task.sleep(for: PollSchedule().delay(beforePoll: poll))
                poll += 1
                statement = try await api.statement(sessionID: id, statementID: statement.id)
            }
            switch statement.output {
            case .ok(_, let data)?:
                let text = data["text/plain"]?.stringValue ?? data.keys.sorted().joined(separator: ", ")
                let shown = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? text
                return .passed("run 1+1", "\(code) → \(shown.trimmingCharacters(in: .whitespaces))")
            case .error(_, let ename, let evalue, _)?:
                return .failed("run 1+1", "\(ename): \(evalue)", fix: ["the session starts but cannot run code: see its log"])
            case nil:
                return .failed("run 1+1", "statement ended \(statement.state) without output", fix: ["see the session log"])
            }
        } catch {
            return .failed("run 1+1", Self.describe(error), fix: ["see the session log"])
        }
    }

    static func describe(_ error: any Error) -> String {
        if let reportable = error as? any JupyterReportableError { return reportable.evalue }
        return "\(error)"
    }

    static func startFix(_ error: any Error) -> [String] {
        if let failed = error as? SessionStartFailed {
            return ["the session's settings (session.* in the config) or the cluster: last log lines: "
                    + failed.logTail.suffix(3).joined(separator: " | ")]
        }
        if error is SessionStartTimedOut {
            return ["the cluster may lack resources; raise session.startup_timeout_seconds if it is just slow"]
        }
        return ["the Livy server's log says why"]
    }
}

