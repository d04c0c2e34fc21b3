/// The header every Jupyter message carries.
public struct MessageHeader: Sendable, Equatable, Codable {
    /// The protocol version this kernel speaks: the first with message-mode interrupts.
    public static let protocolVersion = "5.3"

    public var msgID: String
    public var session: String
    public var username: String
    public var date: String
    public var msgType: String
    public var version: String

    enum CodingKeys: String, CodingKey {
        case msgID = "msg_id", session, username, date, msgType = "msg_type", version
    }

    public init(msgID: String, session: String, username: String, date: String, msgType: String,
                version: String = MessageHeader.protocolVersion) {
        self.msgID = msgID
        self.session = session
        self.username = username
        self.date = date
        self.msgType = msgType
        self.version = version
    }

    /// Only `msg_id` and `msg_type` are needed to route a request; clients differ on the rest.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        msgID = try c.decode(String.self, forKey: .msgID)
        msgType = try c.decode(String.self, forKey: .msgType)
        session = try c.decodeIfPresent(String.self, forKey: .session) ?? ""
        username = try c.decodeIfPresent(String.self, forKey: .username) ?? ""
        date = (try? c.decodeIfPresent(String.self, forKey: .date)) ?? ""
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? ""
    }
}
