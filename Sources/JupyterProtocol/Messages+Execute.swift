public import JSONValues
/// `execute_request` content, with the defaults ipykernel applies when a field is missing.
public struct ExecuteRequest: Sendable, Equatable, Decodable {
    public var code: String
    public var silent: Bool
    public var storeHistory: Bool
    public var userExpressions: [String: String]
    public var allowStdin: Bool
    public var stopOnError: Bool

    enum CodingKeys: String, CodingKey {
        case code, silent, storeHistory = "store_history", userExpressions = "user_expressions"
        case allowStdin = "allow_stdin", stopOnError = "stop_on_error"
    }

    public init(code: String, silent: Bool = false, storeHistory: Bool = true,
                userExpressions: [String: String] = [:], allowStdin: Bool = false, stopOnError: Bool = true) {
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory && !silent
        self.userExpressions = userExpressions
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let silent = try c.decodeIfPresent(Bool.self, forKey: .silent) ?? false
        self.init(
            code: try c.decode(String.self, forKey: .code),
            silent: silent,
            storeHistory: try c.decodeIfPresent(Bool.self, forKey: .storeHistory) ?? !silent,
            userExpressions: try c.decodeIfPresent([String: String].self, forKey: .userExpressions) ?? [:],
            allowStdin: try c.decodeIfPresent(Bool.self, forKey: .allowStdin) ?? false,
            stopOnError: try c.decodeIfPresent(Bool.self, forKey: .stopOnError) ?? true)
    }
}

/// An error as Jupyter shows it: the `error` iopub content and the error fields of replies.
public struct ErrorContent: Sendable, Equatable, Codable {
    public var ename: String
    public var evalue: String
    public var traceback: [String]

    public init(ename: String, evalue: String, traceback: [String]) {
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
    }
}

/// `execute_reply` content: ok with the count, or an error that names what went wrong.
public struct ExecuteReply: Sendable, Equatable, Encodable {
    public enum Outcome: Sendable, Equatable {
        case ok
        case error(ErrorContent)
    }

    public var executionCount: Int
    public var outcome: Outcome

    public init(executionCount: Int, outcome: Outcome) {
        self.executionCount = executionCount
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case status, executionCount = "execution_count", payload, userExpressions = "user_expressions"
        case ename, evalue, traceback
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(executionCount, forKey: .executionCount)
        switch outcome {
        case .ok:
            try c.encode("ok", forKey: .status)
            try c.encode([JSONValue](), forKey: .payload)
            try c.encode(JSONObject(), forKey: .userExpressions)
        case .error(let error):
            try c.encode("error", forKey: .status)
            try c.encode(error.ename, forKey: .ename)
            try c.encode(error.evalue, forKey: .evalue)
            try c.encode(error.traceback, forKey: .traceback)
        }
    }
}

/// `execute_input`: the code being run and its execution count, broadcast on iopub.
public struct ExecuteInput: Sendable, Equatable, Encodable {
    public var code: String
    public var executionCount: Int

    public init(code: String, executionCount: Int) {
        self.code = code
        self.executionCount = executionCount
    }

    enum CodingKeys: String, CodingKey { case code, executionCount = "execution_count" }
}
