import Foundation
public import LivyClient

/// A Spark driver's REST API (`/api/v1`) behind the `HTTPTransport` seam: one application and the
/// jobs a test scripts, as raw JSON in Spark's `JobData` shape (never through LivyClient's
/// `SparkJob`, so a wrong field name cannot hide in both). Counts the requests it gets.
public actor FakeSparkDriver: HTTPTransport {
    public let baseURL: String
    public let applicationID: String
    /// Raw `JobData` objects, newest first as Spark lists them.
    private var jobs: [[String: any Sendable]] = []
    public private(set) var requests: [String] = []
    public var isDown = false

    public init(baseURL: String = "http://10.1.2.3:5101", applicationID: String = "local-1764670000000") {
        self.baseURL = baseURL
        self.applicationID = applicationID
    }

    public func set(isDown down: Bool) { isDown = down }

    /// Adds a job of `group` with its stages and task counts.
    public func addJob(id: Int, group: String, name: String, status: String = "SUCCEEDED", stageIDs: [Int],
                       tasks: Int, completed: Int, active: Int = 0, failed: Int = 0, skippedStages: Int = 0,
                       completedStages: Int? = nil) {
        var job: [String: any Sendable] = [
            "jobId": id, "name": name, "description": "Job group for statement \(group)", "jobGroup": group,
            "submissionTime": "2026-12-02T10:00:00.000GMT", "stageIds": stageIDs, "status": status,
            "numTasks": tasks, "numActiveTasks": active, "numCompletedTasks": completed, "numSkippedTasks": 0,
            "numFailedTasks": failed, "numKilledTasks": 0, "numCompletedIndices": completed,
            "numActiveStages": status == "RUNNING" ? 1 : 0,
            "numCompletedStages": completedStages ?? (status == "SUCCEEDED" ? stageIDs.count - skippedStages : 0),
            "numSkippedStages": skippedStages, "numFailedStages": status == "FAILED" ? 1 : 0, "killedTasksSummary": [String: Int](),
        ]
        if status != "RUNNING" { job["completionTime"] = "2026-12-02T10:00:02.500GMT" }
        jobs.removeAll { ($0["jobId"] as? Int) == id }
        jobs.insert(job, at: 0)
    }

    public func perform(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        let path = String(request.url.dropFirst(baseURL.count))
        requests.append(path)
        if isDown || !request.url.hasPrefix(baseURL) {
            throw HTTPTransportError(kind: .cannotConnect, message: "Failed to connect to 10.1.2.3 port 5101: Connection refused")
        }
        let body: Any
        switch path {
        case "/api/v1/applications":
            body = [["id": applicationID, "name": "livy-session-0", "attempts": [["completed": false]]]]
        case "/api/v1/applications/\(applicationID)/jobs":
            body = jobs
        default:
            return HTTPResponse(status: 404, body: Data("unknown app".utf8))
        }
        return HTTPResponse(status: 200, body: (try? JSONSerialization.data(withJSONObject: body)) ?? Data())
    }
}
