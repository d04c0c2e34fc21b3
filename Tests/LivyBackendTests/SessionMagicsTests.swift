import JSONValues
import KernelCore
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend
import JupyterProtocol

/// %%configure, %%info, %%logs, %%cleanup, %%delete against the in-memory Livy.
@Suite struct SessionMagicsTests {
    let fixture = BackendFixture()
    var livy: FakeLivy { fixture.livy }

    @Test func configureBeforeTheFirstCellMergesOverTheConfiguredSettings() async throws {
        let backend = fixture.backend(settings: SessionSettings(jars: ["base.jar"], driverMemory: "1g",
                                                                conf: ["spark.a": "1", "spark.b": "2"]))
        try await backend.run("%%configure\n{\"driverMemory\": \"4g\", \"conf\": {\"spark.b\": 20}}")
        let body = try #require(await livy.createBodies.last)
        #expect(body["driverMemory"] == "4g")
        #expect(body["jars"] == ["base.jar"], "settings %%configure does not name are kept")
        #expect(body["conf"]?["spark.a"] == "1" && body["conf"]?["spark.b"] == "20", "conf is merged key by key")
        #expect(body["conf"]?["spark.ui.port"] == "5100", "the kernel's UI port stays")
    }

    @Test func configureOnALiveSessionNeedsForce() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        let content = try #require(await backend.failure(of: "%%configure\n{\"numExecutors\": 3}"))
        #expect(content.ename == "ConfigureError")
        #expect(content.evalue.contains("add -f"))
        #expect(await livy.deleted == [], "the running session is untouched")

        try await backend.run("%%configure -f\n{\"numExecutors\": 3}")
        #expect(await livy.deleted == [0])
        #expect(await livy.createBodies.count == 2)
        #expect(await livy.createBodies.last?["numExecutors"] == 3)
    }

    @Test func infoShowsTheRequestAsSentWithSecretsMasked() async throws {
        let backend = fixture.backend(settings: SessionSettings(jars: ["a.jar"], pyFiles: ["b.py"],
                                                                conf: ["spark.hadoop.fs.s3a.secret.key": "hunter2"]))
        let before = try await backend.run("%%info")
        let planned = try #require(before.displays.last?["text/plain"]?.stringValue)
        #expect(planned.contains("a.jar") && planned.contains("b.py"))
        #expect(!planned.contains("hunter2") && planned.contains("********"))

        try await backend.run("1+1")
        let after = try await backend.run("%%info")
        let summary = try #require(after.displays.first?["text/plain"]?.stringValue)
        #expect(summary.contains("session") && summary.contains("/spark/alice/5100/"))
        let sent = try JSONParser.parse(Array(try #require(after.displays.last?["text/plain"]?.stringValue).utf8))
        let body = try #require(await livy.createBodies.first)
        var masked = body
        if case .object(var conf)? = body["conf"] {
            conf["spark.hadoop.fs.s3a.secret.key"] = "********"
            masked["conf"] = .object(conf)
        }
        #expect(sent == .object(masked), "%%info prints exactly the body Livy received, secrets masked")
    }

    @Test func logsShowsTheDriverLog() async throws {
        let backend = fixture.backend()
        #expect(try await backend.run("%%logs").stream("stdout").contains("No Spark session yet"))
        try await backend.run("1+1")
        #expect(try await backend.run("%%logs").stream("stdout").contains("java.lang.OutOfMemoryError: driver"))
    }

    @Test func cleanupDeletesOnlyThisKernelsOldSessionsAndAbandonedOnes() async throws {
        let me = BackendFixture.owner
        let dead = await livy.addSession(name: "livykernel-alice-0000beef.999.nb-host")     // kernel gone
        let leftBehind = await livy.addSession(name: "livykernel-alice-0000aaaa.\(me.pid).nb-host") // this kernel's
        let alive = await livy.addSession(name: "livykernel-alice-0000cafe.1000.nb-host")   // another open notebook
        let remote = await livy.addSession(name: "livykernel-alice-0000f00d.999.other-host") // cannot tell
        let legacy = await livy.addSession(name: "livykernel-alice-1a2b3c4d")                // older name format
        let otherUser = await livy.addSession(name: "livykernel-alice-b-0000abcd.999.nb-host")
        let notOurs = await livy.addSession(name: "etl-job")
        let backend = fixture.backend(alivePIDs: [me.pid, 1000])
        try await backend.run("1+1")
        let mine = try #require(await livy.sessionIDs().last)
        try await backend.run("%%configure -f\n{\"numExecutors\": 2}")  // this kernel's first session is deleted
        let outputs = try await backend.run("%%cleanup")
        let remaining = await livy.sessionIDs()
        #expect(!remaining.contains(dead) && !remaining.contains(leftBehind))
        #expect(!remaining.contains(mine))
        for kept in [alive, remote, legacy, otherUser, notOurs] { #expect(remaining.contains(kept)) }
        #expect(remaining.contains(try #require(remaining.last)), "the current session stays")
        #expect(outputs.stream("stdout").contains("Deleted 2 session(s) of alice"))
        #expect(outputs.stream("stdout").contains("Kept 3 session(s) of alice"))
    }

    @Test func deleteRemovesASessionAndKnowsWhenItIsTheNotebooksOwn() async throws {
        let other = await livy.addSession(name: "someone")
        let backend = fixture.backend()
        try await backend.run("1+1")
        #expect(try await backend.run("%%delete -s \(other)").stream("stdout") == "Deleted session \(other).\n")
        let own = try #require(await livy.sessionIDs().first)
        #expect(try await backend.run("%%delete -s \(own)").stream("stdout").contains("this notebook's own"))
        let content = try #require(await backend.failure(of: "%%delete -s 99"))
        #expect(content.ename == "LivySessionNotFound")
        try await backend.run("1+1")
        #expect(await livy.createBodies.count == 2, "the next cell starts a new session")
    }

    @Test func aConfiguredProxyUserCannotBeChangedByConfigure() async throws {
        let fixture = BackendFixture()
        let backend = fixture.backend(settings: SessionSettings(proxyUser: "alice"))
        let content = try #require(await backend.failure(of: "%%configure -f\n{\"proxyUser\": \"bob\", \"driverMemory\": \"2g\"}"))
        #expect(content.ename == "ProxyUserLocked")
        #expect(content.evalue.contains("'alice'"))
        #expect(await fixture.livy.createBodies.isEmpty, "nothing was started as bob")
        try await backend.run("%%configure -f\n{\"proxyUser\": \"alice\", \"driverMemory\": \"2g\"}")
        #expect(await fixture.livy.createBodies.last?["proxyUser"] == "alice")
    }
}
