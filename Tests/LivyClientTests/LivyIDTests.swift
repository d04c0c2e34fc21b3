import Foundation
import Testing
@testable import LivyClient

/// Livy's numbered ids and the string ids of Livy-shaped servers (Lighter's UUIDs), and Lighter's
/// `canceled` spelling.
@Suite struct LivyIDTests {
    static let uuid = "0f8fad5b-d9cb-469f-a165-70867728950e"

    @Test func anIdIsEncodedBackInTheShapeItCameIn() throws {
        let ids = try JSONDecoder().decode([LivyID].self, from: Data(#"[7, "\#(Self.uuid)", "12"]"#.utf8))
        #expect(ids.map(\.description) == ["7", Self.uuid, "12"])
        #expect(ids[0].number == 7 && ids[1].number == nil && ids[2].number == nil)
        #expect(String(decoding: try JSONEncoder().encode(ids), as: UTF8.self) == #"[7,"\#(Self.uuid)","12"]"#)
    }

    @Test func idsAreEqualWhenTheyPrintTheSame() {
        #expect(LivyID(3) == 3)
        #expect(LivyID(text: "3") == LivyID(3), "the same id in a URL")
        #expect(LivyID(text: Self.uuid) != LivyID(text: Self.uuid.uppercased()))
        #expect(Set([LivyID(3), LivyID(text: "3")]).count == 1)
    }

    @Test func typedIdsAreNumbersOnlyWhenWrittenAsNumbers() {
        #expect(LivyID(parsing: "12")?.number == 12)
        #expect(LivyID(parsing: " 12 ")?.number == 12)
        #expect(LivyID(parsing: "012")?.number == nil && LivyID(parsing: "012")?.description == "012")
        #expect(LivyID(parsing: Self.uuid)?.description == Self.uuid)
        #expect(LivyID(parsing: "  ") == nil)
    }

    @Test func aStringIdIsOnePathSegment() {
        #expect(LivyID(text: Self.uuid).pathSegment == Self.uuid)
        #expect(LivyID(text: "a/b c").pathSegment == "a%2Fb%20c")
        #expect(LivyID(42).pathSegment == "42")
    }

    @Test func sessionsAndStatementsWithUUIDsDecode() throws {
        let session = try JSONDecoder().decode(LivySession.self, from: Data("""
            {"id": "\(Self.uuid)", "name": "nb", "state": "idle", "kind": "pyspark", "appInfo": {}, "log": []}
            """.utf8))
        #expect(session.id == LivyID(text: Self.uuid))
        let state = try JSONDecoder().decode(LivySessionState.self, from: Data(#"{"id": "\#(Self.uuid)", "state": "busy"}"#.utf8))
        #expect(state.id.description == Self.uuid)
        let statement = try JSONDecoder().decode(LivyStatement.self, from: Data(#"{"id": "s-1", "state": "canceled"}"#.utf8))
        #expect(statement.id == LivyID(text: "s-1") && statement.state == .cancelled)
    }

    @Test func theHTTPClientUsesStringIdsInURLsAndReadsCanceled() async throws {
        let statement = #"{"id": "st-9", "code": "1+1", "state": "canceled", "output": null, "progress": 1}"#
        let list = #"{"total_statements": 1, "statements": [\#(statement)]}"#
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data(statement.utf8))),
                                           .success(HTTPResponse(status: 200, body: Data(list.utf8)))])
        let client = LivyHTTPClient(baseURL: "http://lighter:8080/lighter/api", transport: transport, retry: .never)
        let polled = try await client.statement(sessionID: LivyID(text: Self.uuid), statementID: LivyID(text: "st-9"))
        #expect(polled.id == LivyID(text: "st-9") && polled.state == .cancelled, "Lighter's spelling is Livy's 'cancelled'")
        let listed = try await client.statements(sessionID: LivyID(text: Self.uuid))
        #expect(listed.map(\.id) == [LivyID(text: "st-9")])
        #expect(transport.requests.map(\.url) == ["http://lighter:8080/lighter/api/sessions/\(Self.uuid)/statements/st-9",
                                                  "http://lighter:8080/lighter/api/sessions/\(Self.uuid)/statements"])
    }

    @Test func aMissingStringSessionIsSessionNotFound() async {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 404, body: Data(#"{"msg":"Session not found"}"#.utf8)))])
        let client = LivyHTTPClient(baseURL: "http://lighter:8080", transport: transport, retry: .never)
        await #expect(throws: LivyError.sessionNotFound(id: LivyID(text: Self.uuid))) {
            try await client.sessionState(id: LivyID(text: Self.uuid))
        }
    }
}
