/// Livy's REST API for interactive sessions: one method per endpoint.
public protocol LivyAPI: Sendable {
    var baseURL: String { get }
    func createSession(_ request: CreateSessionRequest) async throws(LivyError) -> LivySession
    func sessions(from: Int, size: Int) async throws(LivyError) -> LivySessionList
    func session(id: Int) async throws(LivyError) -> LivySession
    func sessionState(id: Int) async throws(LivyError) -> SessionState
    func deleteSession(id: Int) async throws(LivyError)
    func sessionLog(id: Int, from: Int?, size: Int) async throws(LivyError) -> LivyLog
    func submitStatement(sessionID: Int, code: String, kind: String?) async throws(LivyError) -> LivyStatement
    /// The statements Livy keeps for a session, oldest first (the last 100 by default).
    func statements(sessionID: Int) async throws(LivyError) -> [LivyStatement]
    func statement(sessionID: Int, statementID: Int) async throws(LivyError) -> LivyStatement
    func cancelStatement(sessionID: Int, statementID: Int) async throws(LivyError)
    func completion(sessionID: Int, code: String, kind: String, cursor: Int) async throws(LivyError) -> [String]
}
