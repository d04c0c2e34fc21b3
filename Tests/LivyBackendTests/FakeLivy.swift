import Foundation
import JSONValues
import LivyClient

/// An in-memory Livy for the backend's unit tests: sessions start after a few polls, statements
/// finish after a few polls, and tests can kill sessions or make starts fail.
actor FakeLivy: LivyAPI {
    nonisolated let baseURL = "http://fake-livy:8998"

    struct FakeSession {
        var session: LivySession
        var pollsUntilIdle: Int
        var statements: [LivyStatement] = []
        var pollsLeft: [Int: Int] = [:]
    }

    private(set) var sessions: [Int: FakeSession] = [:]
    private(set) var createRequests: [CreateSessionRequest] = []
    private(set) var cancelled: [Int] = []
    private(set) var deleted: [Int] = []
    private var nextID = 0
    private var portConflicts: Set<Int> = []

    /// The state new sessions end in when they fail to start (nil: they start).
    var failStartsWith: SessionState?
    /// The UI port new sessions really use (nil: the requested one).
    var uiPortOverride: Int?
    /// UI ports whose sessions fail to start as Spark does when the port is taken.
    var takenUIPorts: Set<Int> = []
    func setTakenUIPorts(_ ports: Set<Int>) { takenUIPorts = ports }
    /// Statements whose code is "hang" never finish.
    var statementPolls = 2

    func setFailStarts(_ state: SessionState?) { failStartsWith = state }
    func setUIPortOverride(_ port: Int?) { uiPortOverride = port }

    /// Removes a session as if Livy's GC (or a person) deleted it.
    func vanish(_ id: Int) { sessions[id] = nil }

    func createSession(_ request: CreateSessionRequest) async throws(LivyError) -> LivySession {
        createRequests.append(request)
        let id = nextID
        nextID += 1
        let port = uiPortOverride ?? Int(request.conf?["spark.ui.port"] ?? "4040") ?? 4040
        let session = LivySession(id: id, name: request.name, appId: "local-\(id)", state: .starting, kind: request.kind,
                                  appInfo: .init(driverLogUrl: nil, sparkUiUrl: "http://127.0.0.1:\(port)"),
                                  log: ["starting"])
        sessions[id] = FakeSession(session: session, pollsUntilIdle: 2)
        if takenUIPorts.contains(port) { portConflicts.insert(id) }
        return session
    }

    func sessions(from: Int, size: Int) async throws(LivyError) -> LivySessionList {
        let all = sessions.values.map(\.session).sorted { $0.id < $1.id }
        return LivySessionList(from: from, total: all.count, sessions: Array(all.dropFirst(from).prefix(size)))
    }

    func session(id: Int) async throws(LivyError) -> LivySession {
        guard var fake = sessions[id] else { throw .sessionNotFound(id: id) }
        if fake.session.state == .starting {
            fake.pollsUntilIdle -= 1
            if fake.pollsUntilIdle <= 0 {
                fake.session.state = portConflicts.contains(id) ? .error : failStartsWith ?? .idle
            }
        }
        sessions[id] = fake
        return fake.session
    }

    func sessionState(id: Int) async throws(LivyError) -> SessionState {
        guard let fake = sessions[id] else { throw .sessionNotFound(id: id) }
        return fake.session.state
    }

    func deleteSession(id: Int) async throws(LivyError) {
        deleted.append(id)
        sessions[id] = nil
    }

    func sessionLog(id: Int, from: Int?, size: Int) async throws(LivyError) -> LivyLog {
        if portConflicts.contains(id) {
            // As in a real driver's log: Spark's error, then a long Python traceback after it.
            let traceback = (1...30).map { "  File \"context.py\", line \($0), in start" }
            let log = ["26/11/22 ERROR SparkUI: Failed to bind SparkUI"] + traceback
            return LivyLog(id: id, from: max(0, log.count - size), total: log.count, log: Array(log.suffix(size)))
        }
        return LivyLog(id: id, from: 0, total: 2, log: ["java.lang.OutOfMemoryError: driver", "exiting"])
    }

    func submitStatement(sessionID: Int, code: String, kind: String?) async throws(LivyError) -> LivyStatement {
        guard var fake = sessions[sessionID] else { throw .sessionNotFound(id: sessionID) }
        let statement = LivyStatement(id: fake.statements.count, code: code, state: .waiting)
        fake.statements.append(statement)
        fake.pollsLeft[statement.id] = code == "hang" ? Int.max : statementPolls
        sessions[sessionID] = fake
        return statement
    }

    func statement(sessionID: Int, statementID: Int) async throws(LivyError) -> LivyStatement {
        guard var fake = sessions[sessionID], fake.statements.indices.contains(statementID) else {
            throw .http(status: 404, url: baseURL, message: "Statement not found")
        }
        var statement = fake.statements[statementID]
        if !statement.state.isFinal {
            let left = (fake.pollsLeft[statementID] ?? 0) - 1
            fake.pollsLeft[statementID] = left
            statement.state = .running
            statement.progress = 0.5
            if left <= 0 {
                statement.state = .available
                statement.progress = 1
                statement.output = Self.output(for: statement.code ?? "", count: statementID)
            }
            fake.statements[statementID] = statement
            sessions[sessionID] = fake
        }
        return statement
    }

    func cancelStatement(sessionID: Int, statementID: Int) async throws(LivyError) {
        cancelled.append(statementID)
        guard var fake = sessions[sessionID], fake.statements.indices.contains(statementID) else { return }
        fake.statements[statementID].state = .cancelled
        sessions[sessionID] = fake
    }

    func completion(sessionID: Int, code: String, kind: String, cursor: Int) async throws(LivyError) -> [String] {
        ["length", "lines"]
    }

    static func output(for code: String, count: Int) -> StatementOutput {
        switch code {
        case "1+1": .ok(executionCount: count, data: ["text/plain": "2"])
        case "boom":
            .error(executionCount: count, ename: "ValueError", evalue: "boom",
                   traceback: ["Traceback (most recent call last):\n", "ValueError: boom\n"])
        default: .ok(executionCount: count, data: ["text/plain": .string("ran \(code)")])
        }
    }
}
