import Synchronization
import Foundation
import JSONValues
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

@Suite struct SparkUILinkTests {
    @Test func linkAndProxyBase() {
        #expect(SparkUILink.proxyBase(baseURL: "/", user: "alice", port: 4041) == "/spark/alice/4041")
        #expect(SparkUILink.proxyBase(baseURL: "/user/alice/", user: "alice", port: 4041) == "/user/alice/spark/alice/4041")
        #expect(SparkUILink.proxyBase(baseURL: "user/alice", user: "alice", port: 4041) == "/user/alice/spark/alice/4041")
        #expect(SparkUILink.url(baseURL: "/user/alice/", user: "alice", port: 4041) == "/user/alice/spark/alice/4041/")
        #expect(SparkUILink.url(baseURL: "/", user: "a b", port: 4040) == "/spark/a%20b/4040/")
    }

    @Test func portFromUIURL() {
        let parsed = SparkUILink.hostAndPort(of: "http://127.0.0.1:4045")
        #expect(parsed?.host == "127.0.0.1")
        #expect(parsed?.port == 4045)
        #expect(SparkUILink.hostAndPort(of: "not a url") == nil)
    }

    @Test func userPrecedence() {
        #expect(SparkUILink.user(configured: "cfg", environment: ["JUPYTERHUB_USER": "hub", "USER": "os"]) == "cfg")
        #expect(SparkUILink.user(configured: nil, environment: ["JUPYTERHUB_USER": "hub", "USER": "os"]) == "hub")
        #expect(SparkUILink.user(configured: nil, environment: ["USER": "os"]) == "os")
    }
}

@Suite struct PortLeaseStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leases-\(UUID().uuidString)")

    func record(pid: Int32 = getpid()) -> SparkUIRecord {
        SparkUIRecord(user: "u", port: 0, pid: pid, livyURL: "http://livy")
    }

    @Test func liveLeasesAreSkipped() throws {
        let store = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { _ in true })
        let first = try store.lease(record(), in: 5000...5002)
        let second = try store.lease(record(), in: 5000...5002)
        #expect(first.port == 5000)
        #expect(second.port == 5001)
        #expect(store.read(port: 5000)?.pid == getpid())
    }

    @Test func staleLeasesAreTakenOver() throws {
        let dead: Int32 = 999_999
        let writer = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { _ in true })
        _ = try writer.lease(record(pid: dead), in: 5000...5000)
        let store = PortLeaseStore(directory: directory, isAlive: { $0 != dead }, isFreeHere: { _ in true })
        #expect(try store.lease(record(), in: 5000...5000).port == 5000)
        #expect(store.read(port: 5000)?.pid == getpid())
    }

    @Test func exhaustedRangeIsAClearError() throws {
        let store = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { _ in true })
        _ = try store.lease(record(), in: 5000...5000)
        #expect(throws: PortLeaseStore.LeaseError.exhausted(5000...5000)) { try store.lease(record(), in: 5000...5000) }
    }

    @Test func releaseAndUpdate() throws {
        let store = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { _ in true })
        var lease = try store.lease(record(), in: 5000...5001)
        lease.port = 5001
        lease.sessionID = 3
        lease.driverHost = "127.0.0.1"
        try store.update(lease, previousPort: 5000)
        #expect(store.read(port: 5000) == nil, "the moved-from port is released")
        #expect(store.read(port: 5001)?.sessionID == 3)
        store.release(port: 5001)
        #expect(store.read(port: 5001) == nil)
    }

    @Test func othersLeasesAreNotReleased() throws {
        let store = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { _ in true })
        _ = try store.lease(record(pid: 1), in: 5000...5000)
        store.release(port: 5000)
        #expect(store.read(port: 5000)?.pid == 1)
    }

    @Test func portsInUseHereAreSkipped() throws {
        let store = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { $0 != 5000 })
        #expect(try store.lease(record(), in: 5000...5001).port == 5001)
    }

    @Test func loopbackProbeSeesAListener() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length); return listen(fd, 1) + getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        #expect(!PortLeaseStore.loopbackPortIsFree(port))
    }

    @Test func realProcessLiveness() {
        #expect(PortLeaseStore.processIsAlive(getpid()))
        #expect(!PortLeaseStore.processIsAlive(0))
    }
}

@Suite struct LeaseTakeoverTests {
    /// Kernels that find the same stale lease at once: exactly one takes it over.
    @Test func aStaleLeaseIsTakenOverByOneKernelOnly() throws {
        for round in 0..<20 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lk-takeover-\(UUID().uuidString)")
            let stale = PortLeaseStore(directory: directory, isAlive: { _ in true }, isFreeHere: { _ in true })
            _ = try stale.lease(SparkUIRecord(user: "gone", port: 0, pid: 111, livyURL: "x"), in: 6000...6000)
            let winners = Mutex<[Int32]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { kernel in
                // Every contender is alive; only the stale holder (pid 111) is gone.
                let store = PortLeaseStore(directory: directory, isAlive: { $0 != 111 }, isFreeHere: { _ in true })
                let pid = Int32(1000 + kernel)
                if let leased = try? store.lease(SparkUIRecord(user: "k\(kernel)", port: 0, pid: pid, livyURL: "x"), in: 6000...6000) {
                    winners.withLock { $0.append(leased.pid) }
                }
            }
            let won = winners.withLock { $0 }
            #expect(won.count == 1, "round \(round): \(won)")
            #expect(stale.read(port: 6000)?.pid == won.first)
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// The Spark UI link comes from the driver itself: real Livy leaves `appInfo.sparkUiUrl` null off
/// YARN, and on YARN it is the ResourceManager's proxy.
@Suite struct DriverUIProbeTests {
    let fixture = BackendFixture()

    @Test(arguments: [FakeLivy.UIURLShape.null, .yarnProxy])
    func theDriverSaysWhereItsUIIs(shape: FakeLivy.UIURLShape) async throws {
        await fixture.livy.set(uiURLShape: shape)
        let probe = DriverUIProbe.statement(forSessionKind: "pyspark").code
        await fixture.livy.respond(to: probe, with: .text("LIVYKERNEL-DRIVER-UI http://10.1.2.3:5101 10.1.2.3\n"))
        let backend = fixture.backend(askDriver: true)
        let outputs = try await backend.run("1+1")
        let session = try #require(await backend.sessions.current)
        #expect(session.uiRecord?.port == 5101, "the port the driver bound (5100 was asked for)")
        #expect(session.uiRecord?.driverHost == "10.1.2.3")
        #expect(fixture.leases.read(port: 5101)?.driverHost == "10.1.2.3", "the proxy reads the lease")
        #expect(session.sparkUILink == "/spark/alice/5101/")
        #expect(outputs.all.contains("/spark/alice/5101/"))
        #expect(await fixture.livy.submittedCode == [probe, "1+1"], "one probe, before the cell")
    }

    @Test func eachSessionKindAsksInItsOwnLanguage() {
        #expect(DriverUIProbe.statement(forSessionKind: "spark").kind == "spark")
        #expect(DriverUIProbe.statement(forSessionKind: "spark").code.hasPrefix("println("))
        #expect(DriverUIProbe.statement(forSessionKind: "sql") == ("SET spark.driver.host", "sql"))
        #expect(DriverUIProbe.statement(forSessionKind: "pyspark").kind == "pyspark")
    }

    @Test func answersAreReadWhereverTheyComeFrom() {
        let text = StatementOutput.ok(executionCount: 0, data: ["text/plain": "LIVYKERNEL-DRIVER-UI http://drv:4041 drv.internal"])
        #expect(DriverUIProbe.location(from: text) == .init(host: "drv.internal", port: 4041))
        let noUI = StatementOutput.ok(executionCount: 0, data: ["text/plain": "LIVYKERNEL-DRIVER-UI - drv"])
        #expect(DriverUIProbe.location(from: noUI) == .init(host: "drv", port: nil))
        let sql = StatementOutput.ok(executionCount: 0, data: ["application/json": [
            "schema": ["type": "struct", "fields": []], "data": [["spark.driver.host", "10.0.0.5"]]]])
        #expect(DriverUIProbe.location(from: sql) == .init(host: "10.0.0.5", port: nil))
        #expect(DriverUIProbe.location(from: .error(executionCount: 0, ename: "NameError", evalue: "x", traceback: [])) == nil)
        #expect(DriverUIProbe.location(from: .ok(executionCount: 0, data: ["text/plain": "something else"])) == nil)
    }

    @Test func aFailedProbeFallsBackWithoutFailingTheCell() async throws {
        await fixture.livy.set(uiURLShape: .yarnProxy)
        let probe = DriverUIProbe.statement(forSessionKind: "pyspark").code
        await fixture.livy.respond(to: probe, with: .error(ename: "NameError", evalue: "name 'spark' is not defined", traceback: []))
        let backend = fixture.backend(askDriver: true)
        try await backend.run("1+1")
        let session = try #require(await backend.sessions.current)
        #expect(session.uiRecord?.port == 5100, "the requested port; YARN's proxy URL is not the driver")
        #expect(session.uiRecord?.driverHost == nil)
    }
}
