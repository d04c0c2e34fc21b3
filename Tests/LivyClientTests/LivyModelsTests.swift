import Foundation
import JSONValues
import Testing
@testable import LivyClient

/// Golden shapes from docs/livy-rest.md §2.2–§3.8 and §6.1 (Livy 0.7 and 0.8).
@Suite struct LivyModelsTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test func session07() throws {
        let session = try decode(LivySession.self, """
            {"id": 0, "name": null, "appId": null, "owner": null, "proxyUser": null,
             "state": "starting", "kind": "pyspark",
             "appInfo": {"driverLogUrl": null, "sparkUiUrl": null},
             "log": ["stdout: ", "\\nstderr: "]}
            """)
        #expect(session.id == 0 && session.state == .starting && session.kind == "pyspark")
        #expect(session.appInfo == LivySession.AppInfo())
        #expect(session.log.count == 2)
    }

    @Test func session08WithExtraFields() throws {
        let session = try decode(LivySession.self, """
            {"id": 3, "name": "nb-7f2c", "appId": "application_1700000000000_0042",
             "owner": "knox", "proxyUser": "alice", "state": "idle", "kind": "shared",
             "appInfo": {"driverLogUrl": "http://nm1:8042/node/containerlogs/c/alice",
                         "sparkUiUrl": "http://rm:8088/proxy/application_1700000000000_0042/"},
             "log": [], "ttl": "alice", "driverMemory": "2g", "driverCores": 0, "executorMemory": null,
             "executorCores": 0, "conf": {"spark.sql.shuffle.partitions": "8"}, "archives": [],
             "files": [], "heartbeatTimeoutInSecond": 60, "jars": [], "numExecutors": 0, "pyFiles": [], "queue": null}
            """)
        #expect(session.state == .idle && session.state.isReady)
        #expect(session.appInfo.sparkUiUrl == "http://rm:8088/proxy/application_1700000000000_0042/")
        #expect(session.proxyUser == "alice")
    }

    @Test func unknownStatesAreKeptNotRejected() throws {
        let state = try decode(LivySessionState.self, #"{"id": 1, "state": "hibernating"}"#)
        #expect(state.state == .unknown("hibernating"))
        #expect(!state.state.isReady && !state.state.isFinal)
    }

    @Test(arguments: ["error", "dead", "killed", "success", "shutting_down"])
    func finalStates(name: String) {
        #expect(SessionState(rawValue: name).isFinal)
    }

    @Test func logAcceptsTotalOrSize() throws {
        #expect(try decode(LivyLog.self, #"{"id": 3, "from": 187, "total": 287, "log": ["a"]}"#).total == 287)
        #expect(try decode(LivyLog.self, #"{"id": 3, "from": 0, "size": 2, "log": ["a", "b"]}"#).total == 2)
    }

    @Test func finishedStatement() throws {
        let statement = try decode(LivyStatement.self, """
            {"id": 0, "code": "1 + 1", "state": "available",
             "output": {"status": "ok", "execution_count": 0, "data": {"text/plain": "2"}},
             "progress": 1.0, "started": 1735725600123, "completed": 1735725600456}
            """)
        #expect(statement.state.isFinal)
        #expect(statement.output == .ok(executionCount: 0, data: ["text/plain": "2"]))
        #expect(statement.completed - statement.started == 333)
    }

    @Test func waitingStatementHasNoOutput() throws {
        let statement = try decode(LivyStatement.self, #"{"id": 4, "code": "x", "state": "waiting", "output": null, "progress": 0.0, "started": 0, "completed": 0}"#)
        #expect(statement.output == nil && !statement.state.isFinal)
    }

    @Test func errorOutputAndSQLResult() throws {
        let error = try decode(StatementOutput.self, """
            {"status": "error", "execution_count": 2, "ename": "NameError", "evalue": "name 'x' is not defined",
             "traceback": ["Traceback (most recent call last):\\n", "NameError: name 'x' is not defined\\n"]}
            """)
        #expect(error == .error(executionCount: 2, ename: "NameError", evalue: "name 'x' is not defined",
                                traceback: ["Traceback (most recent call last):\n", "NameError: name 'x' is not defined\n"]))
        let sql = try decode(StatementOutput.self, """
            {"status": "ok", "execution_count": 5, "data": {"application/json": {
               "schema": {"type": "struct", "fields": [{"name": "a", "type": "integer", "nullable": false, "metadata": {}}]},
               "data": [[1]]}}}
            """)
        guard case .ok(_, let data) = sql else { Issue.record("not ok"); return }
        #expect(data["application/json"] != nil)
    }

    @Test func createRequestSendsOnlySetFields() throws {
        let body = try JSONEncoder().encode(CreateSessionRequest(kind: "pyspark", settings: SessionSettings(conf: ["spark.ui.port": "4041"])))
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(Set(object.keys) == ["kind", "conf"])
    }
}

@Suite struct LivyErrorBodyTests {
    @Test func msgObject() {
        #expect(LivyErrorBody.message(from: Data(#"{"msg":"Session '42' not found."}"#.utf8)) == "Session '42' not found.")
    }

    @Test func bareString() {
        #expect(LivyErrorBody.message(from: Data(#""java.lang.IllegalStateException: Session is in state starting""#.utf8))
                == "java.lang.IllegalStateException: Session is in state starting")
    }

    @Test func htmlPage() {
        let html = "<html><head><title>Error 400 Missing Required Header for CSRF protection.</title></head><body><h2>HTTP ERROR 400</h2></body></html>"
        #expect(LivyErrorBody.message(from: Data(html.utf8)) == "Error 400 Missing Required Header for CSRF protection.")
    }

    @Test func plainTextAndEmpty() {
        #expect(LivyErrorBody.message(from: Data("Bad gateway\nmore".utf8)) == "Bad gateway")
        #expect(LivyErrorBody.message(from: Data()) == "")
    }
}
