import Foundation
import JSONValues
public import Logging

/// `LivyAPI` over HTTP. Builds every URL in one place, sends `X-Requested-By` on every request
/// (Livy's CSRF filter wants it on POST and DELETE; it is harmless elsewhere), retries only GETs.
public struct LivyHTTPClient: LivyAPI {
    public let baseURL: String
    private let transport: any HTTPTransport
    private let retry: RetryPolicy
    private let requestTimeout: Duration
    /// How long a completion may take before the frontend gets no candidates instead.
    private let completionTimeout: Duration
    private let logger: Logger

    public init(baseURL: String, transport: any HTTPTransport, retry: RetryPolicy = .standard,
                requestTimeout: Duration = .seconds(60), completionTimeout: Duration = .seconds(3),
                logger: Logger = Logger(label: "livy")) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.completionTimeout = completionTimeout
        self.logger = logger
    }

    public func createSession(_ request: CreateSessionRequest) async throws(LivyError) -> LivySession {
        try await send(.post, "/sessions", body: request, expect: [201, 200], mustNotRepeat: true)
    }

    public func sessions(from: Int, size: Int) async throws(LivyError) -> LivySessionList {
        try await send(.get, "/sessions?from=\(from)&size=\(size)")
    }

    public func session(id: LivyID) async throws(LivyError) -> LivySession {
        try await sessionScoped(id) { () async throws(LivyError) in try await send(.get, "/sessions/\(id.pathSegment)") }
    }

    public func sessionState(id: LivyID) async throws(LivyError) -> SessionState {
        let state: LivySessionState = try await sessionScoped(id) { () async throws(LivyError) in
            try await send(.get, "/sessions/\(id.pathSegment)/state", lane: .control)
        }
        return state.state
    }

    public func deleteSession(id: LivyID) async throws(LivyError) {
        do {
            let _: Ignored = try await send(.delete, "/sessions/\(id.pathSegment)", timeout: .seconds(5), lane: .control)
        } catch .http(status: 404, _, _) {
            return  // already gone: the goal is reached
        }
    }

    public func sessionLog(id: LivyID, from: Int?, size: Int) async throws(LivyError) -> LivyLog {
        let query = (from.map { "from=\($0)&" } ?? "") + "size=\(size)"
        return try await sessionScoped(id) { () async throws(LivyError) in try await send(.get, "/sessions/\(id.pathSegment)/log?\(query)") }
    }

    public func submitStatement(sessionID: LivyID, code: String, kind: String?) async throws(LivyError) -> LivyStatement {
        try await sessionScoped(sessionID) { () async throws(LivyError) in
            try await send(.post, "/sessions/\(sessionID.pathSegment)/statements", body: SubmitStatementRequest(code: code, kind: kind),
                           expect: [201, 200], mustNotRepeat: true)
        }
    }

    public func statements(sessionID: LivyID) async throws(LivyError) -> [LivyStatement] {
        let list: LivyStatementList = try await sessionScoped(sessionID) { () async throws(LivyError) in
            try await send(.get, "/sessions/\(sessionID.pathSegment)/statements")
        }
        return list.statements
    }

    public func statement(sessionID: LivyID, statementID: LivyID) async throws(LivyError) -> LivyStatement {
        try await send(.get, "/sessions/\(sessionID.pathSegment)/statements/\(statementID.pathSegment)")
    }

    public func cancelStatement(sessionID: LivyID, statementID: LivyID) async throws(LivyError) {
        let _: Ignored = try await send(.post, "/sessions/\(sessionID.pathSegment)/statements/\(statementID.pathSegment)/cancel",
                                        body: [String: String](), expect: [200], lane: .control)
    }

    public func completion(sessionID: LivyID, code: String, kind: String, cursor: Int) async throws(LivyError) -> [String] {
        // Someone is typing: a late answer is worth nothing, and Livy answers in milliseconds
        // unless the interpreter is busy.
        let response: CompletionResponse = try await send(
            .post, "/sessions/\(sessionID.pathSegment)/completion", body: CompletionRequest(code: code, kind: kind, cursor: cursor),
            expect: [200], timeout: completionTimeout, lane: .completion)
        return response.candidates
    }

    // MARK: - Plumbing

    /// Maps a 404 on a session path to `sessionNotFound`, so callers can tell "gone" from "broken".
    private func sessionScoped<T>(_ id: LivyID, _ call: () async throws(LivyError) -> T) async throws(LivyError) -> T {
        do {
            return try await call()
        } catch .http(status: 404, _, let message) where message.contains("Session") || message.contains("not found") {
            throw .sessionNotFound(id: id)
        }
    }

    private func send<Response: Decodable>(_ method: HTTPRequest.Method, _ path: String,
                                           expect: Set<Int> = [200], timeout: Duration? = nil,
                                           lane: HTTPRequest.Lane = .main) async throws(LivyError) -> Response {
        try await send(method, path, bodyData: nil, expect: expect, timeout: timeout, mustNotRepeat: false, lane: lane)
    }

    private func send<Body: Encodable, Response: Decodable>(_ method: HTTPRequest.Method, _ path: String, body: Body,
                                                           expect: Set<Int>, timeout: Duration? = nil,
                                                           mustNotRepeat: Bool = false, lane: HTTPRequest.Lane = .main)
        async throws(LivyError) -> Response {
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw .invalidResponse(url: baseURL + path, reason: "cannot encode the request: \(error)")
        }
        return try await send(method, path, bodyData: data, expect: expect, timeout: timeout,
                              mustNotRepeat: mustNotRepeat, lane: lane)
    }

    private func send<Response: Decodable>(_ method: HTTPRequest.Method, _ path: String, bodyData: Data?,
                                           expect: Set<Int>, timeout: Duration?, mustNotRepeat: Bool,
                                           lane: HTTPRequest.Lane) async throws(LivyError) -> Response {
        let url = baseURL + path
        var headers = ["X-Requested-By": "livykernel", "Accept": "application/json"]
        if bodyData != nil { headers["Content-Type"] = "application/json" }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: bodyData,
                                  timeout: timeout ?? requestTimeout, mustNotRepeat: mustNotRepeat, lane: lane)
        // Only GETs are safe to repeat.
        let delays = method == .get ? retry.delays : []
        var attempt = 0
        while true {
            do {
                return try await exchange(request, expect: expect)
            } catch {
                guard error.isTransient, attempt < delays.count else { throw error }
                logger.debug("retrying \(method.rawValue) \(url) after: \(error)")
                try? await Task.sleep(for: delays[attempt])
                if Task.isCancelled { throw error }
                attempt += 1
            }
        }
    }

    private func exchange<Response: Decodable>(_ request: HTTPRequest, expect: Set<Int>) async throws(LivyError) -> Response {
        let response: HTTPResponse
        let shownURL = RedactedURL.redact(request.url)
        do {
            response = try await transport.perform(request)
        } catch {
            switch error.kind {
            case .authentication: throw .authentication(url: shownURL, problem: error.message)
            case .tls: throw .tls(url: shownURL, problem: error.message)
            case .cannotConnect, .timedOut, .other: break
            }
            if request.mustNotRepeat && error.requestSent && error.kind != .cannotConnect {
                throw .answerLost(url: shownURL, reason: error.message)
            }
            throw .unreachable(url: shownURL, reason: error.message)
        }
        guard expect.contains(response.status) else {
            throw .http(status: response.status, url: shownURL, message: LivyErrorBody.message(from: response.body))
        }
        if Response.self == Ignored.self { return Ignored() as! Response }
        do {
            if let fast = Response.self as? any JSONValueDecodable.Type {
                return try fast.init(json: try JSONParser.parse(response.body)) as! Response
            }
            return try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
            let reason = "\(Self.describe(error)); body starts with: \(snippet)"
            // A 2xx to a creating request means Livy took it: an unreadable answer (cut by a
            // proxy, garbled on the way) loses what it created, it does not undo it.
            if request.mustNotRepeat {
                throw .answerLost(url: shownURL, reason: "HTTP \(response.status), but the answer is unreadable: \(reason)")
            }
            throw .invalidResponse(url: shownURL, reason: reason)
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case is JSONParser.Error: "not JSON (\(error))"
        case let shape as JSONShapeError: shape.description
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted: "not JSON"
        default: "\(error)"
        }
    }
}

/// A response whose body is not needed (DELETE's `{"msg":"deleted"}`, cancel's `{"msg":"canceled"}`).
private struct Ignored: Decodable {}
