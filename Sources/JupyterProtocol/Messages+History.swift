/// `history_request`. Fields beyond the access type depend on it, so all are optional.
public struct HistoryRequest: Sendable, Equatable, Decodable {
    public enum Access: String, Sendable, Decodable { case range, tail, search }

    public var output: Bool
    public var raw: Bool
    public var access: Access
    public var session: Int?
    public var start: Int?
    public var stop: Int?
    public var n: Int?
    public var pattern: String?
    public var unique: Bool

    public init(output: Bool = false, raw: Bool = true, access: Access, session: Int? = nil, start: Int? = nil,
                stop: Int? = nil, n: Int? = nil, pattern: String? = nil, unique: Bool = false) {
        self.output = output
        self.raw = raw
        self.access = access
        self.session = session
        self.start = start
        self.stop = stop
        self.n = n
        self.pattern = pattern
        self.unique = unique
    }

    enum CodingKeys: String, CodingKey {
        case output, raw, access = "hist_access_type", session, start, stop, n, pattern, unique
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(output: try c.decodeIfPresent(Bool.self, forKey: .output) ?? false,
                  raw: try c.decodeIfPresent(Bool.self, forKey: .raw) ?? true,
                  access: try c.decode(Access.self, forKey: .access),
                  session: try c.decodeIfPresent(Int.self, forKey: .session),
                  start: try c.decodeIfPresent(Int.self, forKey: .start),
                  stop: try c.decodeIfPresent(Int.self, forKey: .stop),
                  n: try c.decodeIfPresent(Int.self, forKey: .n),
                  pattern: try c.decodeIfPresent(String.self, forKey: .pattern),
                  unique: try c.decodeIfPresent(Bool.self, forKey: .unique) ?? false)
    }
}

/// One history entry: `[session, line, input]`, or `[session, line, [input, output]]`.
public struct HistoryEntry: Sendable, Equatable, Encodable {
    public var session: Int
    public var line: Int
    public var input: String
    public var output: String?

    public init(session: Int, line: Int, input: String, output: String? = nil) {
        self.session = session
        self.line = line
        self.input = input
        self.output = output
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(session)
        try c.encode(line)
        if let output {
            try c.encode([input, output])
        } else {
            try c.encode(input)
        }
    }
}

public struct HistoryReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public var history: [HistoryEntry]
    public init(history: [HistoryEntry]) { self.history = history }
}
