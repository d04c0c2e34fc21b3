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
    /// The highest statement id seen per session: a statement found after a lost answer must be
    /// newer, so an earlier cell with the same code is never mistaken for it.
    private let newest = Mutex<[Int: Int]>([:])

    init(api: any LivyAPI, sessions: SessionManager, runner: StatementRunner, recoveryWindow: Duration = .seconds(3)) {
        self.api = api
        self.sessions = sessions
        self.runner = runner
        self.recoveryWindow = recoveryWindow
    }

    func run(_ code: String, kind: String, output: OutputPublisher, mayReplaceLostSession: Bool) async throws -> LivyStatement {
        var session = try await sessions.session(output: output)
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
        do {
            let finished = try await runner.waitForResult(of: submitted, sessionID: session.id, output: output)
            await sessions.noteActivity(output: output)
            return finished
        } catch let error as LivyError {
            if let state = try await endState(session.id, after: error) {
                await sessions.sessionLost(session.id)
                throw SessionLostDuringStatement(sessionID: session.id, state: state)
            }
            throw LivyRequestFailed(error: error)
        }
    }

    static func lostMessage(_ id: Int, state: String) -> String {
        let what = state == "deleted" ? "was deleted on the Livy server" : "ended on the Livy server (state '\(state)')"
        return "The Spark session \(id) \(what): its variables, temporary views and cached data were lost. "
            + "Starting a new session…\n"
    }

    /// Posts the statement once. When the answer is lost, asks Livy whether it created it and
    /// follows it if so; never posts it again.
    private func submit(_ code: String, kind: String, sessionID: Int) async throws -> LivyStatement {
        let seenBefore = newest.withLock { $0[sessionID] } ?? -1
        let statement: LivyStatement
        do {
            statement = try await api.submitStatement(sessionID: sessionID, code: code, kind: kind)
        } catch {
            guard let lost = error.mayHaveActed else { throw error }
            statement = try await find(code, sessionID: sessionID, newerThan: seenBefore, reason: lost)
        }
        newest.withLock { $0[sessionID] = max($0[sessionID] ?? -1, statement.id) }
        return statement
    }

    private func find(_ code: String, sessionID: Int, newerThan seen: Int, reason: String) async throws -> LivyStatement {
        let deadline = ContinuousClock.now + recoveryWindow
        var lastProblem = reason
        while true {
            do {
                let statements = try await api.statements(sessionID: sessionID)
                if let found = statements.last(where: { $0.id > seen && $0.code == code }) { return found }
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
    private func endState(_ sessionID: Int, after error: LivyError) async throws -> String? {
        switch error {
        case .sessionNotFound:
            return "deleted"
        case .unreachable, .answerLost:
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
