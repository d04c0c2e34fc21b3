import Synchronization
import JSONValues
import Testing
import TestSupport
@testable import KernelCore

/// An interrupt stops the cell that was running when it arrived, never a later one.
@Suite struct InterruptTests {
    func reply(_ harness: KernelHarness, _ id: String) -> JSONObject? {
        harness.sink.messages(parent: id).first { $0.msgType == "execute_reply" }?.content
    }

    @Test func anInterruptWhileIdleIsANoOpForTheNextCell() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        for _ in 0..<20 {
            try harness.send("interrupt_request", on: .control)
            let next = try harness.execute("x")
            try await harness.sink.waitForIdle(of: next)
            #expect(reply(harness, next)?["status"] == "ok")
        }
        running.cancel()
    }

    /// 50 interrupts at random moments of a short cell (before it starts, while it runs, as it
    /// ends), each followed at once by the next cell, without waiting for interrupt_reply.
    @Test func interruptsAtRandomMomentsNeverReachTheNextCell() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        var generator = SystemRandomNumberGenerator()
        var interrupted = 0
        for _ in 0..<50 {
            let cell = try harness.execute("sleep \(Int.random(in: 0...3000, using: &generator))", stopOnError: false)
            try await Task.sleep(for: .microseconds(Int.random(in: 0...3000, using: &generator)))
            try harness.send("interrupt_request", on: .control)
            let next = try harness.execute("x", stopOnError: false)
            try await harness.sink.waitForIdle(of: next)
            #expect(reply(harness, next)?["status"] == "ok", "the cell sent after the interrupt runs normally")
            if reply(harness, cell)?["ename"] == "KeyboardInterrupt" { interrupted += 1 }
        }
        #expect(harness.backend.ran.withLock { $0.filter { $0 == "x" }.count } == 50)
        running.cancel()
    }

    @Test func anInterruptStopsTheRunningCell() async throws {
        let harness = KernelHarness()
        let running = harness.start()
        let cell = try harness.execute("hang")
        try await harness.sink.wait { $0.contains { $0.msgType == "execute_input" } }
        try harness.send("interrupt_request", on: .control)
        try await harness.sink.waitForIdle(of: cell)
        #expect(reply(harness, cell)?["ename"] == "KeyboardInterrupt")
        running.cancel()
    }
}
