import Foundation
import Synchronization
import Testing
@testable import LivyClient

/// A transport that answers from a script and records what was asked.
final class ScriptedTransport: HTTPTransport {
    private let script: Mutex<[Result<HTTPResponse, HTTPTransportError>]>
    private let seen = Mutex<[HTTPRequest]>([])

    init(_ script: [Result<HTTPResponse, HTTPTransportError>]) {
        self.script = Mutex(script)
    }

    var requests: [HTTPRequest] { seen.withLock { $0 } }

    func perform(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        seen.withLock { $0.append(request) }
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { throw HTTPTransportError(kind: .other, message: "script exhausted") }
        return try next.get()
    }
}

@Suite struct LivyHTTPClientTests {
    let refused = HTTPTransportError(kind: .cannotConnect, message: "Couldn't connect to server")
    static let statementJSON = #"{"id": 7, "code": "1+1", "state": "waiting", "output": null, "progress": 0, "started": 0, "completed": 0}"#

    func client(_ transport: ScriptedTransport) -> LivyHTTPClient {
        LivyHTTPClient(baseURL: "http://livy:8998/", transport: transport,
                       retry: RetryPolicy(delays: [.milliseconds(1), .milliseconds(1)]))
    }

    func ok(_ body: String, status: Int = 200) -> Result<HTTPResponse, HTTPTransportError> {
        .success(HTTPResponse(status: status, body: Data(body.utf8)))
    }

    @Test func getsAreRetriedOnConnectionErrorsAnd5xx() async throws {
        let transport = ScriptedTransport([.failure(refused), ok(#""busy""#, status: 503), ok(#"{"id": 1, "state": "idle"}"#)])
        #expect(try await client(transport).sessionState(id: 1) == .idle)
        #expect(transport.requests.count == 3)
        #expect(transport.requests.allSatisfy { $0.url == "http://livy:8998/sessions/1/state" })
    }

    @Test func retriesGiveUpWithTheLastError() async {
        let transport = ScriptedTransport([.failure(refused), .failure(refused), .failure(refused)])
        await #expect(throws: LivyError.unreachable(url: "http://livy:8998/sessions/1/state", reason: "Couldn't connect to server")) {
            _ = try await client(transport).sessionState(id: 1)
        }
        #expect(transport.requests.count == 3)
    }

    @Test func statementPostsAreNeverRetried() async {
        let transport = ScriptedTransport([ok(#""java.lang.RuntimeException: boom""#, status: 500), ok(Self.statementJSON, status: 201)])
        await #expect(throws: LivyError.http(status: 500, url: "http://livy:8998/sessions/1/statements",
                                             message: "java.lang.RuntimeException: boom")) {
            _ = try await client(transport).submitStatement(sessionID: 1, code: "1+1", kind: "pyspark")
        }
        #expect(transport.requests.count == 1, "the user's code must not run twice")
    }

    @Test func postsCarryKindJSONAndTheCSRFHeader() async throws {
        let transport = ScriptedTransport([ok(Self.statementJSON, status: 201)])
        let statement = try await client(transport).submitStatement(sessionID: 1, code: "1+1", kind: "pyspark")
        #expect(statement.id == 7)
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.headers["X-Requested-By"] == "livykernel")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: request.body ?? Data()) as? [String: String])
        #expect(body == ["code": "1+1", "kind": "pyspark"])
    }

    @Test func missingSessionIsSessionNotFound() async {
        let transport = ScriptedTransport([ok(#"{"msg":"Session '5' not found."}"#, status: 404)])
        await #expect(throws: LivyError.sessionNotFound(id: 5)) { _ = try await client(transport).session(id: 5) }
    }

    @Test func deletingAGoneSessionIsFine() async throws {
        let transport = ScriptedTransport([ok(#"{"msg":"Session '5' not found."}"#, status: 404)])
        try await client(transport).deleteSession(id: 5)
        #expect(transport.requests.first?.method == .delete)
    }

    @Test func garbageIsAnInvalidResponse() async {
        let transport = ScriptedTransport([ok("<html>proxy login</html>")])
        do {
            _ = try await client(transport).session(id: 1)
            Issue.record("garbage must not decode")
        } catch {
            guard case .invalidResponse(let url, let reason) = error else { Issue.record("\(error)"); return }
            #expect(url == "http://livy:8998/sessions/1")
            #expect(reason.contains("not JSON") && reason.contains("<html>proxy login"))
        }
    }

    @Test func anUnreadableAnswerToACreatingPostIsALostAnswerNotGarbage() async {
        // The 201 says Livy created the statement; the cut body only loses its id.
        let transport = ScriptedTransport([ok(#"{"id": 7, "code": "1+"#, status: 201)])
        do {
            _ = try await client(transport).submitStatement(sessionID: 1, code: "1+1", kind: "pyspark")
            Issue.record("a cut answer must not decode")
        } catch {
            guard case .answerLost(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("HTTP 201") && reason.contains("unreadable"))
            #expect(error.mayHaveActed != nil)
        }
        #expect(transport.requests.count == 1)
    }

    @Test func logQueryAndCancel() async throws {
        let transport = ScriptedTransport([ok(#"{"id": 2, "from": 0, "total": 1, "log": ["x"]}"#), ok(#"{"msg":"canceled"}"#)])
        let api = client(transport)
        _ = try await api.sessionLog(id: 2, from: nil, size: 20)
        try await api.cancelStatement(sessionID: 2, statementID: 3)
        #expect(transport.requests.map(\.url) == ["http://livy:8998/sessions/2/log?size=20",
                                                 "http://livy:8998/sessions/2/statements/3/cancel"])
    }
}
