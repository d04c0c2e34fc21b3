public import JSONValues
/// `status` on iopub: `starting`, `busy` or `idle`.
public struct KernelStatus: Sendable, Equatable, Encodable {
    public enum State: String, Sendable, Encodable { case starting, busy, idle }
    public var executionState: State

    public init(_ state: State) { executionState = state }

    enum CodingKeys: String, CodingKey { case executionState = "execution_state" }
}

/// `stream`: text for stdout or stderr.
public struct StreamContent: Sendable, Equatable, Encodable {
    public enum Name: String, Sendable, Encodable { case stdout, stderr }
    public var name: Name
    public var text: String

    public init(name: Name, text: String) {
        self.name = name
        self.text = text
    }
}

/// A MIME bundle with its metadata; `data` always holds `text/plain` by our own rule.
public struct MimeBundle: Sendable, Equatable {
    public var data: JSONObject
    public var metadata: JSONObject

    public init(data: JSONObject, metadata: JSONObject = [:]) {
        self.data = data
        self.metadata = metadata
    }

    public static func plainText(_ text: String) -> MimeBundle {
        MimeBundle(data: ["text/plain": .string(text)])
    }
}

/// `display_data` and `update_display_data` (the latter requires a display id).
public struct DisplayData: Sendable, Equatable, Encodable {
    public var bundle: MimeBundle
    public var displayID: String?

    public init(_ bundle: MimeBundle, displayID: String? = nil) {
        self.bundle = bundle
        self.displayID = displayID
    }

    enum CodingKeys: String, CodingKey { case data, metadata, transient }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bundle.data, forKey: .data)
        try c.encode(bundle.metadata, forKey: .metadata)
        try c.encode(displayID.map { ["display_id": JSONValue.string($0)] } ?? JSONObject(), forKey: .transient)
    }
}

/// `execute_result`: the cell's value (at most one per execution).
public struct ExecuteResult: Sendable, Equatable, Encodable {
    public var executionCount: Int
    public var bundle: MimeBundle

    public init(executionCount: Int, bundle: MimeBundle) {
        self.executionCount = executionCount
        self.bundle = bundle
    }

    enum CodingKeys: String, CodingKey { case executionCount = "execution_count", data, metadata }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(executionCount, forKey: .executionCount)
        try c.encode(bundle.data, forKey: .data)
        try c.encode(bundle.metadata, forKey: .metadata)
    }
}

/// `clear_output`.
public struct ClearOutput: Sendable, Equatable, Encodable {
    public var wait: Bool
    public init(wait: Bool) { self.wait = wait }
}
