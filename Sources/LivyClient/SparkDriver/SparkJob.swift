public import JSONValues

/// One job of the driver's REST API (`GET /api/v1/applications/{app}/jobs`, Spark's `JobData`):
/// the counts the jobs table shows. Livy runs statement N in job group "N", so `group` ties a job
/// to the statement (and cell) that started it.
public struct SparkJob: Sendable, Equatable {
    public enum Status: String, Sendable { case running = "RUNNING", succeeded = "SUCCEEDED", failed = "FAILED", unknown = "UNKNOWN" }

    public var id: Int
    /// What ran ("count at <stdin>:3"); Livy's group description is in the API's `description`.
    public var name: String
    public var group: String?
    public var status: Status
    public var stageIDs: [Int]
    public var tasks: Int
    public var activeTasks: Int
    public var completedTasks: Int
    public var skippedTasks: Int
    public var failedTasks: Int
    public var killedTasks: Int
    public var activeStages: Int
    public var completedStages: Int
    public var skippedStages: Int
    public var failedStages: Int
    /// Epoch milliseconds from the driver's clock; nil when not given or unreadable.
    public var submitted: Int64?
    public var completed: Int64?

    public init(id: Int, name: String, group: String?, status: Status, stageIDs: [Int], tasks: Int, activeTasks: Int = 0,
                completedTasks: Int = 0, skippedTasks: Int = 0, failedTasks: Int = 0, killedTasks: Int = 0,
                activeStages: Int = 0, completedStages: Int = 0, skippedStages: Int = 0, failedStages: Int = 0,
                submitted: Int64? = nil, completed: Int64? = nil) {
        self.id = id
        self.name = name
        self.group = group
        self.status = status
        self.stageIDs = stageIDs
        self.tasks = tasks
        self.activeTasks = activeTasks
        self.completedTasks = completedTasks
        self.skippedTasks = skippedTasks
        self.failedTasks = failedTasks
        self.killedTasks = killedTasks
        self.activeStages = activeStages
        self.completedStages = completedStages
        self.skippedStages = skippedStages
        self.failedStages = failedStages
        self.submitted = submitted
        self.completed = completed
    }

    public var isFinished: Bool { status == .succeeded || status == .failed }

    /// Reads one `JobData` object; nil when it has no job id.
    public init?(json: JSONValue) {
        guard case .object(let f) = json, let id = f["jobId"]?.intValue else { return nil }
        func count(_ key: String) -> Int { f[key]?.intValue ?? 0 }
        let stages: [Int] = if case .array(let items)? = f["stageIds"] { items.compactMap(\.intValue) } else { [] }
        self.init(id: id, name: f["name"]?.stringValue ?? "", group: f["jobGroup"]?.stringValue,
                  status: Status(rawValue: f["status"]?.stringValue ?? "") ?? .unknown, stageIDs: stages,
                  tasks: count("numTasks"), activeTasks: count("numActiveTasks"), completedTasks: count("numCompletedTasks"),
                  skippedTasks: count("numSkippedTasks"), failedTasks: count("numFailedTasks"), killedTasks: count("numKilledTasks"),
                  activeStages: count("numActiveStages"), completedStages: count("numCompletedStages"),
                  skippedStages: count("numSkippedStages"), failedStages: count("numFailedStages"),
                  submitted: f["submissionTime"]?.stringValue.flatMap(Self.epochMilliseconds),
                  completed: f["completionTime"]?.stringValue.flatMap(Self.epochMilliseconds))
    }

    /// Spark's REST dates: `2026-12-02T10:15:30.123GMT` (always GMT, always milliseconds).
    static func epochMilliseconds(_ text: String) -> Int64? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
        guard text.hasSuffix("GMT"), digits.count == 7 else { return nil }
        let (year, month, day) = (digits[0], digits[1], digits[2])
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return ((days * 24 + digits[3]) * 60 + digits[4]) * 60_000 + digits[5] * 1000 + digits[6]
    }
}

extension JSONValue {
    var intValue: Int? {
        switch self {
        case .int(let value): Int(value)
        case .double(let value): Int(exactly: value)
        default: nil
        }
    }
}
