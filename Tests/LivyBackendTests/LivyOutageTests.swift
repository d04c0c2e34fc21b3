import Foundation
import JupyterProtocol
import KernelCore
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend

/// Livy goes quiet, restarts, or loses an interpreter while the notebook works: a submitted
/// statement is followed, never sent again, and never reported as "nothing ran"; an id Livy gave
/// to another client is never used or deleted.
@Suite struct LivyOutageTests {
    let fixture = BackendFixture()
    var livy: FakeLivy { fixture.livy }

    @Test func aRunningStatementIsFollowedThroughAShortOutage() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "slow", with: .text("done"))
        await livy.set(statementPolls: 50)
        let running = Task { try await backend.run("slow") }
        try await livy.waitFor { $0.contains { if case .statementSubmitted(_, _, "slow") = $0 { true } else { false } } }
        await livy.set(isDown: true)
        try await Task.sleep(for: .milliseconds(200))
        await livy.set(isDown: false)
        let outputs = try await running.value
        #expect(outputs.stream("stdout") == "done\n")
        #expect(outputs.stream("stderr").contains("Lost contact with Livy while statement 1 runs"))
        #expect(outputs.stream("stderr").contains("Livy answers again"))
        #expect(await livy.submittedCode == ["1+1", "slow"], "sent once")
    }

    @Test func aLongOutageEndsTheCellWithoutClaimingNothingRan() async throws {
        let backend = fixture.backend(followWindow: .milliseconds(300))
        try await backend.run("1+1")
        await livy.respond(to: "slow", with: .hang)
        let running = Task { try await backend.run("slow") }
        try await livy.waitFor { $0.contains { if case .statementSubmitted(_, _, "slow") = $0 { true } else { false } } }
        await livy.set(isDown: true)
        let content = try #require(await running.result.cellError)
        #expect(content.ename == "LivyUnreachable")
        #expect(content.evalue.contains("while statement 1 ran in session 0"))
        let shown = content.traceback.joined(separator: "\n")
        #expect(shown.contains("Statement 1 was sent once") && !shown.contains("Nothing was lost"))
        #expect(await backend.sessions.contactInDoubt, "the next cell must ask Livy about the session first")

        await livy.set(isDown: false)
        await livy.respond(to: "after", with: .text("ok"))
        let before = await livy.events.count
        let outputs = try await backend.run("after")
        #expect(outputs.stream("stdout") == "ok\n")
        let asked = await livy.events.dropFirst(before).filter { if case .received = $0 { false } else { true } }
        #expect(asked.first == .sessionPolled(0), "the session was confirmed before the statement was sent")
    }

    @Test func aLivyRestartUnderARunningStatementIsNamedAsSuch() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "slow", with: .hang)
        let running = Task { try await backend.run("slow") }
        try await livy.waitFor { $0.contains { if case .statementSubmitted(_, _, "slow") = $0 { true } else { false } } }
        await livy.set(isDown: true)
        try await Task.sleep(for: .milliseconds(100))
        await livy.restart()
        _ = await livy.addSession(name: "someone-else")  // id 0 again, without statement 1
        await livy.set(isDown: false)
        let content = try #require(await running.result.cellError)
        #expect(content.ename == "SparkSessionLost")
        #expect(content.evalue.contains("no longer knew session 0: the Livy server restarted"))
        #expect(await backend.sessions.current == nil, "the next cell starts a session of its own")
    }

    @Test func afterALivyRestartTheNextCellNeverRunsInAnotherClientsSession() async throws {
        let backend = fixture.backend()
        await backend.sessions.setHeartbeatInterval(.milliseconds(10))
        try await backend.run("x = 1")
        // Livy goes down (a heartbeat fails), restarts without recovery, and another client's
        // new session takes id 0 before the kernel's next heartbeat.
        await livy.set(isDown: true)
        while await !backend.sessions.contactInDoubt { try await Task.sleep(for: .milliseconds(5)) }
        await backend.sessions.setHeartbeatInterval(.seconds(60))
        await livy.restart()
        let other = await livy.addSession(name: "someone-else")
        #expect(other == 0)
        await livy.set(isDown: false)

        let outputs = try await backend.run("print(1)")
        #expect(outputs.stream("stderr").contains("The Spark session 0 is no longer on the Livy server"))
        #expect(await backend.sessions.current?.id == 1, "a new session of its own")
        let intoOther = await livy.events.contains { $0 == .statementSubmitted(session: 0, statement: 0, code: "print(1)") }
        #expect(!intoOther)
        await backend.shutdown(restart: false)
        #expect(await livy.sessionIDs() == [0], "the other client's session survives, the kernel's own is deleted")
    }

    @Test func aSessionNotConfirmedLatelyIsAskedAboutBeforeItIsUsedOrDeleted() async throws {
        let backend = fixture.backend()
        try await backend.run("x = 1")
        await backend.sessions.setConfirmAfter(.zero)
        // A quick restart between two heartbeats: nothing failed, but the id is someone else's.
        await livy.restart()
        _ = await livy.addSession(name: "someone-else")
        try await backend.run("print(1)")
        #expect(await backend.sessions.current?.id == 1)
        await livy.restart()
        _ = await livy.addSession(name: "someone-else-again")
        _ = await livy.addSession(name: "a-third")
        await backend.shutdown(restart: false)
        #expect(await livy.deleted == [], "session 1 is now another client's: not deleted")
    }

    @Test func aDeadInterpreterEndsTheSessionAndTheNextCellStartsAFreshOne() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await livy.respond(to: "boom", with: .interpreterDies)
        let content = try #require(await backend.failure(of: "boom"))
        #expect(content.ename == "SparkSessionLost")
        #expect(content.evalue == "Livy session 0 ended in state 'error' while this cell ran: Interpreter died: Killed")
        #expect(content.traceback.contains { $0.contains("The next cell starts a new Spark session") })
        #expect(await livy.deleted == [0], "a session in 'error' is of no more use: the kernel deletes its own")
        let outputs = try await backend.run("1+1")
        #expect(outputs.all.contains("Spark session 1"))
    }
}
