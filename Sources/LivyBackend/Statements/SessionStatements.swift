import JupyterProtocol
import KernelCore
import LivyClient
import Synchronization

/// `StatementExecutor` over Livy: takes the ready session from the `SessionManager` (starting one
/// if needed), submits the statement exactly once, replaces a session found gone, and lets the
/// `StatementRunner` poll it to its end.
final class SessionStatements: StatementExecutor {
    let api: any LivyAPI
    let sessions: SessionManager
    let runner: StatementRunner
    /// How long to keep looking for a statement whose POST answer was lost (a slow Livy may
    /// still be creating it).
    let recoveryWindow: Duration
    /// Where cells' Spark jobs are read from; nil: Livy's progress only.
    let jobs: SparkJobsTracker?
    let historyURL: String?
    /// The newest statement seen per session: a statement found after a lost answer must be
    /// newer, so an earlier cell with the same code is never mistaken for it.
    private let newest = Mutex<[LivyID: LivyID]>([:])

    init(api: any LivyAPI, sessions: SessionManager, runner: StatementRunner, recoveryWindow: Duration = .seconds(3),
         jobs: SparkJobsTracker? = nil, historyURL: String? = nil) {
        self.api = api
        self.sessions = sessions
        self.runner = runner
        self.recoveryWindow = recoveryWindow
        self.jobs = jobs
        self.historyURL = historyURL
    }

    /// The jobs watch for statements in `session`: only where the driver's UI address is known.
    func jobsWatch(for session: ActiveSession) -> SparkJobsWatch? {
        guard let jobs, let driver = Self.driver(of: session) else { return nil }
        return SparkJobsWatch(tracker: jobs, driver: driver, uiLink: session.sparkUILink, historyURL: historyURL)
    }

    static func driver(of session: ActiveSession) -> SparkJobsTracker.Driver? {
        session.driverUIURL.map { SparkJobsTracker.Driver(sessionID: session.id, url: $0) }
    }

    func run(_ code: String, kind: String, output: OutputPublisher, mayReplaceLostSession: Bool) async throws -> LivyStatement {
        var session = try await sessions.session(output: output)
        if let jobs, let driver = Self.driver(of: session) { await jobs.prepare(driver) }
        let submitted: LivyStatement
        do {
            submitted = try await submit(code, kind: kind, sessionID: session.id)
        } catch let error as LivyError {
            guard let state = try await endState(session.id, after: error) else { throw LivyRequestFailed(error: error) }
            await sessions.sessionLost(session.id)
            guard mayReplaceLostSession else {
                throw SessionLostDuringStatement(sessionID: session.id, state: state)
            }
            output.stream(.stderr, Self.lostMessage(session.id, state: state))
            session = try await sessions.session(output: output)
            do {
                submitted = try await submit(code, kind: kind, sessionID: session.id)
            } catch let error as LivyError {
                throw LivyRequestFailed(error: error)
            }
        }
        let finished: LivyStatement
        do {
            finished = try await runner.waitForResult(of: submitted, sessionID: session.id, output: output,
                                                      jobs: jobsWatch(for: session))
        } catch let lost as SessionLostDuringStatement {
            await sessions.sessionLost(session.id)
            throw lost
        } catch let silent as StatementFollowLost {
            await sessions.contactLost(session.id)
            throw silent
        } catch let error as LivyError {
            if let state = try await endState(session.id, after: error) {
                await sessions.sessionLost(session.id)
                throw SessionLostDuringStatement(sessionID: session.id, state: state)
            }
            throw LivyRequestFailed(error: error)
        }
        if let reason = Self.interpreterDied(finished) {
            // Livy moves the session to `error`, where it takes statements and fails each the same
            // way: this session is of no more use, so the kernel lets it go and the next cell
            // starts a new one.
            let state = (try? await api.sessionState(id: session.id))?.rawValue ?? "error"
            await sessions.sessionLost(session.id, discard: true)
            throw SessionLostDuringStatement(sessionID: session.id, state: state, livyReason: reason)
        }
        await sessions.noteActivity(output: output)
        return finished
    }

    /// Livy's words when the session's interpreter process died under a statement (its
    /// `ExecuteAborted`: ename `Error`, evalue `Interpreter died:` and the cause), else nil.
    static func interpreterDied(_ statement: LivyStatement) -> String? {
        guard case let .error(_, ename, evalue, _)? = statement.output, ename == "Error",
              evalue.hasPrefix("Interpreter died") else { return nil }
        return evalue.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    static func lostMessage(_ id: LivyID, state: String) -> String {
        let what = state == "deleted" ? "is no longer on the Livy server (deleted, expired, or gone with a Livy restart)"
            : "ended on the Livy server (state '\(state)')"
        return "The Spark session \(id) \(what): its variables, temporary views and cached data were lost. "
            + "Starting a new session…\n"
    }

    /// Posts the statement once. When the answer is lost, asks Livy whether it created it and
    /// follows it if so; never posts it again.
    private func submit(_ code: String, kind: String, sessionID: LivyID) async throws -> LivyStatement {
        let seenBefore = newest.withLock { $0[sessionID] }
        let statement: LivyStatement
        do {
            statement = try await api.submitStatement(sessionID: sessionID, code: code, kind: kind)
        } catch {
            guard let lost = error.mayHaveActed else { throw error }
            statement = try await find(code, sessionID: sessionID, newerThan: seenBefore, reason: lost)
        }
        newest.withLock { $0[sessionID] = StatementOrder.newer(of: $0[sessionID], and: statement.id) }
        return statement
    }

    private func find(_ code: String, sessionID: LivyID, newerThan seen: LivyID?, reason: String) async throws -> LivyStatement {
        let deadline = ContinuousClock.now + recoveryWindow
        var lastProblem = reason
        while true {
            do {
                let statements = try await api.statements(sessionID: sessionID)
                let newer = StatementOrder.statements(statements, after: seen)
                if let found = newer.last(where: { $0.code == code }) { return found }
                lastProblem = "\(reason); Livy lists no such statement"
            } catch .sessionNotFound {
                throw LivyError.sessionNotFound(id: sessionID)
            } catch {
                lastProblem = "\(reason); listing the session's statements failed: \(error)"
            }
            guard ContinuousClock.now < deadline else {
                throw StatementOutcomeUnknown(sessionID: sessionID, reason: lastProblem)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// After a failed request: the state the session ended in (`deleted` for a 404), or nil when
    /// the failure is not about the session.
    private func endState(_ sessionID: LivyID, after error: LivyError) async throws -> String? {
        switch error {
        case .sessionNotFound:
            return "deleted"
        case .unreachable, .answerLost, .authentication, .tls:
            return nil
        case .http, .invalidResponse:
            do {
                let state = try await api.sessionState(id: sessionID)
                return state.isFinal ? state.rawValue : nil
            } catch .sessionNotFound {
                return "deleted"
            } catch {
                return nil
            }
        }
    }
}
