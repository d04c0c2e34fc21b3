public import JSONValues
/// `complete_request`: offsets count Unicode code points (protocol 5.2+).
public struct CompleteRequest: Sendable, Equatable, Decodable {
    public var code: String
    public var cursorPos: Int

    public init(code: String, cursorPos: Int) {
        self.code = code
        self.cursorPos = cursorPos
    }

    enum CodingKeys: String, CodingKey { case code, cursorPos = "cursor_pos" }
}

public struct CompleteReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public var matches: [String]
    public var cursorStart: Int
    public var cursorEnd: Int
    public var metadata: JSONObject = [:]

    public init(matches: [String], cursorStart: Int, cursorEnd: Int) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }

    enum CodingKeys: String, CodingKey {
        case status, matches, cursorStart = "cursor_start", cursorEnd = "cursor_end", metadata
    }
}

public struct InspectRequest: Sendable, Equatable, Decodable {
    public var code: String
    public var cursorPos: Int
    public var detailLevel: Int

    public init(code: String, cursorPos: Int, detailLevel: Int = 0) {
        self.code = code
        self.cursorPos = cursorPos
        self.detailLevel = detailLevel
    }

    enum CodingKeys: String, CodingKey { case code, cursorPos = "cursor_pos", detailLevel = "detail_level" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code),
                  cursorPos: try c.decode(Int.self, forKey: .cursorPos),
                  detailLevel: try c.decodeIfPresent(Int.self, forKey: .detailLevel) ?? 0)
    }
}

public struct InspectReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public var found: Bool
    public var data: JSONObject
    public var metadata: JSONObject = [:]

    public init(found: Bool, data: JSONObject = [:]) {
        self.found = found
        self.data = data
    }

    public static let notFound = InspectReply(found: false)
}

public struct IsCompleteRequest: Sendable, Equatable, Decodable {
    public var code: String
    public init(code: String) { self.code = code }
}

/// `is_complete_reply`: its `status` is the verdict itself; `indent` only with `incomplete`.
public struct IsCompleteReply: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Encodable { case complete, incomplete, invalid, unknown }
    public var status: Status
    public var indent: String?

    public init(status: Status, indent: String? = nil) {
        self.status = status
        self.indent = status == .incomplete ? (indent ?? "") : nil
    }
}
