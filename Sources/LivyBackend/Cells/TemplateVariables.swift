import Synchronization

/// The notebook's `{{ }}` variables: from `%set`, from `LIVY_VAR_<NAME>` environment variables
/// (how a scheduled run passes values without editing the notebook), and from a papermill
/// parameters cell. Later sources win: `%set` and parameters over the environment. Only the
/// kernel's shell loop changes them (one cell at a time); completion reads them concurrently.
final class TemplateVariables: Sendable {
    static let environmentPrefix = "LIVY_VAR_"

    private let values: Mutex<[String: String]>

    init(environment: [String: String]) {
        var initial: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix(Self.environmentPrefix) {
            let name = String(key.dropFirst(Self.environmentPrefix.count))
            if !name.isEmpty { initial[name] = value }
        }
        values = Mutex(initial)
    }

    var all: [String: String] { values.withLock { $0 } }

    func set(_ name: String, _ value: String) { values.withLock { $0[name] = value } }

    @discardableResult
    func unset(_ name: String) -> Bool { values.withLock { $0.removeValue(forKey: name) != nil } }

    /// Takes the variables a cell's plan ends with (its `%set`, `%unset` and parameters applied).
    func replaceAll(with new: [String: String]) { values.withLock { $0 = new } }
}
