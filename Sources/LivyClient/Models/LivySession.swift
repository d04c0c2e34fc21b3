/// The session object of `GET /sessions/{id}` (Livy 0.7 fields; 0.8 extras are ignored).
public struct LivySession: Sendable, Equatable, Decodable {
    public var id: LivyID
    public var name: String?
    public var appId: String?
    public var owner: String?
    public var proxyUser: String?
    public var state: SessionState
    public var kind: String?
    public var appInfo: AppInfo
    public var log: [String]

    public struct AppInfo: Sendable, Equatable, Decodable {
        public var driverLogUrl: String?
        public var sparkUiUrl: String?

        public init(driverLogUrl: String? = nil, sparkUiUrl: String? = nil) {
            self.driverLogUrl = driverLogUrl
            self.sparkUiUrl = sparkUiUrl
        }
    }

    public init(id: LivyID, name: String? = nil, appId: String? = nil, owner: String? = nil, proxyUser: String? = nil,
                state: SessionState, kind: String? = nil, appInfo: AppInfo = AppInfo(), log: [String] = []) {
        self.id = id
        self.name = name
        self.appId = appId
        self.owner = owner
        self.proxyUser = proxyUser
        self.state = state
        self.kind = kind
        self.appInfo = appInfo
        self.log = log
    }

    enum CodingKeys: String, CodingKey { case id, name, appId, owner, proxyUser, state, kind, appInfo, log, submitParams }

    /// Where Lighter keeps the session's name (`Application.submitParams.name`).
    private struct SubmitParams: Decodable {
        var name: String?
    }

    /// Lenient where Livy versions and Livy-shaped servers differ: `appInfo` and `log` may be
    /// missing or null; Lighter sends `appInfo` as a string (never the UI's address) and the name
    /// only inside `submitParams`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .name)
            ?? (try? c.decodeIfPresent(SubmitParams.self, forKey: .submitParams))??.name
        self.init(id: try c.decode(LivyID.self, forKey: .id),
                  name: name,
                  appId: try c.decodeIfPresent(String.self, forKey: .appId),
                  owner: try c.decodeIfPresent(String.self, forKey: .owner),
                  proxyUser: try c.decodeIfPresent(String.self, forKey: .proxyUser),
                  state: try c.decode(SessionState.self, forKey: .state),
                  kind: try c.decodeIfPresent(String.self, forKey: .kind),
                  appInfo: (try? c.decodeIfPresent(AppInfo.self, forKey: .appInfo)) ?? AppInfo(),
                  log: try c.decodeIfPresent([String].self, forKey: .log) ?? [])
    }
}

/// `GET /sessions/{id}/state`.
public struct LivySessionState: Sendable, Equatable, Decodable {
    public var id: LivyID
    public var state: SessionState
}

/// `GET /sessions/{id}/log`. Livy's code answers `total`; its docs say `size`: accept either.
public struct LivyLog: Sendable, Equatable, Decodable {
    public var id: LivyID
    public var from: Int
    public var total: Int
    public var log: [String]

    enum CodingKeys: String, CodingKey { case id, from, total, size, log }

    public init(id: LivyID, from: Int, total: Int, log: [String]) {
        self.id = id
        self.from = from
        self.total = total
        self.log = log
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let log = try c.decodeIfPresent([String].self, forKey: .log) ?? []
        self.init(id: try c.decode(LivyID.self, forKey: .id),
                  from: try c.decodeIfPresent(Int.self, forKey: .from) ?? 0,
                  total: try c.decodeIfPresent(Int.self, forKey: .total)
                      ?? c.decodeIfPresent(Int.self, forKey: .size) ?? log.count,
                  log: log)
    }
}

/// `GET /sessions`: one page of sessions; `total` counts all the server holds. Lighter names the
/// list `applications` unless asked with `X-Compatibility-Mode: sparkmagic`.
public struct LivySessionList: Sendable, Equatable, Decodable {
    public var from: Int
    public var total: Int
    public var sessions: [LivySession]

    enum CodingKeys: String, CodingKey { case from, total, sessions, applications }

    public init(from: Int, total: Int, sessions: [LivySession]) {
        self.from = from
        self.total = total
        self.sessions = sessions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let sessions = try c.decodeIfPresent([LivySession].self, forKey: .sessions)
            ?? c.decode([LivySession].self, forKey: .applications)
        self.init(from: try c.decodeIfPresent(Int.self, forKey: .from) ?? 0,
                  total: try c.decodeIfPresent(Int.self, forKey: .total) ?? sessions.count,
                  sessions: sessions)
    }
}
