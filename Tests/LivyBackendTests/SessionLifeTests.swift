import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import LivyClient
import Logging
import Testing
import TestSupport
@testable import LivyBackend

/// Sessions that survive real life: exactly-once statements and starts, keep-alive, restart and
/// attach, and the races of a start superseded by shutdown.
@Suite struct SessionLifeTests {
    let fixture = BackendFixture()
    var livy: FakeLivy { fixture.livy }

    @Test func aStatementWhoseAnswerWasLostIsFollowedNotResent() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "spark.range(3).count()", with: .text("3"))
        await livy.loseNextAnswer("POST", pathSuffix: "/statements", handled: true)
        let outputs = try await backend.run("spark.range(3).count()")
        #expect(outputs.stream("stdout") == "3\n", "the cell shows the statement Livy ran")
        #expect(await livy.submittedCode == ["1+1", "spark.range(3).count()"], "posted once")
    }

    @Test func aStatementLivyNeverGotIsReportedAsUnknownNotRunTwice() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.loseNextAnswer("POST", pathSuffix: "/statements", handled: false)
        let content = try #require(await backend.failure(of: "1+1"))
        #expect(content.ename == "StatementOutcomeUnknown")
        #expect(content.traceback.contains { $0.contains("ran at most once") })
        #expect(await livy.submittedCode == ["1+1"], "the lost statement was not sent again")
        try await backend.run("1+1")
    }

    @Test func anEarlierCellWithTheSameCodeIsNotMistakenForTheLostOne() async throws {
        let backend = fixture.backend()
        try await backend.run("x = 1")
        await livy.loseNextAnswer("POST", pathSuffix: "/statements", handled: false)
        let content = try #require(await backend.failure(of: "x = 1"))
        #expect(content.ename == "StatementOutcomeUnknown")
    }

    @Test func aSessionWhoseCreationAnswerWasLostIsFoundByName() async throws {
        await livy.loseNextAnswer("POST", pathSuffix: "/sessions", handled: true)
        let backend = fixture.backend()
        try await backend.run("1+1")
        #expect(await livy.createBodies.count == 1, "one start, one session")
        #expect(await livy.sessionIDs() == [0])
    }

    @Test func aStartSupersededByShutdownDeletesWhatItCreated() async throws {
        await livy.delayNext("POST", pathSuffix: "/sessions", by: .milliseconds(200))
        let backend = fixture.backend(eager: true)
        await backend.kernelStarted()
        try await livy.waitFor { $0.contains(.received("POST /sessions")) }  // in flight, held by the fake
        await backend.shutdown(restart: false)
        try await livy.waitFor { $0.contains(.sessionDeleted(0)) }
        #expect(await livy.sessionIDs() == [], "nothing is left on Livy")
        #expect(fixture.leases.read(port: 5100) == nil)
    }

    @Test func aStartSupersededByConfigureNeverOverwritesTheNewerStart() async throws {
        await livy.delayNext("POST", pathSuffix: "/sessions", by: .milliseconds(200))
        let backend = fixture.backend(eager: true)
        await backend.kernelStarted()
        try await livy.waitFor { $0.contains(.received("POST /sessions")) }
        try await backend.run("%%configure -f\n{\"numExecutors\": 2}")
        try await livy.waitFor { $0.contains { if case .sessionDeleted = $0 { true } else { false } } }
        let remaining = await livy.sessionIDs()
        #expect(remaining.count == 1, "the superseded start deleted the session it created")
        #expect(await backend.sessions.current?.id == remaining.first, "the newer start's session is the notebook's")
        #expect(await livy.createBodies.map { $0["numExecutors"] }.contains(2))
    }

    @Test func theLostSessionMessageNamesTheStateLivyReported() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "long", with: .hang)
        let running = Task { try await backend.run("long") }
        try await livy.waitFor { $0.contains(.statementPolled(session: 0, statement: 1, state: "running")) }
        await livy.kill(0, state: "dead")
        let content = try #require(await running.result.cellError)
        #expect(content.ename == "SparkSessionLost")
        #expect(content.evalue == "Livy session 0 ended in state 'dead' while this cell ran")
    }

    @Test func anIdleSessionIsHeartbeatenAndALostOneIsNamedAtTheNextCell() async throws {
        let backend = fixture.backend()
        await backend.sessions.setHeartbeatInterval(.milliseconds(10))
        try await backend.run("1+1")
        #expect(await livy.createBodies.first?["heartbeatTimeoutInSecond"] == 120, "a default heartbeat timeout")
        let before = await livy.events.count
        try await livy.waitFor { events in events.dropFirst(before).filter { $0 == .sessionPolled(0) }.count >= 3 }
        await livy.vanish(0)
        try await livy.waitFor { $0.contains(.sessionMissing(0)) }
        while await backend.sessions.current != nil { await Task.yield() }  // the heartbeat's answer is being handled
        let outputs = try await backend.run("1+1")
        #expect(outputs.stream("stderr").contains("The Spark session 0 is no longer on the Livy server"))
        #expect(outputs.all.contains("Spark session 1"))
    }

    @Test func theLastCellIsWarnedBeforeAConfiguredIdleTimeoutDeletesTheSession() async throws {
        let backend = fixture.backend(idleTimeout: .milliseconds(400))
        await backend.sessions.setHeartbeatInterval(.milliseconds(10))
        let last = try await backend.run("1+1")
        try await last.wait { $0.stream("stderr").contains("⚠ The Livy server deletes sessions idle") }
        #expect(last.stream("stderr").components(separatedBy: "⚠").count == 2, "warned once")
    }

    @Test func aSessionsOwnTTLIsWarnedAboutLikeTheServersIdleTimeout() async throws {
        let backend = fixture.backend(settings: SessionSettings(ttl: "400ms"))
        await backend.sessions.setHeartbeatInterval(.milliseconds(10))
        let last = try await backend.run("1+1")
        #expect(await livy.createBodies.first?["ttl"] == "400ms", "sent as set")
        try await last.wait { $0.stream("stderr").contains("⚠ The Livy server deletes sessions idle") }
    }

    @Test func aSettingAnOlderLivyDoesNotKnowIsDroppedAndNamed() async throws {
        await livy.set(unknownSessionFields: ["ttl"])
        let backend = fixture.backend(settings: SessionSettings(driverMemory: "2g", ttl: "30m"))
        let outputs = try await backend.run("1+1")
        let bodies = await livy.createBodies
        #expect(bodies.count == 2 && bodies[0]["ttl"] == "30m" && bodies[1]["ttl"] == nil)
        #expect(bodies[1]["driverMemory"] == "2g", "only the unknown setting is left out")
        #expect(await livy.sessionIDs() == [0], "the refused request created nothing; one session")
        #expect(outputs.all.contains("⚠ This Livy does not know the session setting 'ttl': the session was started without it."))
    }

    @Test func proxyUserIsNeverDroppedSilently() async throws {
        await livy.set(unknownSessionFields: ["proxyUser"])
        let backend = fixture.backend(settings: SessionSettings(proxyUser: "alice"))
        let content = try #require(await backend.failure(of: "1+1"))
        #expect(content.ename == "LivyHTTPError" && content.evalue.contains("Unrecognized field \"proxyUser\""))
        #expect(await livy.createBodies.count == 1)
    }

    @Test func aRestartKeepsTheSessionAndTheNewKernelAttachesToIt() async throws {
        let key = "/run/user/1/jupyter/kernel-\(UUID().uuidString).json"
        let first = fixture.backend(resumeKey: key)
        try await first.run("x = 42")
        await first.shutdown(restart: true)
        #expect(await livy.deleted == [], "a restart keeps the session")

        let second = fixture.backend(resumeKey: key)
        await second.kernelStarted()
        let outputs = try await second.run("1+1")
        #expect(await livy.createBodies.count == 1, "the new kernel attached instead of starting another")
        #expect(outputs.all.contains("Spark session 0"))

        let other = fixture.backend(resumeKey: "/run/user/1/jupyter/kernel-other.json")
        await other.kernelStarted()
        try await other.run("1+1")
        #expect(await livy.createBodies.count == 2, "another notebook never picks the session up")
    }

    @Test func aRestartWithKeepingOffDeletesTheSession() async throws {
        let backend = fixture.backend(keepOnRestart: false, resumeKey: "/tmp/kernel-x.json")
        try await backend.run("1+1")
        await backend.shutdown(restart: true)
        #expect(await livy.deleted == [0])
    }

    @Test func attachTakesOverOwnSessionsAndRefusesOthers() async throws {
        let mine = await livy.addSession(name: "livykernel-alice-0000beef.999.nb-host")
        let busy = await livy.addSession(name: "livykernel-alice-0000cafe.999.nb-host", state: "busy")
        let dead = await livy.addSession(name: "livykernel-alice-0000f00d.999.nb-host", state: "dead")
        let bobs = await livy.addSession(name: "livykernel-bob-0000abcd.999.nb-host")
        let backend = fixture.backend()
        let listed = try await backend.run("%%sessions")
        let table = try #require(listed.displays.first?["text/plain"]?.stringValue)
        #expect(table.contains("session \(mine)") && table.contains("kernel gone") && !table.contains("session \(bobs)"))

        #expect(await backend.failure(of: "%%attach -s \(busy)")?.evalue.contains("busy") == true)
        #expect(await backend.failure(of: "%%attach -s \(dead)")?.evalue.contains("dead") == true)
        #expect(await backend.failure(of: "%%attach -s \(bobs)")?.evalue.contains("not one of alice's") == true)
        #expect(await backend.failure(of: "%%attach -s 99")?.ename == "AttachRefused")

        let attached = try await backend.run("%%attach -s \(mine)")
        #expect(attached.all.contains("Spark session \(mine)"))
        try await backend.run("1+1")
        #expect(await livy.createBodies.isEmpty, "the cell ran in the attached session")
    }

    @Test func aPasswordInTheLivyURLIsNeverShown() async throws {
        #expect(RedactedURL.redact("https://alice:s3cret@livy.example.com:8998/gw?x=1") == "https://alice:****@livy.example.com:8998/gw?x=1")
        #expect(RedactedURL.redact("http://livy:8998") == "http://livy:8998")
        #expect(RedactedURL.redact("http://token@livy:8998") == "http://token@livy:8998")
    }
}

extension Result where Failure == any Error {
    /// The error as the notebook shows it, if the cell failed.
    var cellError: ErrorContent? {
        if case .failure(let error) = self { ErrorContent(describing: error) } else { nil }
    }
}
