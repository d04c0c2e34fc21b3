import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import Logging
import Synchronization
import Testing
@testable import LivyBackend

/// Records what a backend publishes for one cell.
final class Outputs: Sendable {
    private let messages = Mutex<[(type: String, text: String)]>([])

    var publisher: OutputPublisher {
        OutputPublisher(executionCount: 1) { [self] type, content in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let data = (try? encoder.encode(content)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            messages.withLock { $0.append((type, data)) }
        }
    }

    var types: [String] { messages.withLock { $0.map(\.type) } }
    var all: String { messages.withLock { $0.map(\.text).joined(separator: "\n") } }
}

@Suite struct LivyBackendTests {
    let livy = FakeLivy()
    let leases = PortLeaseStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lk-\(UUID().uuidString)"),
                                isAlive: { _ in true }, isFreeHere: { _ in true })

    func backend(eager: Bool = false) -> LivyBackend {
        var config = KernelConfiguration()
        config.livyURL = livy.baseURL
        config.session.eagerStart = eager
        config.sparkUI.ports = 5100...5110
        return LivyBackend(api: livy, config: config, kind: .pyspark, user: "alice", leases: leases,
                           logger: Logger(label: "test"), schedule: PollSchedule(initial: .milliseconds(1), maximum: .milliseconds(2)))
    }

    @Test func firstCellAnnouncesTheSessionAndRunsTheStatement() async throws {
        let backend = backend()
        let outputs = Outputs()
        try await backend.execute(CellExecution(code: "1+1", executionCount: 1), output: outputs.publisher)
        #expect(outputs.types.first == "display_data")
        #expect(outputs.all.contains("Spark session 0"))
        #expect(outputs.all.contains("/spark/alice/5100/"))
        #expect(outputs.types.last == "stream")
        #expect(outputs.all.contains(#""text":"2\n""#))
        let request = try #require(await livy.createRequests.first)
        #expect(request.kind == "pyspark")
        #expect(request.conf?["spark.ui.port"] == "5100")
        #expect(request.conf?["spark.ui.proxyBase"] == "/spark/alice/5100")
        #expect(leases.read(port: 5100)?.sessionID == 0)
    }

    @Test func theLinkUsesThePortTheUIReallyUses() async throws {
        await livy.setUIPortOverride(5107)
        let outputs = Outputs()
        try await backend().execute(CellExecution(code: "1+1", executionCount: 1), output: outputs.publisher)
        #expect(outputs.all.contains("/spark/alice/5107/"))
        #expect(leases.read(port: 5107)?.sessionID == 0)
        #expect(leases.read(port: 5100) == nil)
    }

    @Test func sparkErrorsBecomeCellErrors() async throws {
        let backend = backend()
        do {
            try await backend.execute(CellExecution(code: "boom", executionCount: 1), output: Outputs().publisher)
            Issue.record("the cell must fail")
        } catch {
            let content = ErrorContent(describing: error)
            #expect(content.ename == "ValueError" && content.evalue == "boom")
            #expect(content.traceback == ["Traceback (most recent call last):", "ValueError: boom"])
        }
    }

    @Test func aVanishedSessionIsReplacedWithAPlainMessage() async throws {
        let backend = backend()
        try await backend.execute(CellExecution(code: "1+1", executionCount: 1), output: Outputs().publisher)
        await livy.vanish(0)
        let outputs = Outputs()
        try await backend.execute(CellExecution(code: "1+1", executionCount: 2), output: outputs.publisher)
        #expect(outputs.all.contains("Spark session 0 is gone"))
        #expect(outputs.all.contains("Spark session 1"))
        #expect(await livy.createRequests.count == 2)
    }

    @Test func interruptCancelsTheStatementOnLivy() async throws {
        let backend = backend()
        try await backend.execute(CellExecution(code: "1+1", executionCount: 1), output: Outputs().publisher)
        let running = Task { try await backend.execute(CellExecution(code: "hang", executionCount: 2), output: Outputs().publisher) }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(await livy.cancelled == [1])
        try await backend.execute(CellExecution(code: "1+1", executionCount: 3), output: Outputs().publisher)
    }

    @Test func failedStartShowsTheLogTailAndTheNextCellRetries() async throws {
        await livy.setFailStarts(.dead)
        let backend = backend()
        do {
            try await backend.execute(CellExecution(code: "1+1", executionCount: 1), output: Outputs().publisher)
            Issue.record("the start must fail")
        } catch {
            let content = ErrorContent(describing: error)
            #expect(content.ename == "SparkSessionStartFailed")
            #expect(content.traceback.contains("    java.lang.OutOfMemoryError: driver"))
        }
        #expect(leases.read(port: 5100) == nil, "the failed session's port is given back")
        await livy.setFailStarts(nil)
        try await backend.execute(CellExecution(code: "1+1", executionCount: 2), output: Outputs().publisher)
    }

    @Test func aTakenUIPortIsRetriedOnTheNextPort() async throws {
        await livy.setTakenUIPorts([5100, 5101])
        let outputs = Outputs()
        try await backend().execute(CellExecution(code: "1+1", executionCount: 1), output: outputs.publisher)
        #expect(outputs.all.contains("/spark/alice/5102/"))
        #expect(await livy.createRequests.map { $0.conf?["spark.ui.port"] } == ["5100", "5101", "5102"])
        #expect(await livy.deleted == [0, 1], "the failed sessions are deleted")
        #expect(leases.read(port: 5100) == nil && leases.read(port: 5101) == nil, "no lease is left for the failed ports")
    }

    @Test func eagerStartAndShutdownDeletesTheSession() async throws {
        let backend = backend(eager: true)
        await backend.kernelStarted()
        try await Task.sleep(for: .milliseconds(100))
        #expect(await livy.createRequests.count == 1)
        try await backend.execute(CellExecution(code: "1+1", executionCount: 1), output: Outputs().publisher)
        #expect(await livy.createRequests.count == 1, "the cell used the eagerly started session")
        await backend.shutdown(restart: false)
        #expect(await livy.deleted == [0])
        #expect(leases.read(port: 5100) == nil)
    }
}
