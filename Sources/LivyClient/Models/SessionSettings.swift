public import JSONValues
import Foundation

/// The settings of a Livy session: the fields of `POST /sessions` other than `kind`, by Livy's
/// own names (docs/livy-rest.md §2.1).
///
/// One type for every place settings come from — LivyKernel's config file, sparkmagic's
/// `config.json` and `%%configure` — with one reader, so all of them accept and reject the same
/// values. Only fields that are set are sent: Livy rejects unknown properties, and a 0.7 server
/// rejects 0.8-only ones.
public struct SessionSettings: Sendable, Equatable, Encodable {
    public var proxyUser: String?
    public var jars: [String]?
    public var pyFiles: [String]?
    public var files: [String]?
    public var archives: [String]?
    public var driverMemory: String?
    public var driverCores: Int?
    public var executorMemory: String?
    public var executorCores: Int?
    public var numExecutors: Int?
    public var queue: String?
    public var name: String?
    /// Spark configuration; Livy passes the values to Spark as strings.
    public var conf: [String: String]?
    public var heartbeatTimeoutInSecond: Int?
    /// Livy 0.8+: this session's idle timeout (`10m`, `2h`, …), instead of the server's.
    public var ttl: String?
    /// Livy 0.9: the same, under its later name.
    public var idleTimeout: String?

    public init(proxyUser: String? = nil, jars: [String]? = nil, pyFiles: [String]? = nil, files: [String]? = nil,
                archives: [String]? = nil, driverMemory: String? = nil, driverCores: Int? = nil,
                executorMemory: String? = nil, executorCores: Int? = nil, numExecutors: Int? = nil,
                queue: String? = nil, name: String? = nil, conf: [String: String]? = nil,
                heartbeatTimeoutInSecond: Int? = nil, ttl: String? = nil, idleTimeout: String? = nil) {
        self.proxyUser = proxyUser
        self.jars = jars
        self.pyFiles = pyFiles
        self.files = files
        self.archives = archives
        self.driverMemory = driverMemory
        self.driverCores = driverCores
        self.executorMemory = executorMemory
        self.executorCores = executorCores
        self.numExecutors = numExecutors
        self.queue = queue
        self.name = name
        self.conf = conf
        self.heartbeatTimeoutInSecond = heartbeatTimeoutInSecond
        self.ttl = ttl
        self.idleTimeout = idleTimeout
    }

    /// The JSON names this type reads, in the order messages list them.
    public static let keys = ["driverMemory", "driverCores", "executorMemory", "executorCores", "numExecutors",
                              "queue", "name", "conf", "jars", "pyFiles", "files", "archives", "proxyUser",
                              "heartbeatTimeoutInSecond", "ttl", "idleTimeout"]

    /// A value the reader rejected: its key (`conf.<name>` for a conf entry) and what is wrong.
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var problem: String

        public init(key: String, problem: String) {
            self.key = key
            self.problem = problem
        }

        public var description: String { "\(key) \(problem)" }
    }

    /// Reads settings from a JSON object. The typing rules, decided here once:
    /// - `driverMemory`, `executorMemory`, `queue`, `name`, `proxyUser`: strings;
    /// - `driverCores`, `executorCores`, `numExecutors`, `heartbeatTimeoutInSecond`: whole numbers
    ///   (`2.0` is accepted, `"2"` is not);
    /// - `jars`, `pyFiles`, `files`, `archives`: lists of strings;
    /// - `conf`: an object whose values are strings, or numbers and booleans written as Spark reads
    ///   them (`0.6` → `"0.6"`, `8` and `8.0` → `"8"`, `true` → `"true"`);
    /// - `ttl`, `idleTimeout`: Livy's time strings (`<n>` and a unit of `us`, `ms`, `s`, `m`, `min`,
    ///   `h`, `d`; no unit is milliseconds), checked here so a typo fails before the session starts;
    /// - `null` means "not set"; any other key is an error (Livy answers 400 to unknown fields).
    public static func read(_ object: [String: JSONValue]) throws(ReadError) -> SessionSettings {
        var settings = SessionSettings()
        for key in object.keys.sorted() {
            guard keys.contains(key) else {
                throw ReadError(key: key, problem: "is not a Livy session setting; known: " + keys.joined(separator: ", "))
            }
            let value = object[key] ?? .null
            if case .null = value { continue }
            switch key {
            case "driverMemory": settings.driverMemory = try string(value, key)
            case "executorMemory": settings.executorMemory = try string(value, key)
            case "queue": settings.queue = try string(value, key)
            case "name": settings.name = try string(value, key)
            case "proxyUser": settings.proxyUser = try string(value, key)
            case "driverCores": settings.driverCores = try integer(value, key)
            case "executorCores": settings.executorCores = try integer(value, key)
            case "numExecutors": settings.numExecutors = try integer(value, key)
            case "heartbeatTimeoutInSecond": settings.heartbeatTimeoutInSecond = try integer(value, key)
            case "ttl": settings.ttl = try timeString(value, key)
            case "idleTimeout": settings.idleTimeout = try timeString(value, key)
            case "jars": settings.jars = try strings(value, key)
            case "pyFiles": settings.pyFiles = try strings(value, key)
            case "files": settings.files = try strings(value, key)
            case "archives": settings.archives = try strings(value, key)
            case "conf": settings.conf = try conf(value)
            default: preconditionFailure("SessionSettings.keys lists '\(key)' but read(_:) does not handle it")
            }
        }
        return settings
    }

    /// These settings over `base`: every field set here wins; `conf` is merged key by key, so a
    /// `%%configure` that sets one Spark property keeps the configured others.
    public func merged(over base: SessionSettings) -> SessionSettings {
        var merged = SessionSettings(
            proxyUser: proxyUser ?? base.proxyUser, jars: jars ?? base.jars, pyFiles: pyFiles ?? base.pyFiles,
            files: files ?? base.files, archives: archives ?? base.archives,
            driverMemory: driverMemory ?? base.driverMemory, driverCores: driverCores ?? base.driverCores,
            executorMemory: executorMemory ?? base.executorMemory, executorCores: executorCores ?? base.executorCores,
            numExecutors: numExecutors ?? base.numExecutors, queue: queue ?? base.queue, name: name ?? base.name,
            heartbeatTimeoutInSecond: heartbeatTimeoutInSecond ?? base.heartbeatTimeoutInSecond,
            ttl: ttl ?? base.ttl, idleTimeout: idleTimeout ?? base.idleTimeout)
        if conf != nil || base.conf != nil {
            merged.conf = (base.conf ?? [:]).merging(conf ?? [:]) { _, mine in mine }
        }
        return merged
    }

    private static func string(_ value: JSONValue, _ key: String) throws(ReadError) -> String {
        guard case .string(let text) = value else { throw ReadError(key: key, problem: "must be a string") }
        return text
    }

    /// These settings without `key` (a JSON name of `keys`), or nil when it is not set.
    public func without(_ key: String) -> SessionSettings? {
        var copy = self
        switch key {
        case "proxyUser": copy.proxyUser = nil
        case "jars": copy.jars = nil
        case "pyFiles": copy.pyFiles = nil
        case "files": copy.files = nil
        case "archives": copy.archives = nil
        case "driverMemory": copy.driverMemory = nil
        case "driverCores": copy.driverCores = nil
        case "executorMemory": copy.executorMemory = nil
        case "executorCores": copy.executorCores = nil
        case "numExecutors": copy.numExecutors = nil
        case "queue": copy.queue = nil
        case "name": copy.name = nil
        case "conf": copy.conf = nil
        case "heartbeatTimeoutInSecond": copy.heartbeatTimeoutInSecond = nil
        case "ttl": copy.ttl = nil
        case "idleTimeout": copy.idleTimeout = nil
        default: return nil
        }
        return copy == self ? nil : copy
    }

    /// This session's own idle timeout, if it sets one (`idleTimeout` wins over `ttl`).
    public var sessionIdleTimeout: Duration? {
        (idleTimeout ?? ttl).flatMap(Self.duration(of:))
    }

    /// A Livy time string (Spark's `JavaUtils.timeStringAs`) as a duration; nil if it is not one.
    public static func duration(of text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        switch trimmed.dropFirst(digits.count) {
        case "us": return .microseconds(number)
        case "", "ms": return .milliseconds(number)
        case "s": return .seconds(number)
        case "m", "min": return .seconds(number * 60)
        case "h": return .seconds(number * 3600)
        case "d": return .seconds(number * 86400)
        default: return nil
        }
    }

    private static func timeString(_ value: JSONValue, _ key: String) throws(ReadError) -> String {
        let text = try string(value, key)
        guard duration(of: text) != nil else {
            throw ReadError(key: key, problem: "must be a time such as \"30m\", \"2h\" or \"1d\" (units us, ms, s, m, min, h, d)")
        }
        return text
    }

    private static func integer(_ value: JSONValue, _ key: String) throws(ReadError) -> Int {
        switch value {
        case .int(let number):
            return number
        case .double(let number) where number.rounded() == number && abs(number) < 1e15:
            return Int(number)
        default:
            throw ReadError(key: key, problem: "must be an integer")
        }
    }

    private static func strings(_ value: JSONValue, _ key: String) throws(ReadError) -> [String] {
        guard case .array(let items) = value else { throw ReadError(key: key, problem: "must be a list of strings") }
        var texts: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw ReadError(key: key, problem: "must be a list of strings") }
            texts.append(text)
        }
        return texts
    }

    private static func conf(_ value: JSONValue) throws(ReadError) -> [String: String] {
        guard case .object(let entries) = value else { throw ReadError(key: "conf", problem: "must be an object") }
        var conf: [String: String] = [:]
        for (name, setting) in entries {
            switch setting {
            case .string(let text): conf[name] = text
            case .int(let number): conf[name] = String(number)
            case .double(let number) where number.rounded() == number && abs(number) < 1e15: conf[name] = String(Int(number))
            case .double(let number): conf[name] = String(number)
            case .bool(let flag): conf[name] = String(flag)
            default: throw ReadError(key: "conf.\(name)", problem: "must be a string, a number or true/false")
            }
        }
        return conf
    }
}
