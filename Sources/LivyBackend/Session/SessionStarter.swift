import Foundation
import LivyClient
import Logging

/// Creates one Livy session and waits until it is ready. The `POST /sessions` is sent once: when
/// its answer is lost, the session is looked up by its unique name, so one start never leaves two
/// sessions behind.
struct SessionStarter: Sendable {
    let api: any LivyAPI
    let logger: Logger
    let statePollInterval: Duration
    let startupTimeout: Duration
    /// How long to look for a session whose creation answer was lost.
    var recoveryWindow: Duration = .seconds(5)

    /// A created session, with the request as finally sent.
    struct Created {
        var session: LivySession
        var request: CreateSessionRequest
        /// Settings the server did not know and that were left out (an older Livy).
        var dropped: [String] = []
    }

    /// Creates the session. A server that rejects a setting it does not know (Livy's strict
    /// parsing: 0.7 has no `ttl`, 0.8 no `idleTimeout`) created nothing: the request is sent again
    /// without that setting, and the caller says which one was dropped. `proxyUser` is never
    /// dropped: a session must not silently run as someone else.
    func create(_ request: CreateSessionRequest) async throws -> Created {
        var request = request
        var dropped: [String] = []
        while true {
            do {
                return Created(session: try await api.createSession(request), request: request, dropped: dropped)
            } catch .http(400, _, let message) {
                guard let field = Self.unknownField(in: message), field != "proxyUser",
                      let smaller = request.settings.without(field) else {
                    throw LivyRequestFailed(error: .http(status: 400, url: api.baseURL + "/sessions", message: message))
                }
                logger.warning("Livy does not know the session setting '\(field)'; creating the session without it")
                request.settings = smaller
                dropped.append(field)
            } catch {
                guard error.mayHaveActed != nil else { throw LivyRequestFailed(error: error) }
                return Created(session: try await find(request, lost: error), request: request, dropped: dropped)
            }
        }
    }

    /// The property a strict Jackson parser refused: `Unrecognized field "ttl" (class …)`.
    static func unknownField(in message: String) -> String? {
        guard let start = message.range(of: "Unrecognized field \""),
              let end = message[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(message[start.upperBound..<end])
    }

    private func find(_ request: CreateSessionRequest, lost: LivyError) async throws -> LivySession {
        guard let name = request.settings.name else { throw LivyRequestFailed(error: lost) }
        logger.warning("the answer to POST /sessions was lost (\(lost)); looking for session '\(name)'")
        let deadline = ContinuousClock.now + recoveryWindow
        while true {
            if let found = try? await api.sessions(from: 0, size: 1000).sessions.first(where: { $0.name == name }) {
                logger.info("found session \(found.id) ('\(name)') created by the lost request")
                return found
            }
            guard ContinuousClock.now < deadline else { throw LivyRequestFailed(error: lost) }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Polls `session` until it is ready. `onState` sees every state; throws when it ends, times
    /// out (after deleting it) or disappears, and `CancellationError` when the caller is cancelled.
    func waitUntilReady(_ created: LivySession, onState: @Sendable (String) async -> Void) async throws -> LivySession {
        let deadline = ContinuousClock.now + startupTimeout
        var session = created
        while !session.state.isReady {
            if session.state.isFinal {
                // Enough lines to find Spark's own error above the Python traceback that follows it.
                let tail = (try? await api.sessionLog(id: session.id, from: nil, size: 200).log) ?? session.log
                throw SessionStartFailed(sessionID: session.id, state: session.state.rawValue, logTail: tail)
            }
            if ContinuousClock.now > deadline {
                try? await api.deleteSession(id: session.id)
                throw SessionStartTimedOut(sessionID: session.id, waited: startupTimeout)
            }
            try await Task.sleep(for: statePollInterval)
            do {
                session = try await api.session(id: session.id)
            } catch .sessionNotFound {
                throw SessionStartFailed(sessionID: session.id, state: "deleted", logTail: [])
            } catch {
                throw LivyRequestFailed(error: error)
            }
            await onState(session.state.rawValue)
        }
        return session
    }
}
