import Foundation
import JupyterProtocol
import Testing
@testable import KernelCore
import JSONValues
import Synchronization
import TestSupport

@Suite struct KernelDispatchTests {
    @Test func announcesStartingThenBracketsEveryRequestWithBusyAndIdle() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.send("kernel_info_request")
        try await harness.sink.waitForIdle(of: id)
        #expect(harness.sink.messages.first?.msgType == "status")
        #expect(harness.sink.messages.first?.content["execution_state"] == "starting")
        let mine = harness.sink.messages(parent: id)
        #expect(mine.map(\.msgType) == ["status", "kernel_info_reply", "status"])
        #expect(mine[1].channel == .shell)
        let info = mine[1].content
        #expect(info["protocol_version"] == "5.3")
        #expect(info["language_info"]?["name"] == "python")
        running.cancel()
    }

    @Test func controlRequestsAreAnsweredOnControl() async throws {
        let harness = KernelHarness(language: ScriptedBackend.sql)
        let running = harness.start()
        let id = try harness.send("kernel_info_request", on: .control)
        try await harness.sink.waitForIdle(of: id)
        let reply = try #require(harness.sink.messages(parent: id).first { $0.msgType == "kernel_info_reply" })
        #expect(reply.channel == .control)
        #expect(reply.content["language_info"]?["name"] == "sql")
        running.cancel()
    }

    @Test func unknownTypesGetStatusButNoReply() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.send("debug_request", #"{"command": "initialize"}"#, on: .control)
        try await harness.sink.waitForIdle(of: id)
        #expect(harness.sink.messages(parent: id).map(\.msgType) == ["status", "status"])
        running.cancel()
    }

    @Test func unknownCommTargetsAreClosedAtOnce() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.send("comm_open", #"{"comm_id": "c9", "target_name": "jupyter.widget", "data": {}}"#)
        try await harness.sink.waitForIdle(of: id)
        let messages = harness.sink.messages(parent: id)
        #expect(messages.map(\.msgType) == ["status", "comm_close", "status"])
        #expect(messages[1].content["comm_id"] == "c9")
        running.cancel()
    }

    @Test func isCompleteIsTheBackends() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.send("is_complete_request", #"{"code": "SELECT 'open"}"#)
        try await harness.sink.waitForIdle(of: id)
        let reply = try #require(harness.sink.messages(parent: id).first { $0.msgType == "is_complete_reply" })
        #expect(reply.content["status"] == "invalid")
        running.cancel()
    }

    @Test func shutdownAnswersReleasesTheBackendAndEndsTheKernel() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let id = try harness.send("shutdown_request", #"{"restart": true}"#, on: .control)
        await running.value  // run() returns by itself
        let messages = harness.sink.messages(parent: id)
        #expect(messages.map(\.msgType) == ["status", "shutdown_reply", "status"])
        #expect(messages[1].content["restart"] == true)
        #expect(harness.backend.shutdowns.withLock { $0 } == [true])
    }

    @Test func requestsAfterShutdownAreNotRun() async throws {
        let harness = KernelHarness()
        _ = try harness.send("shutdown_request", #"{"restart": false}"#)
        _ = try harness.execute("after")
        await harness.start().value
        #expect(harness.backend.ran.withLock { $0 }.isEmpty)
    }
}
