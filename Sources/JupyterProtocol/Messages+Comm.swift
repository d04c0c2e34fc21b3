public import JSONValues
public struct CommInfoRequest: Sendable, Equatable, Decodable {
    public var targetName: String?
    public init(targetName: String? = nil) { self.targetName = targetName }
    enum CodingKeys: String, CodingKey { case targetName = "target_name" }
}

/// `comm_info_reply`: this kernel opens no comms, so `comms` lists none.
public struct CommInfoReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public var comms: JSONObject = [:]
    public init() {}
}

public struct CommOpen: Sendable, Equatable, Decodable {
    public var commID: String
    public var targetName: String

    public init(commID: String, targetName: String) {
        self.commID = commID
        self.targetName = targetName
    }

    enum CodingKeys: String, CodingKey { case commID = "comm_id", targetName = "target_name" }
}

/// `comm_close`, sent when a frontend opens a comm to a target this kernel does not have.
public struct CommClose: Sendable, Equatable, Encodable {
    public var commID: String
    public var data: JSONObject = [:]

    public init(commID: String) { self.commID = commID }

    enum CodingKeys: String, CodingKey { case commID = "comm_id", data }
}
