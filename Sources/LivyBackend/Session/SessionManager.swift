import JupyterProtocol
import Foundation
import KernelCore
import LivyClient
import Logging

/// Owns the notebook's Livy session: starts it (eagerly in the background, or when a cell first
/// needs it), shows its start-up in the waiting cell, notices when it is gone, and deletes it at
/// shutdown. One session at a time.
actor SessionManager {
    private enum Phase {
        case none
        case starting(Task<ActiveSession, any Error>)
        case ready(ActiveSession)
    }

    /// Start-up progress, read by waiting cells to update their display.
    struct StartStatus: Sendable {
        var sessionID: Int?
        var state: String
        var startedAt: ContinuousClock.Instant
    }

    private let api: any LivyAPI
    private let config: KernelConfiguration
    private let sessionKind: String
    private let owner: SessionOwner
    private let leases: PortLeaseStore
    private let logger: Logger
    private let statePollInterval: Duration

    private var phase = Phase.none
    /// `%%configure` settings for the sessions created from now on (merged over the configured ones).
    private(set) var overrides = SessionSettings()
    /// Every session this kernel created (`%%cleanup` may delete the ones it no longer uses).
    private(set) var createdIDs: Set<Int> = []
    private var startStatus: StartStatus?
    /// Whether some cell has shown the ready session (link and ids) yet.
    private var announced = false

    init(api: any LivyAPI, config: KernelConfiguration, sessionKind: String, owner: SessionOwner, leases: PortLeaseStore,
         logger: Logger, statePollInterval: Duration = .milliseconds(250)) {
        self.api = api
        self.config = config
        self.sessionKind = sessionKind
        self.owner = owner
        self.leases = leases
        self.logger = logger
        self.statePollInterval = statePollInterval
    }

    /// Starts the session without waiting for it (eager start at kernel launch).
    func startInBackground() {
        if case .none = phase { _ = beginStart() }
    }

    /// The ready session, starting one if needed. While it starts, `output` shows the state and
    /// elapsed time, updated in place; once ready (the first time), the session's ids and Spark UI link.
    /// Cancelling the caller abandons the wait; the start goes on for the next cell.
    func session(output: OutputPublisher) async throws -> ActiveSession {
        let task: Task<ActiveSession, any Error>
        switch phase {
        case .ready(let session):
            announceOnce(session, output: output, displayID: nil)
            return session
        case .starting(let running):
            task = running
        case .none:
            task = beginStart()
        }
        let displayID = UUID().uuidString
        output.display(startingBundle(), displayID: displayID)
        var lastUpdate = ContinuousClock.now
        // Poll our own task (no network) so cancellation of this cell is noticed at once.
        while true {
            switch phase {
            case .ready(let session):
                announceOnce(session, output: output, displayID: displayID)
                return session
            case .none:
                // The start failed: its error is the task's.
                _ = try await task.value
                throw CancellationError()
            case .starting:
                try await Task.sleep(for: .milliseconds(20))
                if ContinuousClock.now - lastUpdate >= .seconds(1) {
                    output.updateDisplay(startingBundle(), displayID: displayID)
                    lastUpdate = .now
                }
            }
        }
    }

    /// Forgets a session that is gone on the server, so the next request starts a new one.
    func sessionLost(_ id: Int) {
        if case .ready(let session) = phase, session.id == id {
            phase = .none
            announced = false
            if let record = session.uiRecord { leases.release(port: record.port) }
        }
    }

    /// Whether a session is running or starting.
    var isActive: Bool {
        if case .none = phase { false } else { true }
    }

    /// Takes `%%configure` settings. With a session running or starting, `force` deletes it (the
    /// next request starts one with the new settings); without `force` nothing changes.
    func configure(_ new: SessionSettings, force: Bool) async -> Bool {
        if isActive {
            guard force else { return false }
            await shutdown()
            announced = false
        }
        overrides = new
        return true
    }

    /// The current session, if one is ready.
    var current: ActiveSession? {
        if case .ready(let session) = phase { session } else { nil }
    }

    /// Deletes the session (or abandons its start) and gives back the UI port.
    func shutdown() async {
        switch phase {
        case .ready(let session):
            await delete(session.id, record: session.uiRecord)
        case .starting(let task):
            task.cancel()
            if let id = startStatus?.sessionID { await delete(id, record: nil) }
        case .none:
            break
        }
        phase = .none
    }

    // MARK: - Starting

    private func beginStart() -> Task<ActiveSession, any Error> {
        startStatus = StartStatus(sessionID: nil, state: "requested", startedAt: .now)
        let task = Task { try await self.start() }
        phase = .starting(task)
        return task
    }

    /// How often a start is retried on another UI port when the driver could not bind its UI (the
    /// port is taken on the driver's host by something this host's leases do not know about).
    static let uiPortAttempts = 3

    private func start() async throws -> ActiveSession {
        var ports = config.sparkUI.ports
        var takenPorts: [Int] = []
        // Held while retrying so the next attempt cannot pick them again; given back at the end.
        defer { takenPorts.forEach { leases.release(port: $0) } }
        for attempt in 1...Self.uiPortAttempts {
            var record: SparkUIRecord?
            do {
                record = try leases.lease(SparkUIRecord(user: owner.user, port: 0, pid: getpid(), livyURL: api.baseURL), in: ports)
            } catch {
                logger.warning("no Spark UI port for this session: \(error)")
            }
            do {
                let session = try await createAndWait(record: record)
                phase = .ready(session)
                return session
            } catch let failure as SessionStartFailed where failure.isUIPortConflict && attempt < Self.uiPortAttempts {
                logger.warning("session \(failure.sessionID) could not bind its Spark UI port; retrying on another port")
                await delete(failure.sessionID, record: nil)
                if let port = record?.port {
                    takenPorts.append(port)
                    if port < ports.upperBound { ports = (port + 1)...ports.upperBound }
                }
                continue
            } catch {
                logger.warning("the Livy session did not start: \(error)")
                phase = .none
                if let record { leases.release(port: record.port) }
                throw error
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    private func createAndWait(record: SparkUIRecord?) async throws -> ActiveSession {
        let created: LivySession
        let request = createRequest(uiPort: record?.port, name: owner.sessionName(token: Self.nameToken()))
        do {
            created = try await api.createSession(request)
        } catch {
            throw LivyRequestFailed(error: error)
        }
        createdIDs.insert(created.id)
        logger.info("created Livy session \(created.id)")
        startStatus?.sessionID = created.id
        startStatus?.state = created.state.rawValue
        let deadline = ContinuousClock.now + config.session.startupTimeout
        var session = created
        while !session.state.isReady {
            if session.state.isFinal {
                // Enough lines to find Spark's own error above the Python traceback that follows it.
                let tail = (try? await api.sessionLog(id: session.id, from: nil, size: 200).log) ?? session.log
                throw SessionStartFailed(sessionID: session.id, state: session.state.rawValue, logTail: tail)
            }
            if ContinuousClock.now > deadline {
                await delete(session.id, record: nil)
                throw SessionStartTimedOut(sessionID: session.id, waited: config.session.startupTimeout)
            }
            try await Task.sleep(for: statePollInterval)
            do {
                session = try await api.session(id: session.id)
            } catch .sessionNotFound {
                throw SessionStartFailed(sessionID: session.id, state: "deleted", logTail: [])
            } catch {
                throw LivyRequestFailed(error: error)
            }
            startStatus?.state = session.state.rawValue
        }
        return ready(session, record: record, request: request)
    }

    /// Records where the UI really is (the requested port may not be the one in use).
    private func ready(_ session: LivySession, record: SparkUIRecord?, request: CreateSessionRequest) -> ActiveSession {
        var record = record
        if var leased = record {
            let previous = leased.port
            if let (host, port) = session.appInfo.sparkUiUrl.flatMap(SparkUILink.hostAndPort) {
                if port != leased.port {
                    logger.warning("session \(session.id) serves its Spark UI on port \(port), not the requested \(leased.port)")
                }
                leased.port = port
                leased.driverHost = config.sparkUI.driverHost ?? host
            } else {
                leased.driverHost = config.sparkUI.driverHost
            }
            leased.sessionID = session.id
            do {
                try leases.update(leased, previousPort: previous)
            } catch {
                logger.warning("\(error)")
            }
            record = leased
        }
        return ActiveSession(
            id: session.id, appID: session.appId, driverLogURL: session.appInfo.driverLogUrl,
            sparkUILink: record.map { SparkUILink.url(baseURL: config.sparkUI.baseURL, user: owner.user, port: $0.port) },
            uiRecord: record, request: request)
    }

    /// The settings the next session is created with: `%%configure`'s over the configured ones.
    var settings: SessionSettings { overrides.merged(over: config.session.settings) }

    /// The `POST /sessions` body for a new session. The UI port and proxy base are the kernel's:
    /// a `%%configure` cannot move them.
    func createRequest(uiPort: Int?, name: String?) -> CreateSessionRequest {
        var settings = self.settings
        if settings.name == nil { settings.name = name }
        if let uiPort {
            settings.conf = (settings.conf ?? [:]).merging([
                "spark.ui.port": String(uiPort),
                "spark.ui.proxyBase": SparkUILink.proxyBase(baseURL: config.sparkUI.baseURL, user: owner.user, port: uiPort),
            ]) { _, kernels in kernels }
        }
        return CreateSessionRequest(kind: sessionKind, settings: settings)
    }

    private static func nameToken() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }

    private func delete(_ id: Int, record: SparkUIRecord?) async {
        do {
            try await api.deleteSession(id: id)
            logger.info("deleted Livy session \(id)")
        } catch {
            logger.warning("could not delete Livy session \(id): \(error)")
        }
        if let record { leases.release(port: record.port) }
    }

    // MARK: - Display

    private func startingBundle() -> JupyterProtocol.MimeBundle {
        let status = startStatus ?? StartStatus(sessionID: nil, state: "requested", startedAt: .now)
        return SessionAnnouncement.starting(sessionID: status.sessionID, state: status.state,
                                            elapsed: ContinuousClock.now - status.startedAt, livyURL: api.baseURL)
    }

    private func announceOnce(_ session: ActiveSession, output: OutputPublisher, displayID: String?) {
        if let displayID {
            output.updateDisplay(SessionAnnouncement.ready(session), displayID: displayID)
            announced = true
        } else if !announced {
            output.display(SessionAnnouncement.ready(session))
            announced = true
        }
    }
}
