import Foundation
import JSONValues
import JupyterProtocol
@testable import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

/// A cell's Spark jobs under the cell, read from the driver's REST API by the job group Livy gives
/// each statement (its id), with Livy's progress bar where the driver cannot be asked.
@Suite struct SparkJobsTests {
    let fixture = BackendFixture()
    let driver = FakeSparkDriver()

    /// A backend whose session's driver UI is the fake driver's (the probe says so).
    func backend(historyURL: String? = nil) async -> LivyBackend {
        let probe = DriverUIProbe.statement(forSessionKind: "pyspark").code
        await fixture.livy.respond(to: probe, with: .text("LIVYKERNEL-DRIVER-UI http://10.1.2.3:5101 10.1.2.3\n"))
        return fixture.backend(askDriver: true, driver: driver, historyURL: historyURL)
    }

    static func records(_ outputs: OutputRecorder) -> [JSONValue] {
        (outputs.displays + outputs.contents(of: "update_display_data").compactMap { $0["data"] })
            .compactMap { $0[SparkJobsRenderer.mimeType] }
    }

    @Test func aLongCellShowsItsOwnJobsAndEndsWithASummary() async throws {
        let backend = await backend(historyURL: "http://history:18080/")
        try await backend.run("1+1")  // statement 1 (the probe was 0)
        try await backend.run("2+2")  // statement 2
        #expect(await driver.requests == ["/api/v1/applications"],
                "quick cells ask the driver nothing; the session's first cell asks its application id once, in the background")
        // Statement 2's jobs, and one of another statement that must not show.
        await driver.addJob(id: 0, group: "2", name: "old", stageIDs: [0], tasks: 1, completed: 1)
        await driver.addJob(id: 1, group: "3", name: "count at <stdin>:1", stageIDs: [1, 2], tasks: 12, completed: 12)
        await driver.addJob(id: 2, group: "3", name: "collect at <stdin>:2", status: "RUNNING", stageIDs: [3, 4, 5],
                            tasks: 30, completed: 10, active: 4, skippedStages: 1)
        await fixture.livy.set(statementPolls: 1200)  // about 2 s at the fixture's poll rate
        let running = Task { try await backend.run("df.join(other).count()") }
        try await Task.sleep(for: .milliseconds(1400))
        await driver.addJob(id: 2, group: "3", name: "collect at <stdin>:2", stageIDs: [3, 4, 5], tasks: 30, completed: 20,
                            skippedStages: 1)
        let outputs = try await running.value

        let records = Self.records(outputs)
        let live = try #require(records.first { $0["finished"] == .bool(false) })
        #expect(live["statement_id"] == "3" && live["application_id"] == "local-1764670000000")
        guard case .array(let liveJobs)? = live["jobs"] else { Issue.record("no jobs"); return }
        #expect(liveJobs.map { $0["job_id"] } == [.int(1), .int(2)], "only statement 3's jobs, in id order")
        #expect(liveJobs[1]["status"] == "RUNNING" && liveJobs[1]["tasks"]?["active"] == .int(4))

        let summary = try #require(records.last)
        #expect(summary["finished"] == .bool(true))
        guard case .array(let jobs)? = summary["jobs"] else { Issue.record("no jobs"); return }
        #expect(jobs.map { $0["stages"]?["total"] } == [.int(2), .int(3)])
        #expect(jobs[1]["stages"]?["skipped"] == .int(1))
        #expect(jobs[0]["link"] == "/spark/alice/5101/jobs/job/?id=1")
        #expect(jobs[0]["history_link"] == "http://history:18080/history/local-1764670000000/jobs/job/?id=1")
        let text = outputs.contents(of: "update_display_data").compactMap { $0["data"]?["text/plain"]?.stringValue }.last ?? ""
        #expect(text.hasPrefix("Spark: 2 jobs · 5 stages · 32 tasks · "), "\(text)")
        #expect(text.contains("statement 3, application local-1764670000000"))
        #expect(text.contains("1 stage skipped"))

        // At most about two requests a second while it ran, plus the application lookup and the final look.
        let asked = await driver.requests
        #expect(asked.first == "/api/v1/applications" && asked.filter { $0 == "/api/v1/applications" }.count == 1)
        #expect(asked.count <= 6, "\(asked)")
        #expect(!outputs.all.contains("Spark: finished in"), "the jobs summary replaces the bar's")
    }

    @Test func aFailedJobIsShownWithItsFailedTasks() async throws {
        let backend = await backend()
        try await backend.run("1+1")
        await driver.addJob(id: 4, group: "2", name: "count at <stdin>:1", status: "FAILED", stageIDs: [7], tasks: 4,
                            completed: 1, failed: 3)
        await fixture.livy.set(statementPolls: 800)
        let outputs = try await backend.run("boom")
        let text = outputs.contents(of: "update_display_data").compactMap { $0["data"]?["text/plain"]?.stringValue }.last ?? ""
        #expect(text.contains("job 4 failed (3 failed tasks)"), "\(text)")
    }

    @Test func withoutTheDriverTheCellShowsLivysProgressAndInfoSaysWhy() async throws {
        await driver.set(isDown: true)
        let backend = await backend()
        try await backend.run("1+1")
        await fixture.livy.set(statementPolls: 1200)
        await fixture.livy.set(runningProgress: 0.5)
        let outputs = try await backend.run("a spark job")
        #expect(outputs.all.contains("50% (running)"))
        #expect(outputs.all.contains("Spark: finished in"))
        #expect(Self.records(outputs).isEmpty)
        let info = try await backend.run("%%info")
        #expect(info.all.contains("Livy's progress: the driver's REST API at http://10.1.2.3:5101 cannot be used"), "\(info.all)")
        #expect(await driver.requests.count == 1, "a driver that failed is not asked again for every poll")
    }

    @Test func infoNamesTheDriversRESTAPIWhenItIsUsed() async throws {
        let backend = await backend()
        try await backend.run("1+1")
        let info = try await backend.run("%%info").all
        #expect(info.contains("the driver's REST API at http://10.1.2.3:5101/api/v1 (application local-1764670000000; 1 request so far)"), "\(info)")
    }

    @Test func sparkUIMagicFramesTheProxiedUI() async throws {
        let backend = await backend()
        let outputs = try await backend.run("%spark_ui 700")
        let html = try #require(outputs.displays.last?["text/html"]?.stringValue)
        #expect(html.contains("<iframe src=\"/spark/alice/5101/\""))
        #expect(html.contains("height:700px"))
        #expect(html.contains("target=\"_blank\""))
        #expect(outputs.displays.last?["text/plain"]?.stringValue?.contains("/spark/alice/5101/") == true)
    }
}

@Suite struct SparkJobsRendererTests {
    let renderer = SparkJobsRenderer(context: .init(statementID: "7", applicationID: "app-1", uiLink: "/user/al/spark/al/4040/",
                                                    historyURL: nil))

    @Test func sparkDatesAreEpochMilliseconds() {
        #expect(SparkJob.epochMilliseconds("1970-01-01T00:00:00.000GMT") == 0)
        #expect(SparkJob.epochMilliseconds("2026-12-02T10:15:30.123GMT") == 1_796_206_530_123)
        #expect(SparkJob.epochMilliseconds("2000-02-29T23:59:59.999GMT") == 951_868_799_999)
        #expect(SparkJob.epochMilliseconds("yesterday") == nil)
    }

    @Test func jobDataIsReadFromSparksJSON() throws {
        let json = try JSONParser.parse(Data("""
            {"jobId": 3, "name": "count at <stdin>:1", "description": "Job group for statement 7", "jobGroup": "7",
             "submissionTime": "2026-12-02T10:00:00.000GMT", "completionTime": "2026-12-02T10:00:01.250GMT",
             "stageIds": [4, 5], "status": "SUCCEEDED", "numTasks": 9, "numActiveTasks": 0, "numCompletedTasks": 8,
             "numSkippedTasks": 1, "numFailedTasks": 0, "numKilledTasks": 0, "numCompletedIndices": 8,
             "numActiveStages": 0, "numCompletedStages": 1, "numSkippedStages": 1, "numFailedStages": 0}
            """.utf8))
        let job = try #require(SparkJob(json: json))
        #expect(job.id == 3 && job.group == "7" && job.status == .succeeded && job.stageIDs == [4, 5])
        #expect(job.completed! - job.submitted! == 1250)
        #expect(renderer.stagesText(job) == "1/1 (1 skipped)")
        #expect(renderer.tasksText(job) == "8/8")
    }

    @Test func linksGoThroughTheProxyAndNamesAreEscaped() {
        let job = SparkJob(id: 12, name: "<script>x</script>", group: "7", status: .running, stageIDs: [30, 31], tasks: 10,
                           activeTasks: 2, completedTasks: 5, submitted: 1000)
        let bundle = renderer.live([job], now: 3500)
        let html = bundle.data["text/html"]?.stringValue ?? ""
        #expect(html.contains("href=\"/user/al/spark/al/4040/jobs/job/?id=12\""))
        #expect(html.contains("href=\"/user/al/spark/al/4040/stages/stage/?id=31&amp;attempt=0\""))
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
        let text = bundle.data["text/plain"]?.stringValue ?? ""
        #expect(text.contains("5/10 (2 running)") && text.contains("2.5 s"), "\(text)")
    }
}
