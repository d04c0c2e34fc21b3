public struct ShutdownRequest: Sendable, Equatable, Decodable {
    public var restart: Bool
    public init(restart: Bool) { self.restart = restart }

    enum CodingKeys: String, CodingKey { case restart }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        restart = try c.decodeIfPresent(Bool.self, forKey: .restart) ?? false
    }
}

public struct ShutdownReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public var restart: Bool
    public init(restart: Bool) { self.restart = restart }
}

/// `interrupt_reply`: acknowledges the interrupt; the interrupted execute ends with its own reply.
public struct InterruptReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public init() {}
}

public struct InputReply: Sendable, Equatable, Decodable {
    public var value: String
    public init(value: String) { self.value = value }
}
