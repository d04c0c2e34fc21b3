import Foundation
import JupyterProtocol
import KernelCore
import LivyClient
import Logging

/// Owns the notebook's Livy session: starts it (eagerly in the background, or when a cell first
/// needs it), shows its start-up in the waiting cell, keeps it alive, notices when it is gone,
/// attaches to a kept one, and deletes it at shutdown (or keeps it across a kernel restart). One
/// session at a time.
///
/// Every start has a generation: a start superseded by shutdown or `%%configure -f` deletes
/// what it created and never writes the newer start's state.
actor SessionManager {
    enum Phase {
        case none
        case starting(Task<ActiveSession, any Error>, generation: Int)
        case ready(ActiveSession)
    }

    /// Start-up progress, read by waiting cells to update their display.
    struct StartStatus: Sendable {
        var sessionID: LivyID?
        var state: String
        var startedAt: ContinuousClock.Instant
    }

    let api: any LivyAPI
    let config: KernelConfiguration
    let sessionKind: String
    let owner: SessionOwner
    let leases: PortLeaseStore
    let logger: Logger
    let starter: SessionStarter
    let resume: (store: ResumeStore, key: String)?

    var phase = Phase.none
    var generation = 0
    /// `%%configure` settings for the sessions created from now on (merged over the configured ones).
    private(set) var overrides = SessionSettings()
    /// Every session this kernel created (`%%cleanup` may delete the ones it no longer uses).
    var createdIDs: Set<LivyID> = []
    var startStatus: StartStatus?
    /// Whether some cell has shown the ready session (link and ids) yet.
    var announced = false
    /// A session found gone between cells (by the heartbeat): the next cell says so.
    var lostNotice: (id: LivyID, state: String)?
    var keepAlive: Task<Void, Never>?
    /// The last statement's time and output, for the idle-timeout warning.
    var lastActivity: (at: ContinuousClock.Instant, output: OutputPublisher)?
    /// When Livy last confirmed the ready session is ours and alive (a statement finished, a
    /// heartbeat answered). Older than `confirmAfter`, or after any sign that Livy was
    /// unreachable, the next cell asks again before it submits: a Livy restarted meanwhile gives
    /// the id to someone else's session, and code sent there would run in it.
    var lastConfirmed: ContinuousClock.Instant = .now
    var contactInDoubt = false
    var confirmAfter: Duration = .seconds(2)
    /// Tests beat faster than a quarter of the heartbeat timeout.
    var heartbeatIntervalOverride: Duration?

    func setHeartbeatInterval(_ interval: Duration) { heartbeatIntervalOverride = interval }
    func setConfirmAfter(_ age: Duration) { confirmAfter = age }

    init(api: any LivyAPI, config: KernelConfiguration, sessionKind: String, owner: SessionOwner, leases: PortLeaseStore,
         logger: Logger, resume: (store: ResumeStore, key: String)? = nil, statePollInterval: Duration = .milliseconds(250)) {
        self.api = api
        self.config = config
        self.sessionKind = sessionKind
        self.owner = owner
        self.leases = leases
        self.logger = logger
        self.resume = resume
        starter = SessionStarter(api: api, logger: logger, statePollInterval: statePollInterval,
                                 startupTimeout: config.session.startupTimeout)
    }

    /// Attaches to the session the previous kernel process kept at a restart, else starts one in
    /// the background when the configuration asks for an eager start.
    /// Returns at once: the reattachment (or start) goes on in the background as a start does, and
    /// a cell that comes first waits for it.
    func kernelStarted() {
        if let resume, let record = resume.store.take(key: resume.key), record.livyURL == api.baseURL {
            generation += 1
            let generation = self.generation
            startStatus = StartStatus(sessionID: record.sessionID, state: "reattaching", startedAt: .now)
            let task = Task { try await self.reattach(record, generation: generation) }
            phase = .starting(task, generation: generation)
            return
        }
        if config.session.eagerStart, case .none = phase { _ = beginStart() }
    }

    /// The ready session, starting one if needed. While it starts, `output` shows the state and
    /// elapsed time, updated in place; once ready (the first time), the session's ids and Spark UI link.
    /// Cancelling the caller abandons the wait; the start goes on for the next cell.
    func session(output: OutputPublisher) async throws -> ActiveSession {
        if case .ready(let session) = phase, contactInDoubt || ContinuousClock.now - lastConfirmed >= confirmAfter {
            try await confirm(session)
        }
        let task: Task<ActiveSession, any Error>
        switch phase {
        case .ready(let session):
            announceOnce(session, output: output, displayID: nil)
            return session
        case .starting(let running, _):
            task = running
        case .none:
            if let lost = lostNotice {
                output.stream(.stderr, SessionStatements.lostMessage(lost.id, state: lost.state))
                lostNotice = nil
            }
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

    /// Forgets a session that is gone on the server, so the next request starts a new one. With
    /// `discard`, one Livy still lists but that can no longer run anything (`error`) is deleted.
    func sessionLost(_ id: LivyID, state: String? = nil, discard: Bool = false) async {
        guard case .ready(let session) = phase, session.id == id else { return }
        phase = .none
        announced = false
        contactInDoubt = false
        keepAlive?.cancel()
        keepAlive = nil
        if let state { lostNotice = (id, state) }
        if let record = session.uiRecord { leases.release(port: record.port) }
        if discard { await delete(id, record: nil) }
    }

    /// Livy did not answer about the session for a while: before the next statement, make sure
    /// the id still names this kernel's session.
    func contactLost(_ id: LivyID) {
        guard case .ready(let session) = phase, session.id == id else { return }
        contactInDoubt = true
    }

    /// Asks Livy whether the ready session is still this kernel's and alive; forgets it if not
    /// (the caller then starts a new one). Throws when Livy cannot be asked: nothing was sent.
    private func confirm(_ session: ActiveSession) async throws {
        do {
            let live = try await api.session(id: session.id)
            if let name = session.request.settings.name, live.name != name {
                logger.warning("Livy session \(session.id) is now '\(live.name ?? "")': Livy restarted and reused the id")
                await sessionLost(session.id, state: "deleted")
            } else if live.state.isFinal {
                await sessionLost(session.id, state: live.state.rawValue, discard: live.state == .error)
            } else {
                contactInDoubt = false
                lastConfirmed = .now
            }
        } catch .sessionNotFound {
            await sessionLost(session.id, state: "deleted")
        } catch {
            contactInDoubt = true
            throw LivyRequestFailed(error: error)
        }
    }

    /// Whether a session is running or starting.
    var isActive: Bool {
        if case .none = phase { false } else { true }
    }

    /// The current session, if one is ready.
    var current: ActiveSession? {
        if case .ready(let session) = phase { session } else { nil }
    }

    /// Takes `%%configure` settings. With a session running or starting, `force` deletes it (the
    /// next request starts one with the new settings); without `force` nothing changes.
    func configure(_ new: SessionSettings, force: Bool) async -> Bool {
        if isActive {
            guard force else { return false }
            await shutdown(keep: false)
            announced = false
        }
        overrides = new
        return true
    }

    /// A statement of the session finished: Livy counts it as activity (docs/livy-rest.md §2.8).
    func noteActivity(output: OutputPublisher) {
        lastActivity = (.now, output)
        lastConfirmed = .now
    }

    /// Deletes the session (or abandons its start) and gives back the UI port. With `keep`, a
    /// ready session is left running and recorded for the next kernel process (Jupyter's
    /// "Restart kernel"); its heartbeat timeout reaps it if no kernel comes back.
    func shutdown(keep: Bool) async {
        generation += 1
        keepAlive?.cancel()
        keepAlive = nil
        switch phase {
        case .ready(let session) where keep && resume != nil:
            if let resume, let name = session.request.settings.name {
                resume.store.save(ResumeStore.Record(sessionID: session.id, sessionName: name, livyURL: api.baseURL,
                                                     uiPort: session.uiRecord?.port), key: resume.key)
                logger.info("keeping Livy session \(session.id) for the restarted kernel")
            }
            if let record = session.uiRecord { leases.release(port: record.port) }
        case .ready(let session):
            // The same rule as before a statement: an id Livy gave to another client after a
            // restart is not this kernel's to delete.
            if contactInDoubt || ContinuousClock.now - lastConfirmed >= confirmAfter,
               let name = session.request.settings.name,
               let live = try? await api.session(id: session.id), live.name != name {
                logger.warning("not deleting Livy session \(session.id): it is now '\(live.name ?? "")', another client's")
                if let record = session.uiRecord { leases.release(port: record.port) }
            } else {
                await delete(session.id, record: session.uiRecord)
            }
        case .starting(let task, _):
            // The start sees it is superseded and deletes what it created, even mid-request.
            task.cancel()
            if let id = startStatus?.sessionID { await delete(id, record: nil) }
        case .none:
            break
        }
        phase = .none
    }

    /// The settings the next session is created with: `%%configure`'s over the configured ones.
    var settings: SessionSettings { overrides.merged(over: config.session.settings) }

    /// With no heartbeat timeout configured, Livy would keep a session whose kernel was killed
    /// until its idle timeout; this one lets it reap the session a few minutes after the kernel
    /// stops heartbeating (docs/livy-rest.md §2.8).
    static let defaultHeartbeatTimeout = 120

    /// The `POST /sessions` body for a new session. The UI port and proxy base are the kernel's:
    /// a `%%configure` cannot move them.
    func createRequest(uiPort: Int?, name: String?) -> CreateSessionRequest {
        var settings = self.settings
        if settings.name == nil { settings.name = name }
        if settings.heartbeatTimeoutInSecond == nil { settings.heartbeatTimeoutInSecond = Self.defaultHeartbeatTimeout }
        if let uiPort {
            settings.conf = (settings.conf ?? [:]).merging([
                "spark.ui.port": String(uiPort),
                "spark.ui.proxyBase": SparkUILink.proxyBase(baseURL: config.sparkUI.baseURL, user: owner.user, port: uiPort),
            ]) { _, kernels in kernels }
        }
        return CreateSessionRequest(kind: sessionKind, settings: settings)
    }

    func delete(_ id: LivyID, record: SparkUIRecord?) async {
        do {
            try await api.deleteSession(id: id)
            logger.info("deleted Livy session \(id)")
        } catch {
            logger.warning("could not delete Livy session \(id): \(error)")
        }
        if let record { leases.release(port: record.port) }
    }

    // MARK: - Display

    private func startingBundle() -> MimeBundle {
        let status = startStatus ?? StartStatus(sessionID: nil, state: "requested", startedAt: .now)
        return SessionAnnouncement.starting(sessionID: status.sessionID, state: status.state,
                                            elapsed: ContinuousClock.now - status.startedAt,
                                            livyURL: RedactedURL.redact(api.baseURL))
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
