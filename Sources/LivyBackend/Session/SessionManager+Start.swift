import KernelCore
import Foundation
import LivyClient
import Logging

/// Starting a session and attaching to an existing one.
extension SessionManager {
    /// How often a start is retried on another UI port when the driver could not bind its UI (the
    /// port is taken on the driver's host by something this host's leases do not know about).
    static let uiPortAttempts = 3

    func beginStart() -> Task<ActiveSession, any Error> {
        generation += 1
        let generation = self.generation
        startStatus = StartStatus(sessionID: nil, state: "requested", startedAt: .now)
        let task = Task { try await self.start(generation: generation) }
        phase = .starting(task, generation: generation)
        return task
    }

    /// Whether the start of `generation` is still the one wanted (not superseded, not cancelled).
    func isCurrent(_ generation: Int) -> Bool {
        self.generation == generation && !Task.isCancelled
    }

    func start(generation: Int) async throws -> ActiveSession {
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
                let session = try await createAndWait(record: record, generation: generation)
                phase = .ready(session)
                lastConfirmed = .now
                startKeepAlive(for: session)
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
                if self.generation == generation {
                    logger.warning("the Livy session did not start: \(error)")
                    phase = .none
                }
                if let record { leases.release(port: record.port) }
                throw error
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    private func createAndWait(record: SparkUIRecord?, generation: Int) async throws -> ActiveSession {
        let creation = try await starter.create(createRequest(uiPort: record?.port, name: owner.sessionName(token: Self.nameToken())))
        let created = creation.session, request = creation.request
        createdIDs.insert(created.id)
        logger.info("created Livy session \(created.id)")
        do {
            guard isCurrent(generation) else { throw CancellationError() }
            startStatus?.sessionID = created.id
            startStatus?.state = created.state.rawValue
            let session = try await starter.waitUntilReady(created) { state in
                await self.startStateChanged(state, generation: generation)
            }
            guard isCurrent(generation) else { throw CancellationError() }
            var driver: DriverUIProbe.Location?
            if record != nil && config.sparkUI.askDriver {
                startStatus?.state = "ready; asking the driver where its UI is"
                driver = await DriverUIProbe(api: api, logger: logger).locate(sessionID: session.id, sessionKind: sessionKind)
                guard isCurrent(generation) else { throw CancellationError() }
            }
            var active = ready(session, record: record, request: request, driver: driver)
            active.droppedSettings = creation.dropped
            return active
        } catch is CancellationError {
            // Superseded (shutdown, %%configure -f) while starting: nothing may be left behind.
            logger.info("the start of session \(created.id) was superseded; deleting it")
            await delete(created.id, record: nil)
            throw CancellationError()
        }
    }

    private func startStateChanged(_ state: String, generation: Int) {
        if self.generation == generation { startStatus?.state = state }
    }

    /// Records where the UI really is (the requested port may not be the one in use): as the
    /// driver said, else as `appInfo.sparkUiUrl` says unless that is YARN's proxy (not the driver).
    func ready(_ session: LivySession, record: SparkUIRecord?, request: CreateSessionRequest,
               driver: DriverUIProbe.Location? = nil) -> ActiveSession {
        var record = record
        if var leased = record {
            let previous = leased.port
            let fromLivy = session.appInfo.sparkUiUrl.flatMap { url in
                url.contains("/proxy/application_") ? nil : SparkUILink.hostAndPort(of: url)
            }
            let found = driver.map { (host: $0.host, port: $0.port ?? leased.port) } ?? fromLivy
            if let (host, port) = found {
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

    static func nameToken() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }

    /// `%%attach -s ID`: makes session `id` this notebook's. The session this kernel used before is
    /// kept (not deleted); `%%cleanup` deletes it later.
    func attach(_ id: LivyID) async throws {
        let attached = try await adopt(id, expectedName: nil, uiPort: nil)
        keepAlive?.cancel()
        switch phase {
        case .ready(let previous): if let record = previous.uiRecord { leases.release(port: record.port) }
        case .starting(let task, _): task.cancel()
        case .none: break
        }
        generation += 1
        phase = .ready(attached)
        lastConfirmed = .now
        announced = false
        startKeepAlive(for: attached)
    }

    /// The restarted kernel's start: the session the previous process kept, or a new one when it
    /// cannot be taken over (gone, replaced after a Livy restart, busy).
    func reattach(_ record: ResumeStore.Record, generation: Int) async throws -> ActiveSession {
        do {
            let session = try await adopt(record.sessionID, expectedName: record.sessionName, uiPort: record.uiPort)
            guard isCurrent(generation) else { throw CancellationError() }
            logger.info("reattached to Livy session \(record.sessionID) kept across the kernel restart")
            phase = .ready(session)
            lastConfirmed = .now
            startKeepAlive(for: session)
            return session
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning("could not reattach to Livy session \(record.sessionID): \(error); starting a new one")
            startStatus = StartStatus(sessionID: nil, state: "requested", startedAt: .now)
            return try await start(generation: generation)
        }
    }

    /// Checks that session `id` can become this notebook's and records it as such (UI lease
    /// included). Refuses one that is not idle (busy, starting, ended), one whose name is not
    /// `expectedName` (a Livy restart reuses ids), and one that is not this user's.
    private func adopt(_ id: LivyID, expectedName: String?, uiPort: Int?) async throws -> ActiveSession {
        let session: LivySession
        do {
            session = try await api.session(id: id)
        } catch .sessionNotFound {
            throw AttachRefused(sessionID: id, reason: "Livy has no session \(id)")
        } catch {
            throw LivyRequestFailed(error: error)
        }
        if let expectedName, session.name != expectedName {
            throw AttachRefused(sessionID: id, reason: "it is not the session this notebook kept (Livy may have restarted)")
        }
        guard session.state == .idle else {
            throw AttachRefused(sessionID: id, reason: session.state == .busy
                ? "it is busy running a statement (wait for it, or cancel it where it was started)"
                : "it is \(session.state.rawValue), not ready for statements")
        }
        guard let name = session.name, owner.isSessionName(name) else {
            throw AttachRefused(sessionID: id, reason: "it is not one of \(owner.user)'s LivyKernel sessions")
        }
        // The port: the one the kept session was given, else the driver's own word.
        var driver: DriverUIProbe.Location?
        if uiPort == nil && config.sparkUI.askDriver {
            driver = await DriverUIProbe(api: api, logger: logger).locate(sessionID: id, sessionKind: session.kind ?? sessionKind)
        }
        var record: SparkUIRecord?
        if let port = uiPort ?? driver?.port {
            record = try? leases.lease(SparkUIRecord(user: owner.user, port: 0, pid: getpid(), livyURL: api.baseURL),
                                       in: port...port)
        }
        let request = CreateSessionRequest(kind: session.kind, settings: SessionSettings(proxyUser: session.proxyUser, name: name))
        return ready(session, record: record, request: request, driver: driver)
    }
}

/// `%%attach` (or a restarted kernel) could not take over a session.
struct AttachRefused: JupyterReportableError {
    let sessionID: LivyID
    let reason: String
    var ename: String { "AttachRefused" }
    var evalue: String { "cannot attach to Livy session \(sessionID): \(reason)" }
    var details: [String] { ["%%sessions lists your sessions and their states."] }
}
