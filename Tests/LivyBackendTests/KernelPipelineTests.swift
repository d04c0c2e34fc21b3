import JSONValues
import KernelCore
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

/// The kernel's message handlers, the Livy backend and the in-memory Livy together: requests in,
/// messages out, as Jupyter would see them.
@Suite struct KernelPipelineTests {
    let fixture = BackendFixture()

    @Test func aSQLCellThroughTheKernel() async throws {
        await fixture.livy.respond(to: "SELECT 1 AS one", with: .table(columns: [("one", "integer")], rows: [[1]]))
        let driver = KernelDriver(backend: fixture.backend(kind: .sql))
        let running = driver.start()
        let info = try driver.send("kernel_info_request")
        try await driver.sink.waitForIdle(of: info)
        #expect(driver.sink.messages(parent: info).first { $0.msgType == "kernel_info_reply" }?
            .content["language_info"]?["name"] == "sql", "language_info comes from the backend")

        let id = try driver.execute("USE db;\nSELECT 1 AS one")
        try await driver.sink.waitForIdle(of: id)
        let types = driver.sink.messages(parent: id).map(\.msgType)
        #expect(types.first == "status" && types.last == "status")
        #expect(types.contains("execute_input") && types.contains("execute_reply"))
        let reply = try #require(driver.sink.messages(parent: id).first { $0.msgType == "execute_reply" })
        #expect(reply.content["status"] == "ok")
        let tables = driver.sink.messages(parent: id).filter { $0.msgType == "display_data" }
            .compactMap { $0.content["data"]?["text/plain"]?.stringValue }.filter { $0.contains("Statement 2 of 2") }
        #expect(tables.count == 1)
        #expect(await fixture.livy.submittedCode == ["USE db", "SELECT 1 AS one"])
        running.cancel()
    }

    @Test func aFailedCellAbortsTheQueuedOnesAndIsCompleteIsTheBackends() async throws {
        await fixture.livy.respond(to: "boom", with: .error(ename: "ValueError", evalue: "boom", traceback: []))
        let driver = KernelDriver(backend: fixture.backend())
        let running = driver.start()
        let failing = try driver.execute("boom")
        let queued = try driver.execute("1+1")
        try await driver.sink.waitForIdle(of: queued)
        let error = try #require(driver.sink.messages(parent: failing).first { $0.msgType == "error" })
        #expect(error.content["ename"] == "ValueError")
        #expect(driver.sink.messages(parent: queued).first { $0.msgType == "execute_reply" }?.content["ename"] == "ExecutionAborted")
        #expect(await fixture.livy.submittedCode == ["boom"], "the aborted cell never reached Livy")

        let check = try driver.send("is_complete_request", #"{"code": "%%sql\nSELECT 'open"}"#)
        try await driver.sink.waitForIdle(of: check)
        #expect(driver.sink.messages(parent: check).first { $0.msgType == "is_complete_reply" }?.content["status"] == "incomplete")
        running.cancel()
    }

    @Test func anInterruptCancelsTheRunningStatement() async throws {
        await fixture.livy.respond(to: "hang", with: .hang)
        let driver = KernelDriver(backend: fixture.backend())
        let running = driver.start()
        let id = try driver.execute("hang")
        try await fixture.livy.waitFor { $0.contains(.statementPolled(session: 0, statement: 0, state: "running")) }
        try driver.send("interrupt_request", on: .control)
        try await driver.sink.waitForIdle(of: id)
        #expect(driver.sink.messages(parent: id).first { $0.msgType == "execute_reply" }?.content["ename"] == "KeyboardInterrupt")
        #expect(await fixture.livy.cancelled == [0])
        running.cancel()
    }
}
