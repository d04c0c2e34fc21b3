import Foundation
public import JSONValues
public import LivyClient

/// An in-memory Apache Livy behind the `HTTPTransport` seam. It answers the REST calls the kernel
/// makes with the JSON real Livy sends (docs/livy-rest.md: session and statement shapes, SQL
/// results as `schema` + `data`, 404s and the three error-body shapes), so tests run the real
/// `LivyHTTPClient`, backend and kernel in milliseconds. It reads requests and writes answers as
/// raw JSON, never through LivyClient's models, so a wrong field name cannot hide in both.
///
/// Sessions reach `idle` after `pollsUntilIdle` polls; statements finish after `statementPolls`
/// polls with the result scripted for their code (`respond(to:with:)`). Tests wait on `events` instead of sleeping.
/// Ids are Livy's numbers (0, 1, …), or with `actLikeLighter()` UUID strings and the state
/// `canceled` spelt as Lighter does.
public actor FakeLivy: HTTPTransport {
    public nonisolated let baseURL = "http://fake-livy:8998"

    /// What a statement gives back.
    public enum Result: Sendable {
        case text(String)
        /// A SQL result: columns as (name, Spark type name), rows in column order.
        case table(columns: [(name: String, type: String)], rows: [[JSONValue]])
        /// Livy's `status: error` output.
        case error(ename: String, evalue: String, traceback: [String])
        /// Never finishes (until cancelled).
        case hang
        /// The session's interpreter process dies under the statement: Livy's `ExecuteAborted`
        /// output, and the session goes to `error` (where it still takes statements).
        case interpreterDies
    }

    /// Things that happened, in order; `waitFor` watches them.
    public enum Event: Sendable, Equatable {
        case sessionCreated(LivyID)
        case sessionDeleted(LivyID)
        /// `GET /sessions/{id}`: a start poll or a heartbeat.
        case sessionPolled(LivyID)
        /// A request for a session Livy does not have (answered 404).
        case sessionMissing(LivyID)
        /// A request as it arrives, before any delay or fault: `POST /sessions`.
        case received(String)
        case statementSubmitted(session: LivyID, statement: LivyID, code: String)
        case statementPolled(session: LivyID, statement: LivyID, state: String)
        case statementCancelled(session: LivyID, statement: LivyID)
        /// `POST /sessions/{id}/completion` with its body.
        case completionAsked(session: LivyID, kind: String, code: String, cursor: Int)
    }

    /// How the server names sessions and statements: Livy's numbers, or Lighter's UUID strings.
    public enum IDStyle: Sendable { case numbers, uuids }

    struct Statement {
        var id: LivyID
        var code: String
        var kind: String?
        var state = "waiting"
        var pollsLeft: Int
        var output: JSONValue = .null
    }

    struct Session {
        var id: LivyID
        /// Creation order, from 0 (the id itself for numbered sessions).
        var number: Int
        var name: String?
        var kind: String?
        var state = "starting"
        var pollsUntilIdle: Int
        var uiPort: Int
        var statements: [Statement] = []
    }

    private var sessions: [LivyID: Session] = [:]
    private var nextID = 0
    private var results: [String: Result] = [:]
    private var failures: [(method: String, pathSuffix: String, status: Int, body: String)] = []
    private var lostAnswers: [(method: String, pathSuffix: String, handled: Bool)] = []
    private var delays: [(method: String, pathSuffix: String, delay: Duration)] = []
    private var waiters: [Int: (predicate: @Sendable ([Event]) -> Bool, done: CheckedContinuation<Void, any Error>)] = [:]
    private var nextWaiter = 0

    /// Every `POST /sessions` body, as sent.
    public private(set) var createBodies: [JSONObject] = []
    public private(set) var events: [Event] = []
    /// Polls before a statement is final.
    public var statementPolls = 2
    /// The state new sessions end their start in (nil: `idle`).
    public var failStartsWith: String?
    /// The UI port sessions report in `appInfo.sparkUiUrl` (nil: the requested `spark.ui.port`).
    public var uiPortOverride: Int?
    /// What sessions report as `appInfo.sparkUiUrl`: the driver's URL (as the dev server could),
    /// nothing (as real Livy off YARN), or YARN's proxy URL (as real Livy on YARN).
    public enum UIURLShape: Sendable { case driver, null, yarnProxy }
    public var uiURLShape = UIURLShape.driver
    public func set(uiURLShape shape: UIURLShape) { uiURLShape = shape }
    /// UI ports whose sessions die at start as Spark does when the port is taken.
    public var takenUIPorts: Set<Int> = []
    /// What `/completion` answers; nil: the server has no such endpoint (404), as before Livy 0.5.
    public var completionCandidates: [String]? = ["length", "lines"]
    /// A running statement's `progress` (0: code that has started no Spark job).
    public var runningProgress = 0.5
    public func set(runningProgress progress: Double) { runningProgress = progress }
    /// How long a cancel takes to stop the statement (nil: at once).
    public var cancelDelay: Duration?
    public func set(cancelDelay delay: Duration?) { cancelDelay = delay }
    private func finishCancel(_ id: LivyID, _ index: Int, as state: String) {
        guard sessions[id]?.statements.indices.contains(index) == true else { return }
        sessions[id]!.statements[index].state = state
    }
    /// Session fields this server does not know (Livy 0.7: `ttl`), refused with Jackson's 400.
    public var unknownSessionFields: Set<String> = []
    public func set(unknownSessionFields fields: Set<String>) { unknownSessionFields = fields }
    /// Requests answered with a connection error, as when Livy is down.
    public var isDown = false
    public private(set) var idStyle = IDStyle.numbers
    /// The statement state after a cancel: Livy's `cancelled`, Lighter's `canceled`.
    public private(set) var cancelledStateName = "cancelled"

    /// Lighter's dialect: UUID string ids for sessions and statements, and `canceled`.
    public func actLikeLighter() {
        idStyle = .uuids
        cancelledStateName = "canceled"
    }

    public init() {}

    public func set(failStartsWith state: String?) { failStartsWith = state }
    public func set(uiPortOverride port: Int?) { uiPortOverride = port }
    public func set(takenUIPorts ports: Set<Int>) { takenUIPorts = ports }
    public func set(isDown down: Bool) { isDown = down }
    public func set(completionCandidates candidates: [String]?) { completionCandidates = candidates }
    public func set(statementPolls polls: Int) { statementPolls = polls }

    /// Scripts the result of statements whose code is `code`.
    public func respond(to code: String, with result: Result) { results[code] = result }

    /// Answers the next request whose method and path end match with `status` and a raw `body`.
    public func failNext(_ method: String, pathSuffix: String, status: Int, body: String) {
        failures.append((method, pathSuffix, status, body))
    }

    /// The next matching request gets no answer, as when the connection drops: with `handled`,
    /// after Livy carried it out; without, before it reached Livy.
    public func loseNextAnswer(_ method: String, pathSuffix: String, handled: Bool) {
        lostAnswers.append((method, pathSuffix, handled))
    }

    /// The next matching request is answered only after `delay` (others go on meanwhile).
    public func delayNext(_ method: String, pathSuffix: String, by delay: Duration) {
        delays.append((method, pathSuffix, delay))
    }

    /// Ends a session as its driver dying would.
    public func kill(_ id: LivyID, state: String = "dead") { sessions[id]?.state = state }

    /// Adds a session as if another client (or an earlier kernel) had created it.
    public func addSession(name: String?, state: String = "idle") -> LivyID {
        let (id, number) = newSessionID()
        sessions[id] = Session(id: id, number: number, name: name, kind: "pyspark", state: state, pollsUntilIdle: 0, uiPort: 4040)
        return id
    }

    private func newSessionID() -> (LivyID, Int) {
        let number = nextID
        nextID += 1
        return (newID(number: number), number)
    }

    private func newID(number: Int) -> LivyID {
        switch idStyle {
        case .numbers: LivyID(number)
        case .uuids: LivyID(text: UUID().uuidString.lowercased())
        }
    }

    /// Cancels every unfinished statement, as another client (or the Spark UI's kill link) would.
    public func cancelUnfinishedStatements() {
        for id in sessions.keys {
            for index in sessions[id]!.statements.indices where ["waiting", "running"].contains(sessions[id]!.statements[index].state) {
                sessions[id]!.statements[index].state = cancelledStateName
            }
        }
    }

    /// Removes a session as if Livy's GC (or a person) deleted it.
    public func vanish(_ id: LivyID) { sessions[id] = nil }

    /// A restart without session recovery: every session is forgotten and ids start at 0 again,
    /// so the next client's session takes an id an earlier one had.
    public func restart() {
        sessions = [:]
        nextID = 0
    }

    /// The sessions Livy holds, oldest first.
    public func sessionIDs() -> [LivyID] { sessionsInOrder.map(\.id) }
    private var sessionsInOrder: [Session] { sessions.values.sorted { $0.number < $1.number } }
    public var deleted: [LivyID] { events.compactMap { if case .sessionDeleted(let id) = $0 { id } else { nil } } }
    public var cancelled: [LivyID] { events.compactMap { if case .statementCancelled(_, let id) = $0 { id } else { nil } } }
    /// The code of every statement submitted, in order.
    public var submittedCode: [String] {
        events.compactMap { if case .statementSubmitted(_, _, let code) = $0 { code } else { nil } }
    }

    public struct WaitTimedOut: Error, CustomStringConvertible {
        public let events: [Event]
        public var description: String { "condition not met; events so far: \(events)" }
    }

    /// Returns once `predicate` holds for the events so far (checked after every request).
    public func waitFor(timeout: Duration = .seconds(5), _ predicate: @escaping @Sendable ([Event]) -> Bool) async throws {
        if predicate(events) { return }
        let id = nextWaiter
        nextWaiter += 1
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            waiters[id] = (predicate, done)
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        waiters.removeValue(forKey: id)?.done.resume(throwing: WaitTimedOut(events: events))
    }

    private func record(_ event: Event) {
        events.append(event)
        for (id, waiter) in waiters where waiter.predicate(events) {
            waiters[id] = nil
            waiter.done.resume()
        }
    }

    // MARK: - HTTP

    public func perform(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        if isDown { throw HTTPTransportError(kind: .cannotConnect, message: "Failed to connect to fake-livy port 8998") }
        guard request.url.hasPrefix(baseURL) else { return answer(404, text: "no such host") }
        let target = request.url.dropFirst(baseURL.count)
        let path = String(target.prefix { $0 != "?" })
        let method = request.method.rawValue
        record(.received("\(method) \(path)"))
        if let index = delays.firstIndex(where: { $0.method == method && path.hasSuffix($0.pathSuffix) }) {
            let delay = delays.remove(at: index).delay
            try? await Task.sleep(for: delay)
        }
        if let index = failures.firstIndex(where: { $0.method == method && path.hasSuffix($0.pathSuffix) }) {
            let failure = failures.remove(at: index)
            return HTTPResponse(status: failure.status, body: Data(failure.body.utf8))
        }
        if let index = lostAnswers.firstIndex(where: { $0.method == method && path.hasSuffix($0.pathSuffix) }) {
            let lost = lostAnswers.remove(at: index)
            if lost.handled { _ = route(request, path: path, target: target) }
            throw HTTPTransportError(kind: .other, message: "Empty reply from server", requestSent: true)
        }
        return route(request, path: path, target: target)
    }

    private func route(_ request: HTTPRequest, path: String, target: Substring) -> HTTPResponse {
        let query = Self.query(String(target.drop { $0 != "?" }.dropFirst()))
        let body: JSONObject
        if let data = request.body, case .object(let object)? = try? JSONParser.parse(data) { body = object } else { body = [:] }
        let parts = path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case (.post, 1) where parts == ["sessions"]:
            return createSession(body)
        case (.get, 1) where parts == ["sessions"]:
            let from = Int(query["from"] ?? "0") ?? 0, size = Int(query["size"] ?? "20") ?? 20
            let all = sessionsInOrder.map(json)
            return answer(200, ["from": .int(from), "total": .int(all.count),
                                "sessions": .array(Array(all.dropFirst(from).prefix(size)))])
        default:
            break
        }
        guard parts.count >= 2, parts[0] == "sessions", let id = LivyID(parsing: parts[1].removingPercentEncoding ?? parts[1]) else {
            return answer(404, text: "<html><body><h2>HTTP ERROR 404</h2></body></html>")
        }
        guard let session = sessions[id] else {
            record(.sessionMissing(id))
            return answer(404, ["msg": .string("Session '\(id)' not found.")])
        }
        let rest = Array(parts.dropFirst(2))
        let statementIndex = rest.count >= 2 && rest[0] == "statements"
            ? LivyID(parsing: rest[1]).flatMap { sid in session.statements.firstIndex { $0.id == sid } } : nil
        if rest.first == "statements" && ["dead", "killed", "error", "success"].contains(session.state) {
            return answer(400, ["msg": "requirement failed: Session isn't active."])
        }
        if rest.count >= 2 && rest[0] == "statements" {
            guard statementIndex != nil else { return answer(404, text: "\"Statement not found\"") }
        }
        switch (request.method, rest.count, rest.first, rest.last) {
        case (.get, 0, _, _):
            pollStart(id)
            record(.sessionPolled(id))
            return answer(200, json(sessions[id]!))
        case (.get, 1, "statements", _):
            let list = sessions[id]!.statements.map(json)
            return answer(200, ["total_statements": .int(list.count), "statements": .array(list)])
        case (.get, 1, "state", _):
            return answer(200, ["id": json(id), "state": .string(sessions[id]!.state)])
        case (.delete, 0, _, _):
            sessions[id] = nil
            record(.sessionDeleted(id))
            return answer(200, ["msg": "deleted"])
        case (.get, 1, "log", _):
            let log = logLines(id)
            let size = Int(query["size"] ?? "100") ?? 100
            let from = query["from"].flatMap { Int($0) } ?? max(0, log.count - size)
            return answer(200, ["id": json(id), "from": .int(from), "total": .int(log.count),
                                "log": .array(log.dropFirst(from).prefix(size).map { .string($0) })])
        case (.post, 1, "statements", _):
            return submit(id, body)
        case (.get, 2, "statements", _):
            return answer(200, poll(id, statementIndex!))
        case (.post, 3, "statements", "cancel"):
            // `cancelDelay`: Spark has not started the job yet; Livy keeps the statement
            // `cancelling` until its loop of cancelJobGroup calls finds it.
            let index = statementIndex!
            sessions[id]!.statements[index].state = cancelDelay == nil ? cancelledStateName : "cancelling"
            if let delay = cancelDelay {
                let name = cancelledStateName
                Task { try? await Task.sleep(for: delay); self.finishCancel(id, index, as: name) }
            }
            record(.statementCancelled(session: id, statement: sessions[id]!.statements[statementIndex!].id))
            return answer(200, ["msg": "canceled"])
        case (.post, 1, "completion", _):
            guard case .string(let kind)? = body["kind"], case .string(let code)? = body["code"],
                  case .int(let cursor)? = body["cursor"] else { return answer(400, .string("bad completion request")) }
            record(.completionAsked(session: id, kind: kind, code: code, cursor: cursor))
            guard let candidates = completionCandidates else {
                return answer(404, text: "<html><body><h2>HTTP ERROR 404</h2></body></html>")
            }
            return answer(200, ["candidates": .array(candidates.map { .string($0) })])
        default:
            return answer(404, text: "<html><body><h2>HTTP ERROR 404</h2></body></html>")
        }
    }

    private func createSession(_ body: JSONObject) -> HTTPResponse {
        createBodies.append(body)
        if let unknown = body.keys.sorted().first(where: unknownSessionFields.contains) {
            return answer(400, .string("Unrecognized field \"\(unknown)\" (class org.apache.livy.server.interactive."
                                       + "CreateInteractiveRequest), not marked as ignorable"))
        }
        let (id, number) = newSessionID()
        var requestedPort = 4040
        if case .object(let conf)? = body["conf"], case .string(let port)? = conf["spark.ui.port"], let number = Int(port) {
            requestedPort = number
        }
        let session = Session(id: id, number: number, name: body["name"]?.stringValue, kind: body["kind"]?.stringValue,
                              pollsUntilIdle: 2, uiPort: uiPortOverride ?? requestedPort)
        sessions[id] = session
        record(.sessionCreated(id))
        return answer(201, json(session))
    }

    private func pollStart(_ id: LivyID) {
        guard var session = sessions[id], session.state == "starting" else { return }
        session.pollsUntilIdle -= 1
        if session.pollsUntilIdle <= 0 {
            session.state = takenUIPorts.contains(session.uiPort) ? "error" : failStartsWith ?? "idle"
        }
        sessions[id] = session
    }

    private func logLines(_ id: LivyID) -> [String] {
        if let session = sessions[id], takenUIPorts.contains(session.uiPort) {
            // As in a real driver's log: Spark's error, then a long Python traceback after it.
            return ["26/11/22 ERROR SparkUI: Failed to bind SparkUI"]
                + (1...30).map { "  File \"context.py\", line \($0), in start" }
        }
        return ["java.lang.OutOfMemoryError: driver", "exiting"]
    }

    private func submit(_ id: LivyID, _ body: JSONObject) -> HTTPResponse {
        let code = body["code"]?.stringValue ?? ""
        let index = sessions[id]!.statements.count
        let sid = newID(number: index)
        var polls = statementPolls
        if case .hang? = results[code] { polls = Int.max }
        sessions[id]!.statements.append(Statement(id: sid, code: code, kind: body["kind"]?.stringValue, pollsLeft: polls))
        record(.statementSubmitted(session: id, statement: sid, code: code))
        return answer(201, json(sessions[id]!.statements[index]))
    }

    /// Polls the statement at `index` in the session's list (its creation order).
    private func poll(_ id: LivyID, _ index: Int) -> JSONValue {
        var statement = sessions[id]!.statements[index]
        if statement.state == "waiting" || statement.state == "running" {
            statement.pollsLeft -= 1
            statement.state = "running"
            if statement.pollsLeft <= 0 {
                statement.state = "available"
                statement.output = output(statement.code, kind: statement.kind, count: index)
                if case .interpreterDies? = results[statement.code] { sessions[id]!.state = "error" }
            }
            sessions[id]!.statements[index] = statement
        }
        record(.statementPolled(session: id, statement: statement.id, state: statement.state))
        return json(statement)
    }

    /// The scripted result; unscripted SQL gives a row-less result (as `USE` or `CREATE` do),
    /// other code `ran <code>` as text.
    private func output(_ code: String, kind: String?, count: Int) -> JSONValue {
        switch results[code] ?? (kind == "sql" ? .table(columns: [], rows: []) : .text("ran \(code)")) {
        case .text(let text):
            return ["status": "ok", "execution_count": .int(count), "data": ["text/plain": .string(text)]]
        case let .table(columns, rows):
            let fields: [JSONValue] = columns.map {
                ["name": .string($0.name), "type": .string($0.type), "nullable": true, "metadata": [:]]
            }
            return ["status": "ok", "execution_count": .int(count), "data": ["application/json": [
                "schema": ["type": "struct", "fields": .array(fields)], "data": .array(rows.map { .array($0) })]]]
        case let .error(ename, evalue, traceback):
            return ["status": "error", "execution_count": .int(count), "ename": .string(ename), "evalue": .string(evalue),
                    "traceback": .array(traceback.map { .string($0) })]
        case .hang:
            return .null
        case .interpreterDies:
            return ["status": "error", "execution_count": .int(count), "ename": "Error",
                    "evalue": "Interpreter died:\nKilled", "traceback": []]
        }
    }

    // MARK: - JSON as Livy writes it

    private func json(_ session: Session) -> JSONValue {
        ["id": json(session.id), "name": session.name.map { .string($0) } ?? .null, "appId": .string("local-\(session.number)"),
         "owner": .null, "proxyUser": .null, "state": .string(session.state), "kind": session.kind.map { .string($0) } ?? .null,
         "appInfo": ["driverLogUrl": .null, "sparkUiUrl": uiURL(session)],
         "log": ["starting"]]
    }

    private func uiURL(_ session: Session) -> JSONValue {
        switch uiURLShape {
        case .driver: .string("http://127.0.0.1:\(session.uiPort)")
        case .null: .null
        case .yarnProxy: .string("http://rm.example.com:8088/proxy/application_1700000000000_00\(session.number)/")
        }
    }

    private func json(_ statement: Statement) -> JSONValue {
        ["id": json(statement.id), "code": .string(statement.code), "state": .string(statement.state),
         "output": statement.output, "progress": .double(statement.state == "available" ? 1.0 : runningProgress),
         "started": 0, "completed": 0]
    }

    /// An id as the server writes it: a JSON number, or a JSON string.
    private func json(_ id: LivyID) -> JSONValue {
        if let number = id.number { .int(number) } else { .string(id.description) }
    }

    private func answer(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, body: (try? JSONEncoder().encode(body)) ?? Data())
    }

    private func answer(_ status: Int, text: String) -> HTTPResponse {
        HTTPResponse(status: status, body: Data(text.utf8))
    }

    private static func query(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }
}
