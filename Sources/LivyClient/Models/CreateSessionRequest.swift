/// The body of `POST /sessions`: the session's default statement kind and its settings, sent as
/// one flat JSON object (docs/livy-rest.md §2.1). Fields that are not set are not sent.
public struct CreateSessionRequest: Sendable, Equatable, Encodable {
    public var kind: String?
    public var settings: SessionSettings

    public init(kind: String? = nil, settings: SessionSettings = SessionSettings()) {
        self.kind = kind
        self.settings = settings
    }

    private enum CodingKeys: String, CodingKey { case kind }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(kind, forKey: .kind)
    }
}
