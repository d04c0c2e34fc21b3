import JupyterProtocol
import KernelCore
import LivyClient

/// `StatementExecutor` over Livy: takes the ready session from the `SessionManager` (starting one
/// if needed), submits the statement, replaces a session found gone, and lets the
/// `StatementRunner` poll it to its end.
struct SessionStatements: StatementExecutor {
    let api: any LivyAPI
    let sessions: SessionManager
    let runner: StatementRunner

    func run(_ code: String, kind: String, output: OutputPublisher, mayReplaceLostSession: Bool) async throws -> LivyStatement {
        var session = try await sessions.session(output: output)
        let submitted: LivyStatement
        do {
            submitted = try await api.submitStatement(sessionID: session.id, code: code, kind: kind)
        } catch {
            guard try await isGone(session.id, after: error) else { throw LivyRequestFailed(error: error) }
            await sessions.sessionLost(session.id)
            guard mayReplaceLostSession else {
                throw SessionLostDuringStatement(sessionID: session.id, state: "gone")
            }
            output.stream(.stderr, "The Spark session \(session.id) is gone on the Livy server: its variables, "
                + "temporary views and cached data were lost. Starting a new session…\n")
            session = try await sessions.session(output: output)
            do {
                submitted = try await api.submitStatement(sessionID: session.id, code: code, kind: kind)
            } catch {
                throw LivyRequestFailed(error: error)
            }
        }
        do {
            return try await runner.waitForResult(of: submitted, sessionID: session.id, output: output)
        } catch let error as LivyError {
            if try await isGone(session.id, after: error) {
                await sessions.sessionLost(session.id)
                throw SessionLostDuringStatement(sessionID: session.id, state: "gone")
            }
            throw LivyRequestFailed(error: error)
        }
    }

    /// After a failed request: is the session gone (deleted, expired, dead)? Other failures are not
    /// about the session and are reported as they are.
    private func isGone(_ sessionID: Int, after error: LivyError) async throws -> Bool {
        switch error {
        case .sessionNotFound:
            return true
        case .unreachable:
            return false
        case .http, .invalidResponse:
            do {
                return try await api.sessionState(id: sessionID).isFinal
            } catch .sessionNotFound {
                return true
            } catch {
                return false
            }
        }
    }
}
