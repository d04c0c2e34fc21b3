import Foundation
import JupyterProtocol
import Testing
@testable import KernelCore
import JSONValues
import Synchronization
import TestSupport

@Suite struct KernelExecuteTests {
    @Test func successfulCellFollowsTheProtocolOrder() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.execute("x")
        try await harness.sink.waitForIdle(of: id)
        let messages = harness.sink.messages(parent: id)
        #expect(messages.map(\.msgType) == ["status", "execute_input", "stream", "execute_result", "execute_reply", "status"])
        #expect(messages[1].content["execution_count"] == 1)
        #expect(messages[3].content["execution_count"] == 1)
        #expect(messages[4].content["status"] == "ok")
        #expect(messages[4].content["execution_count"] == 1)
        running.cancel()
    }

    @Test func failedCellPublishesExactlyOneErrorAndAnErrorReply() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.execute("fail")
        try await harness.sink.waitForIdle(of: id)
        let messages = harness.sink.messages(parent: id)
        #expect(messages.map(\.msgType) == ["status", "execute_input", "error", "execute_reply", "status"])
        let reply = messages[3].content
        #expect(reply["status"] == "error")
        #expect(reply["ename"] == "SparkError")
        #expect(reply["traceback"] == ["at line 1", "SparkError: boom"])
        #expect(reply["execution_count"] == 1)
        running.cancel()
    }

    @Test func countsOnlyStoredNonBlankCells() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        _ = try harness.execute("a")
        _ = try harness.execute("   ")
        _ = try harness.send("execute_request", #"{"code": "b", "store_history": false}"#)
        let last = try harness.execute("c")
        try await harness.sink.waitForIdle(of: last)
        let counts = harness.sink.messages.filter { $0.msgType == "execute_reply" }.map { $0.content["execution_count"] }
        #expect(counts == [1, 1, 1, 2])
        running.cancel()
    }

    @Test func silentCellsPublishNothingButStatus() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.execute("x", silent: true)
        try await harness.sink.waitForIdle(of: id)
        let messages = harness.sink.messages(parent: id)
        #expect(messages.map(\.msgType) == ["status", "execute_reply", "status"])
        #expect(messages[1].content["execution_count"] == 0)
        running.cancel()
    }

    @Test func failureAbortsTheCellsQueuedBehindItOnly() async throws {
        let harness = KernelHarness()
        // All three are queued before the kernel starts, so two are waiting when the first fails.
        let failing = try harness.execute("fail")
        let queued1 = try harness.execute("q1")
        let queued2 = try harness.execute("q2")
        let running = harness.start()
        try await harness.sink.waitForIdle(of: queued2)
        let later = try harness.execute("later")
        try await harness.sink.waitForIdle(of: later)

        #expect(harness.backend.ran.withLock { $0 } == ["fail", "later"])
        for id in [queued1, queued2] {
            let messages = harness.sink.messages(parent: id)
            #expect(messages.map(\.msgType) == ["status", "execute_reply", "status"], "no execute_input, no error output")
            #expect(messages[1].content["ename"] == "ExecutionAborted")
            #expect(messages[1].content["execution_count"] == 1)
        }
        _ = failing
        let laterReply = harness.sink.messages(parent: later).first { $0.msgType == "execute_reply" }
        #expect(laterReply?.content["status"] == "ok")
        #expect(laterReply?.content["execution_count"] == 2)
        running.cancel()
    }

    @Test func stopOnErrorFalseAbortsNothing() async throws {
        let harness = KernelHarness()
        _ = try harness.execute("fail", stopOnError: false)
        let next = try harness.execute("next")
        let running = harness.start()
        try await harness.sink.waitForIdle(of: next)
        #expect(harness.backend.ran.withLock { $0 } == ["fail", "next"])
        running.cancel()
    }

    @Test func interruptCancelsTheRunningCellAndTheKernelGoesOn() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let hanging = try harness.execute("hang")
        try await harness.sink.wait { $0.contains { $0.parentID == hanging && $0.msgType == "execute_input" } }
        let interrupt = try harness.send("interrupt_request", on: .control)
        try await harness.sink.waitForIdle(of: hanging)
        let reply = try #require(harness.sink.messages(parent: hanging).first { $0.msgType == "execute_reply" })
        #expect(reply.content["ename"] == "KeyboardInterrupt")
        let ack = harness.sink.messages(parent: interrupt).first { $0.msgType == "interrupt_reply" }
        #expect(ack?.content["status"] == "ok")
        let next = try harness.execute("next")
        try await harness.sink.waitForIdle(of: next)
        #expect(harness.sink.messages(parent: next).contains { $0.msgType == "execute_reply" && $0.content["status"] == "ok" })
        running.cancel()
    }

    @Test func historyKeepsStoredCells() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        _ = try harness.execute("one")
        _ = try harness.execute("two")
        let id = try harness.send("history_request", #"{"hist_access_type": "search", "pattern": "t*", "output": false, "raw": true}"#)
        try await harness.sink.waitForIdle(of: id)
        let reply = try #require(harness.sink.messages(parent: id).first { $0.msgType == "history_reply" })
        #expect(reply.content["history"] == [[1, 2, "two"]])
        running.cancel()
    }
}
