import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

/// A Livy-shaped server with string ids, as Lighter is: UUIDs for sessions and statements, and
/// `canceled` spelt with one l. The whole cell path works and nothing is left on the server.
@Suite struct StringIDTests {
    let fixture = BackendFixture()
    var livy: FakeLivy { fixture.livy }

    init() async {
        await fixture.livy.actLikeLighter()
    }

    func isUUID(_ id: LivyID) -> Bool { id.number == nil && UUID(uuidString: id.description) != nil }

    @Test func aNotebookRunsOnAUUIDSessionAndShutdownLeavesNothingBehind() async throws {
        await livy.respond(to: "1+1", with: .text("2"))
        await livy.respond(to: "SELECT 1 AS one", with: .table(columns: [("one", "integer")], rows: [[1]]))
        await livy.respond(to: "hang", with: .hang)
        let backend = fixture.backend()

        let first = try await backend.run("1+1")
        let session = try #require(await livy.sessionIDs().first)
        #expect(isUUID(session))
        #expect(first.all.contains("Spark session \(session)"))
        #expect(first.stream("stdout") == "2\n")
        #expect(fixture.leases.read(port: 5100)?.sessionID == session, "the lease names the UUID")

        let sql = try await backend.run("%%sql\nSELECT 1 AS one")
        #expect(sql.displays.contains { $0["text/plain"]?.stringValue?.contains("one") == true })

        let running = Task { try await backend.run("hang") }
        try await livy.waitFor { $0.contains { if case .statementPolled(_, _, "running") = $0 { true } else { false } } }
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        let cancelled = try #require(await livy.cancelled.first)
        #expect(isUUID(cancelled))
        try await backend.run("1+1")

        let info = try await backend.run("%%info")
        #expect(info.all.contains(session.description))

        await backend.shutdown(restart: false)
        #expect(await livy.deleted == [session])
        #expect(await livy.sessionIDs() == [], "nothing is left on the server")
        #expect(await livy.createBodies.count == 1, "one session for the whole notebook")
    }

    @Test func theEagerSessionServesTheFirstCellAndShutdownDeletesIt() async throws {
        let backend = fixture.backend(eager: true)
        await backend.kernelStarted()
        try await livy.waitFor { $0.contains { if case .sessionCreated = $0 { true } else { false } } }
        try await backend.run("1+1")
        #expect(await livy.createBodies.count == 1, "the cell used the eagerly started session, not a second one")
        let session = try #require(await livy.sessionIDs().first)
        await backend.shutdown(restart: false)
        #expect(await livy.deleted == [session])
        #expect(await livy.sessionIDs() == [])
        #expect(fixture.leases.read(port: 5100) == nil)
    }

    @Test func aLostStatementAnswerIsFoundByItsPlaceInTheList() async throws {
        let backend = fixture.backend()
        try await backend.run("x = 1")
        await livy.respond(to: "x = 1", with: .text("again"))
        await livy.loseNextAnswer("POST", pathSuffix: "/statements", handled: true)
        let outputs = try await backend.run("x = 1")
        #expect(outputs.stream("stdout") == "again\n")
        let submitted = await livy.events.compactMap { if case .statementSubmitted(_, let id, _) = $0 { id } else { nil } }
        #expect(submitted.count == 2, "posted once per cell")
        let polled = await livy.events.compactMap { if case .statementPolled(_, let id, _) = $0 { id } else { nil } }
        #expect(polled.last == submitted.last, "the cell followed the new statement, not the earlier one with the same code")
    }

    @Test func anEarlierStatementWithTheSameCodeIsNotMistakenForTheLostOne() async throws {
        let backend = fixture.backend()
        try await backend.run("x = 1")
        await livy.loseNextAnswer("POST", pathSuffix: "/statements", handled: false)
        let content = try #require(await backend.failure(of: "x = 1"))
        #expect(content.ename == "StatementOutcomeUnknown")
        #expect(await livy.submittedCode == ["x = 1"], "not sent again")
    }

    @Test func aStatementCanceledElsewhereEndsTheCell() async throws {
        await livy.respond(to: "hang", with: .hang)
        let backend = fixture.backend()
        let running = Task { try await backend.run("hang") }
        try await livy.waitFor { $0.contains { if case .statementPolled(_, _, "running") = $0 { true } else { false } } }
        await livy.cancelUnfinishedStatements()
        await #expect(throws: StatementCancelled.self) { try await running.value }
    }

    @Test func deleteAttachAndSessionsTakeUUIDs() async throws {
        let other = await livy.addSession(name: "someone")
        let mine = await livy.addSession(name: "livykernel-alice-0000beef.999.nb-host")
        let backend = fixture.backend()
        let listed = try await backend.run("%%sessions")
        #expect(listed.all.contains("session \(mine)"))

        let attached = try await backend.run("%%attach -s \(mine)")
        #expect(attached.all.contains("Spark session \(mine)"))
        try await backend.run("1+1")
        #expect(await livy.createBodies.isEmpty, "the cell ran in the attached session")

        #expect(try await backend.run("%%delete -s \(other)").stream("stdout") == "Deleted session \(other).\n")
        #expect(try await backend.run("%%delete -s \(mine)").stream("stdout").contains("this notebook's own"))
        let missing = try #require(await backend.failure(of: "%%delete -s \(UUID().uuidString.lowercased())"))
        #expect(missing.ename == "LivySessionNotFound")
        #expect(await livy.sessionIDs() == [])
    }

    @Test func cleanupDeletesTheSessionsThisKernelCreated() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        let first = try #require(await livy.sessionIDs().first)
        await livy.kill(first, state: "dead")
        try await backend.run("1+1")  // a new session replaces the dead one
        let outputs = try await backend.run("%%cleanup")
        #expect(outputs.stream("stdout").contains("Deleted 1 session(s) of alice: \(first)"))
        #expect(await livy.sessionIDs().count == 1)
    }
}
