import Foundation
import JSONValues
public import JupyterProtocol
public import LivyClient

/// The Spark jobs of one statement under its cell: a live table while it runs (job, status,
/// stages, a task bar, duration; each job and stage linked to its page in the proxied Spark UI)
/// and, once it has finished, a compact summary that keeps the statement id, the application id
/// and the links (to the History Server too, when one is configured) in the saved notebook.
public struct SparkJobsRenderer: Sendable {
    /// Where the jobs came from and where their pages are.
    public struct Context: Sendable, Equatable {
        public var statementID: String
        public var applicationID: String
        /// The proxied Spark UI (`/spark/{user}/{port}/`), nil when there is none.
        public var uiLink: String?
        /// The Spark History Server's base URL, for links that outlive the session.
        public var historyURL: String?

        public init(statementID: String, applicationID: String, uiLink: String?, historyURL: String?) {
            self.statementID = statementID
            self.applicationID = applicationID
            self.uiLink = uiLink
            self.historyURL = historyURL
        }
    }

    /// The MIME type of the jobs as data: what tests and tools read, kept in the saved notebook.
    public static let mimeType = "application/vnd.livykernel.spark-jobs+json"

    public var context: Context

    public init(context: Context) {
        self.context = context
    }

    // MARK: - Links

    public func jobLink(_ id: Int) -> String? { context.uiLink.map { $0 + "jobs/job/?id=\(id)" } }
    public func stageLink(_ id: Int) -> String? { context.uiLink.map { $0 + "stages/stage/?id=\(id)&attempt=0" } }
    public func historyJobLink(_ id: Int) -> String? { historyBase.map { $0 + "/jobs/job/?id=\(id)" } }

    private var historyBase: String? {
        guard let history = context.historyURL, !history.isEmpty else { return nil }
        let base = history.hasSuffix("/") ? String(history.dropLast()) : history
        return base + "/history/" + (context.applicationID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? context.applicationID)
    }

    // MARK: - Bundles

    /// The live table. `now`: epoch milliseconds on the driver's clock estimate, for running jobs.
    public func live(_ jobs: [SparkJob], now: Int64) -> MimeBundle {
        let sorted = jobs.sorted { $0.id < $1.id }
        let header = "Spark jobs of statement \(context.statementID) (\(context.applicationID))"
        var text = [header]
        text.append(Self.pad(["job", "status", "stages", "tasks", "duration", "description"]))
        for job in sorted {
            text.append(Self.pad(["\(job.id)", job.status.rawValue, stagesText(job), Self.taskBar(job) + " " + tasksText(job),
                                  Self.seconds(duration(job, now: now)), job.name]))
        }
        var html = "<div class=\"livykernel-jobs\"><div><small>\(Self.escape(header))</small></div>"
            + "<table><thead><tr><th>Job</th><th>Status</th><th>Stages</th><th>Tasks</th><th>Duration</th><th>Description</th></tr></thead><tbody>"
        for job in sorted {
            html += "<tr><td>\(linked("\(job.id)", jobLink(job.id)))</td><td>\(job.status.rawValue)</td>"
                + "<td>\(Self.escape(stagesText(job)))<br><small>\(stageLinks(job))</small></td>"
                + "<td>\(htmlTaskBar(job)) \(Self.escape(tasksText(job)))</td>"
                + "<td>\(Self.seconds(duration(job, now: now)))</td><td>\(Self.escape(job.name))</td></tr>"
        }
        html += "</tbody></table></div>"
        return MimeBundle(data: ["text/plain": .string(text.joined(separator: "\n")), "text/html": .string(html),
                                 Self.mimeType: record(sorted, finished: false, elapsed: nil)])
    }

    /// The summary once the statement has finished: "3 jobs · 7 stages · 412 tasks · 12.4 s".
    public func summary(_ jobs: [SparkJob], elapsed: Duration) -> MimeBundle {
        let sorted = jobs.sorted { $0.id < $1.id }
        let stages = sorted.reduce(0) { $0 + $1.stageIDs.count }
        let tasks = sorted.reduce(0) { $0 + $1.completedTasks }
        let seconds = Self.seconds(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        var line = "Spark: " + [Self.count(sorted.count, "job"), Self.count(stages, "stage"), Self.count(tasks, "task"), seconds]
            .joined(separator: " · ")
        let failed = sorted.filter { $0.status == .failed }
        var problems: [String] = failed.map { "job \($0.id) failed (\(Self.count($0.failedTasks, "failed task")))" }
        let skipped = sorted.reduce(0) { $0 + $1.skippedStages }
        if skipped > 0 { problems.append("\(Self.count(skipped, "stage")) skipped") }
        if !problems.isEmpty { line += " — " + problems.joined(separator: "; ") }
        let origin = "statement \(context.statementID), application \(context.applicationID)"
        var text = line + "\n" + origin
        var html = "<div class=\"livykernel-jobs-summary\"><small>\(Self.escape(line)) — \(Self.escape(origin))"
        if context.uiLink != nil {
            text += "\nSpark UI: " + sorted.compactMap { jobLink($0.id) }.joined(separator: " ")
            html += "<br>Spark UI: " + sorted.map { linked("job \($0.id)", jobLink($0.id)) }.joined(separator: " · ")
        }
        if historyBase != nil {
            text += "\nHistory: " + sorted.compactMap { historyJobLink($0.id) }.joined(separator: " ")
            html += "<br>History Server: " + sorted.map { linked("job \($0.id)", historyJobLink($0.id)) }.joined(separator: " · ")
        }
        html += "</small></div>"
        return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html),
                                 Self.mimeType: record(sorted, finished: true, elapsed: elapsed)])
    }

    /// The jobs as data: ids, counts and links, as the driver reported them.
    func record(_ jobs: [SparkJob], finished: Bool, elapsed: Duration?) -> JSONValue {
        var object: JSONObject = [
            "statement_id": .string(context.statementID),
            "application_id": .string(context.applicationID),
            "finished": .bool(finished),
            "jobs": .array(jobs.map { job in
                var fields: JSONObject = [
                    "job_id": .int(job.id), "name": .string(job.name), "status": .string(job.status.rawValue),
                    "stage_ids": .array(job.stageIDs.map { .int($0) }),
                    "stages": .object(["total": .int(job.stageIDs.count), "completed": .int(job.completedStages),
                                       "skipped": .int(job.skippedStages), "failed": .int(job.failedStages),
                                       "active": .int(job.activeStages)]),
                    "tasks": .object(["total": .int(job.tasks), "completed": .int(job.completedTasks),
                                      "active": .int(job.activeTasks), "failed": .int(job.failedTasks),
                                      "skipped": .int(job.skippedTasks), "killed": .int(job.killedTasks)]),
                ]
                if let link = jobLink(job.id) { fields["link"] = .string(link) }
                if let link = historyJobLink(job.id) { fields["history_link"] = .string(link) }
                return .object(fields)
            }),
        ]
        if let ui = context.uiLink { object["spark_ui"] = .string(ui) }
        if let elapsed { object["elapsed_ms"] = .int(Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)) }
        return .object(object)
    }

    // MARK: - Pieces

    func stagesText(_ job: SparkJob) -> String {
        var text = "\(job.completedStages)/\(job.stageIDs.count - job.skippedStages)"
        if job.skippedStages > 0 { text += " (\(job.skippedStages) skipped)" }
        if job.failedStages > 0 { text += " (\(job.failedStages) failed)" }
        return text
    }

    func tasksText(_ job: SparkJob) -> String {
        var text = "\(job.completedTasks)/\(job.tasks - job.skippedTasks)"
        if job.activeTasks > 0 { text += " (\(job.activeTasks) running)" }
        if job.failedTasks > 0 { text += " (\(job.failedTasks) failed)" }
        if job.killedTasks > 0 { text += " (\(job.killedTasks) killed)" }
        return text
    }

    func duration(_ job: SparkJob, now: Int64) -> Double? {
        guard let start = job.submitted else { return nil }
        return Double(max(0, (job.completed ?? now) - start)) / 1000
    }

    private func stageLinks(_ job: SparkJob) -> String {
        job.stageIDs.sorted().map { linked("stage \($0)", stageLink($0)) }.joined(separator: " ")
    }

    private func linked(_ text: String, _ link: String?) -> String {
        guard let link else { return Self.escape(text) }
        return "<a href=\"\(Self.escape(link))\" target=\"_blank\" rel=\"noopener\">\(Self.escape(text))</a>"
    }

    /// Done (green), running (blue) and failed (red) tasks as parts of one bar.
    private func htmlTaskBar(_ job: SparkJob) -> String {
        let total = max(job.tasks - job.skippedTasks, 1)
        func width(_ count: Int) -> String { String(format: "%.1f", Double(min(count, total)) * 100 / Double(total)) }
        return "<span style=\"display:inline-flex;width:8em;height:0.8em;background:#e0e0e0;vertical-align:middle\">"
            + "<span style=\"width:\(width(job.completedTasks))%;background:#4caf50\"></span>"
            + "<span style=\"width:\(width(job.activeTasks))%;background:#2196f3\"></span>"
            + "<span style=\"width:\(width(job.failedTasks))%;background:#f44336\"></span></span>"
    }

    static func taskBar(_ job: SparkJob) -> String {
        let width = 10, total = max(job.tasks - job.skippedTasks, 1)
        let done = min(job.completedTasks * width / total, width)
        return String(repeating: "█", count: done) + String(repeating: "░", count: width - done)
    }

    static func seconds(_ value: Double?) -> String {
        value.map { String(format: "%.1f s", $0) } ?? "–"
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func pad(_ cells: [String]) -> String {
        let widths = [5, 10, 20, 32, 9]
        return "  " + cells.enumerated().map { index, cell in
            index < widths.count ? cell.padding(toLength: max(widths[index], cell.count), withPad: " ", startingAt: 0) : cell
        }.joined(separator: " ")
    }

    static func escape(_ text: String) -> String { TableRenderer.escape(text) }
}
