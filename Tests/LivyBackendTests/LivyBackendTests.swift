import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

@Suite struct LivyBackendTests {
    let fixture = BackendFixture()
    var livy: FakeLivy { fixture.livy }
    var leases: PortLeaseStore { fixture.leases }

    @Test func firstCellAnnouncesTheSessionAndRunsTheStatement() async throws {
        await livy.respond(to: "1+1", with: .text("2"))
        let outputs = try await fixture.backend().run("1+1")
        #expect(outputs.types.first == "display_data")
        #expect(outputs.all.contains("Spark session 0"))
        #expect(outputs.all.contains("/spark/alice/5100/"))
        #expect(outputs.types.last == "stream")
        #expect(outputs.all.contains(#""text":"2\n""#))
        let body = try #require(await livy.createBodies.first)
        #expect(body["kind"] == "pyspark")
        #expect(body["conf"]?["spark.ui.port"] == "5100")
        #expect(body["conf"]?["spark.ui.proxyBase"] == "/spark/alice/5100")
        #expect(body["name"]?.stringValue?.hasPrefix("livykernel-alice-") == true)
        #expect(body["name"]?.stringValue?.hasSuffix(".4242.nb-host") == true)
        #expect(leases.read(port: 5100)?.sessionID == 0)
    }

    @Test func theLinkUsesThePortTheUIReallyUses() async throws {
        await livy.set(uiPortOverride: 5107)
        let outputs = try await fixture.backend().run("1+1")
        #expect(outputs.all.contains("/spark/alice/5107/"))
        #expect(leases.read(port: 5107)?.sessionID == 0)
        #expect(leases.read(port: 5100) == nil)
    }

    @Test func sparkErrorsBecomeCellErrors() async throws {
        await livy.respond(to: "boom", with: .error(ename: "ValueError", evalue: "boom",
                                                    traceback: ["Traceback (most recent call last):\n", "ValueError: boom\n"]))
        let content = try #require(await fixture.backend().failure(of: "boom"))
        #expect(content.ename == "ValueError" && content.evalue == "boom")
        #expect(content.traceback == ["Traceback (most recent call last):", "ValueError: boom"])
    }

    @Test func aVanishedSessionIsReplacedWithAPlainMessage() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.vanish(0)
        let outputs = try await backend.run("1+1")
        #expect(outputs.stream("stderr").contains("The Spark session 0 is no longer on the Livy server"))
        #expect(outputs.all.contains("Spark session 1"))
        #expect(await livy.createBodies.count == 2)
    }

    @Test func interruptCancelsTheStatementOnLivy() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "hang", with: .hang)
        let running = Task { try await backend.run("hang") }
        try await livy.waitFor { $0.contains(.statementPolled(session: 0, statement: 1, state: "running")) }
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(await livy.cancelled == [1])
        try await backend.run("1+1")
    }

    @Test func aSlowCancelIsExplainedInTheCell() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "hang", with: .hang)
        await livy.set(cancelDelay: .milliseconds(1500))
        let outputs = OutputRecorder()
        let running = Task { try await backend.execute(CellExecution(code: "hang", executionCount: 2), output: outputs.publisher) }
        try await livy.waitFor { $0.contains(.statementPolled(session: 0, statement: 1, state: "running")) }
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(outputs.stream("stderr").contains("Stopping statement 1: Livy cancels its Spark jobs"))
        #expect(!outputs.stream("stderr").contains("still running"), "it stopped within the grace period")
    }

    @Test func aLongStatementShowsSparkProgressOnlyOnceSparkHasWork() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.set(statementPolls: 1200)  // about 2 s at the fixture's poll rate
        await livy.set(runningProgress: 0)
        let quiet = try await backend.run("no spark job")
        #expect(quiet.displays.isEmpty, "no bar for code that runs no Spark job")
        await livy.set(runningProgress: 0.5)
        let busy = try await backend.run("a spark job")
        let shown = busy.displays.compactMap { data -> String? in
            if case .string(let text)? = data["text/plain"] { text } else { nil }
        }
        #expect(shown.contains { $0.contains("50% (running)") })
        #expect(busy.all.contains("Spark: finished in"), "the bar becomes a summary before the reply")
    }

    @Test func failedStartShowsTheLogTailAndTheNextCellRetries() async throws {
        await livy.set(failStartsWith: "dead")
        let backend = fixture.backend()
        let content = try #require(await backend.failure(of: "1+1"))
        #expect(content.ename == "SparkSessionStartFailed")
        #expect(content.traceback.contains("    java.lang.OutOfMemoryError: driver"))
        #expect(leases.read(port: 5100) == nil, "the failed session's port is given back")
        await livy.set(failStartsWith: nil)
        try await backend.run("1+1")
    }

    @Test func aTakenUIPortIsRetriedOnTheNextPort() async throws {
        await livy.set(takenUIPorts: [5100, 5101])
        let outputs = try await fixture.backend().run("1+1")
        #expect(outputs.all.contains("/spark/alice/5102/"))
        #expect(await livy.createBodies.map { $0["conf"]?["spark.ui.port"] } == ["5100", "5101", "5102"])
        #expect(await livy.deleted == [0, 1], "the failed sessions are deleted")
        #expect(leases.read(port: 5100) == nil && leases.read(port: 5101) == nil, "no lease is left for the failed ports")
    }

    @Test func eagerStartAndShutdownDeletesTheSession() async throws {
        let backend = fixture.backend(eager: true)
        await backend.kernelStarted()
        try await livy.waitFor { $0.contains(.sessionCreated(0)) }
        try await backend.run("1+1")
        #expect(await livy.createBodies.count == 1, "the cell used the eagerly started session")
        await backend.shutdown(restart: false)
        #expect(await livy.deleted == [0])
        #expect(leases.read(port: 5100) == nil)
    }

    @Test func livyDownIsAnErrorThatNamesTheCauseAndTheNextStep() async throws {
        await livy.set(isDown: true)
        let content = try #require(await fixture.backend().failure(of: "1+1"))
        #expect(content.ename == "LivyUnreachable")
        #expect(content.traceback.contains { $0.contains("Nothing was lost") })
    }

    @Test(arguments: [
        (#"{"msg": "Rejected, too many sessions are being created!"}"#, "Rejected, too many sessions are being created!"),
        (#""java.lang.IllegalArgumentException: Invalid kind: fortran""#, "java.lang.IllegalArgumentException: Invalid kind: fortran"),
        ("<html><head><title>Error 503 Service Unavailable</title></head></html>", "Error 503 Service Unavailable"),
    ])
    func livysThreeErrorShapesReachTheCell(body: String, message: String) async throws {
        await livy.failNext("POST", pathSuffix: "/sessions", status: 400, body: body)
        let content = try #require(await fixture.backend().failure(of: "1+1"))
        #expect(content.ename == "LivyHTTPError")
        #expect(content.evalue.hasSuffix(message))
    }
}
