import JupyterProtocol
import Foundation
import KernelCore
import LivyClient
import Logging
import TestSupport
@testable import LivyBackend

/// A `LivyBackend` on the real `LivyHTTPClient` over an in-memory `FakeLivy`, with fast polling
/// and a private lease directory: the whole cell path in-process.
struct BackendFixture {
    let livy = FakeLivy()
    let leases = PortLeaseStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lk-\(UUID().uuidString)"),
                                isAlive: { _ in true }, isFreeHere: { _ in true })
    static let owner = SessionOwner(user: "alice", pid: 4242, host: "nb-host")

    var client: LivyHTTPClient {
        LivyHTTPClient(baseURL: livy.baseURL, transport: livy, retry: .never, logger: Logger(label: "test"))
    }

    func backend(kind: KernelKind = .pyspark, eager: Bool = false, environment: [String: String] = [:],
                 settings: SessionSettings = SessionSettings(), sqlMaxRows: Int = 1000,
                 alivePIDs: Set<Int32> = [], keepOnRestart: Bool = true, resumeKey: String? = nil,
                 idleTimeout: Duration? = nil, followWindow: Duration = .seconds(2),
                 askDriver: Bool = false, driver: FakeSparkDriver? = nil, historyURL: String? = nil) -> LivyBackend {
        var config = KernelConfiguration()
        config.livyURL = livy.baseURL
        config.session.eagerStart = eager
        config.session.settings = settings
        config.sparkUI.ports = 5100...5110
        config.sqlMaxRows = sqlMaxRows
        config.session.keepOnRestart = keepOnRestart
        config.session.idleTimeout = idleTimeout
        // Most tests count the statements Livy got: the UI probe is on only where it is the subject.
        config.sparkUI.askDriver = askDriver
        config.sparkUI.historyURL = historyURL
        // No test reaches a real driver: without a fake one, the driver's REST API is down.
        let driverTransport: any HTTPTransport = driver ?? FakeSparkDriver(baseURL: "http://nowhere")
        return LivyBackend(api: client, config: config, kind: kind, owner: Self.owner, leases: leases,
                           logger: Logger(label: "test"), resumeKey: resumeKey, schedule: PollSchedule(initial: .milliseconds(1), maximum: .milliseconds(2)),
                           environment: environment, isProcessAlive: { alivePIDs.contains($0) },
                           recoveryWindow: .milliseconds(300), followWindow: followWindow,
                           driverTransport: { driverTransport })
    }
}

extension LivyBackend {
    /// Runs one cell and returns what it published (throws what the cell throws).
    @discardableResult
    func run(_ code: String) async throws -> OutputRecorder {
        let outputs = OutputRecorder()
        try await execute(CellExecution(code: code, executionCount: 1), output: outputs.publisher)
        return outputs
    }

    /// Runs a cell that must fail and returns the error as the notebook shows it.
    func failure(of code: String) async -> ErrorContent? {
        do {
            try await run(code)
            return nil
        } catch {
            return ErrorContent(describing: error)
        }
    }
}
