public import LivyClient

/// A Livy session this kernel created and that reached `idle`.
public struct ActiveSession: Sendable, Equatable {
    public var id: LivyID
    public var appID: String?
    public var driverLogURL: String?
    /// The `/spark/{user}/{port}/` link, when a UI port is known.
    public var sparkUILink: String?
    public var uiRecord: SparkUIRecord?
    /// The `POST /sessions` body this session was created with (`%%info` shows it).
    public var request: CreateSessionRequest
    /// Configured settings the server did not know, left out of `request`.
    public var droppedSettings: [String] = []

    /// `http://host:port` of the driver's own UI (and REST API), when its host is known.
    public var driverUIURL: String? {
        guard let record = uiRecord, let host = record.driverHost, !host.isEmpty else { return nil }
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(record.port)"
    }
}
