import Foundation
import JSONValues
import LivyClient

/// Session settings from a `%%configure` cell: a JSON object with Livy's session fields, which
/// override the configured defaults for the sessions this kernel creates from then on.
struct SessionOverrides: Sendable, Equatable {
    var request = CreateSessionRequest()

    static let allowedKeys = ["driverMemory", "driverCores", "executorMemory", "executorCores", "numExecutors",
                              "queue", "name", "conf", "jars", "pyFiles", "files", "archives", "proxyUser",
                              "heartbeatTimeoutInSecond"]

    /// Parses and validates the body; the error says which key is wrong and how.
    static func parse(_ body: String) throws(CellNotUnderstood) -> SessionOverrides {
        func invalid(_ message: String) -> CellNotUnderstood {
            CellNotUnderstood(ename: "ConfigureError", evalue: message,
                              details: ["Example: %%configure -f", #"{"driverMemory": "2g", "conf": {"spark.sql.shuffle.partitions": "8"}}"#])
        }
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) else {
            throw invalid("the %%configure body must be a JSON object")
        }
        var overrides = SessionOverrides()
        for (key, value) in fields {
            switch (key, value) {
            case ("driverMemory", .string(let text)): overrides.request.driverMemory = text
            case ("executorMemory", .string(let text)): overrides.request.executorMemory = text
            case ("queue", .string(let text)): overrides.request.queue = text
            case ("name", .string(let text)): overrides.request.name = text
            case ("proxyUser", .string(let text)): overrides.request.proxyUser = text
            case ("driverCores", .int(let number)): overrides.request.driverCores = number
            case ("executorCores", .int(let number)): overrides.request.executorCores = number
            case ("numExecutors", .int(let number)): overrides.request.numExecutors = number
            case ("heartbeatTimeoutInSecond", .int(let number)): overrides.request.heartbeatTimeoutInSecond = number
            case ("conf", .object(let conf)):
                var strings: [String: String] = [:]
                for (name, setting) in conf {
                    switch setting {
                    case .string(let text): strings[name] = text
                    case .int(let number): strings[name] = String(number)
                    case .bool(let flag): strings[name] = String(flag)
                    case .double(let number): strings[name] = String(number)
                    default: throw invalid("conf.\(name) must be a string")
                    }
                }
                overrides.request.conf = strings
            case ("jars", .array(let items)), ("pyFiles", .array(let items)), ("files", .array(let items)),
                 ("archives", .array(let items)):
                let strings = items.compactMap(\.stringValue)
                guard strings.count == items.count else { throw invalid("\(key) must be a list of strings") }
                switch key {
                case "jars": overrides.request.jars = strings
                case "pyFiles": overrides.request.pyFiles = strings
                case "files": overrides.request.files = strings
                default: overrides.request.archives = strings
                }
            default:
                guard allowedKeys.contains(key) else {
                    throw invalid("unknown setting '\(key)'; allowed: " + allowedKeys.joined(separator: ", "))
                }
                throw invalid("'\(key)' has the wrong type")
            }
        }
        return overrides
    }

    /// `base` with every field set here replacing it; `conf` entries are merged key by key.
    func applied(to base: CreateSessionRequest) -> CreateSessionRequest {
        var merged = base
        let o = request
        merged.driverMemory = o.driverMemory ?? base.driverMemory
        merged.executorMemory = o.executorMemory ?? base.executorMemory
        merged.driverCores = o.driverCores ?? base.driverCores
        merged.executorCores = o.executorCores ?? base.executorCores
        merged.numExecutors = o.numExecutors ?? base.numExecutors
        merged.queue = o.queue ?? base.queue
        merged.name = o.name ?? base.name
        merged.proxyUser = o.proxyUser ?? base.proxyUser
        merged.heartbeatTimeoutInSecond = o.heartbeatTimeoutInSecond ?? base.heartbeatTimeoutInSecond
        merged.jars = o.jars ?? base.jars
        merged.pyFiles = o.pyFiles ?? base.pyFiles
        merged.files = o.files ?? base.files
        merged.archives = o.archives ?? base.archives
        if let conf = o.conf {
            merged.conf = (base.conf ?? [:]).merging(conf) { _, mine in mine }
        }
        return merged
    }
}
