/// Livy's REST API for interactive sessions: one method per endpoint.
public protocol LivyAPI: Sendable {
    var baseURL: String { get }
    func createSession(_ request: CreateSessionRequest) async throws(LivyError) -> LivySession
    func sessions(from: Int, size: Int) async throws(LivyError) -> LivySessionList
    func session(id: LivyID) async throws(LivyError) -> LivySession
    func sessionState(id: LivyID) async throws(LivyError) -> SessionState
    func deleteSession(id: LivyID) async throws(LivyError)
    func sessionLog(id: LivyID, from: Int?, size: Int) async throws(LivyError) -> LivyLog
    func submitStatement(sessionID: LivyID, code: String, kind: String?) async throws(LivyError) -> LivyStatement
    /// The statements Livy keeps for a session, oldest first (the last 100 by default).
    func statements(sessionID: LivyID) async throws(LivyError) -> [LivyStatement]
    func statement(sessionID: LivyID, statementID: LivyID) async throws(LivyError) -> LivyStatement
    func cancelStatement(sessionID: LivyID, statementID: LivyID) async throws(LivyError)
    func completion(sessionID: LivyID, code: String, kind: String, cursor: Int) async throws(LivyError) -> [String]
}
