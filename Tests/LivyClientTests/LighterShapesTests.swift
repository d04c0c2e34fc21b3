import Foundation
import JSONValues
import Testing
@testable import LivyClient

/// The JSON shapes of Lighter (exacaster/lighter), read from its source: `Application.java` (a
/// session), `rest/magic/SessionList.java` and `ApplicationList.java` (GET /sessions with and
/// without `X-Compatibility-Mode: sparkmagic`), `processors/Output.java` (a statement's output).
@Suite struct LighterShapesTests {
    static let uuid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    static let session = """
        {"id": "\(uuid)", "type": "SESSION", "state": "idle", "appId": null, "appInfo": "driver log at …",
         "kind": "pyspark", "log": [], "submitParams": {"name": "livykernel-alice-0000beef", "conf": {}},
         "createdAt": "2026-12-02T10:00:00.123", "contactedAt": null, "finishedAt": null}
        """

    @Test func aSessionHasItsNameInSubmitParamsAndAppInfoAsAString() throws {
        let session = try JSONDecoder().decode(LivySession.self, from: Data(Self.session.utf8))
        #expect(session.id == LivyID(text: Self.uuid))
        #expect(session.name == "livykernel-alice-0000beef")
        #expect(session.appInfo == LivySession.AppInfo(), "a string appInfo never names the driver's UI")
        #expect(session.state == .idle)
    }

    @Test func theSessionListIsReadUnderEitherName() throws {
        for key in ["sessions", "applications"] {
            let list = try JSONDecoder().decode(LivySessionList.self, from: Data("""
                {"from": 0, "total": 1, "\(key)": [\(Self.session)]}
                """.utf8))
            #expect(list.sessions.map(\.id) == [LivyID(text: Self.uuid)], "key \(key)")
        }
    }

    @Test func anErrorOutputGetsItsTypeAndMessageBackFromTheTraceback() throws {
        // shell_wrapper.py's traceback list as Java's String.valueOf prints it.
        let traceback = "[Traceback (most recent call last):\\n,   File \\\"<string>\\\", line 1, in <module>\\n, "
            + "NameError: name 'undefined_name' is not defined\\n]"
        let body = #"{"id": "s1", "code": "undefined_name", "state": "error", "createdAt": "2026-12-02T10:00:01", "output": "#
            + #"{"status": "error", "executionCount": 1, "data": {"text/plain": ""}, "evalue": "NameError", "traceback": ""#
            + traceback + #""}}"#
        for statement in [try JSONDecoder().decode(LivyStatement.self, from: Data(body.utf8)),
                          try LivyStatement(json: try JSONParser.parse(Data(body.utf8)))] {
            #expect(statement.state == .error && statement.state.isFinal)
            guard case let .error(count, ename, evalue, lines)? = statement.output else {
                Issue.record("not an error: \(String(describing: statement.output))")
                continue
            }
            #expect(count == 1)
            #expect(ename == "NameError")
            #expect(evalue == "name 'undefined_name' is not defined")
            #expect(lines == ["Traceback (most recent call last):\n", "  File \"<string>\", line 1, in <module>\n",
                              "NameError: name 'undefined_name' is not defined\n"])
        }
    }

    @Test func anErrorWithoutATracebackKeepsWhatItHas() throws {
        let output = try StatementOutput(json: try JSONParser.parse(Data(#"{"status": "error", "evalue": "boom happened"}"#.utf8)))
        #expect(output == .error(executionCount: nil, ename: "Error", evalue: "boom happened", traceback: []))
        #expect(StatementOutput.tracebackLines(javaListString: "plain text") == ["plain text"])
    }

    @Test func anOkOutputReadsCamelCaseExecutionCount() throws {
        let output = try StatementOutput(json: try JSONParser.parse(Data(
            #"{"status": "ok", "executionCount": 1, "data": {"text/plain": "2"}, "evalue": null, "traceback": null}"#.utf8)))
        #expect(output == .ok(executionCount: 1, data: ["text/plain": "2"]))
    }
}
