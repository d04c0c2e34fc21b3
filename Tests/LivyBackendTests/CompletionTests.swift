import JupyterProtocol
import Testing
import TestSupport
@testable import LivyBackend

/// Completion the kernel answers itself: magic names and `{{ variables }}`.
@Suite struct CompletionTests {
    let fixture = BackendFixture()

    @Test func cellMagicsCompleteAtTheStartOfALine() async {
        let reply = await fixture.backend().complete(code: "%%co", cursorPos: 4)
        #expect(reply.matches == ["%%configure"])
        #expect(reply.cursorStart == 0 && reply.cursorEnd == 4)
    }

    @Test func lineMagicsComplete() async {
        let reply = await fixture.backend().complete(code: "x = 1\n%u", cursorPos: 8)
        #expect(reply.matches == ["%unset"])
        #expect(reply.cursorStart == 6)
    }

    @Test func variablesCompleteInsideBraces() async throws {
        let backend = fixture.backend(environment: ["LIVY_VAR_day": "2024-01-31"])
        try await backend.run("%set dataset=flights")
        let code = "SELECT * FROM {{ d"
        let reply = await backend.complete(code: code, cursorPos: code.unicodeScalars.count)
        #expect(reply.matches == ["dataset", "day"])
        #expect(reply.cursorStart == code.unicodeScalars.count - 1)
    }

    @Test func plainCodeOfAPySparkKernelAsksNobody() async {
        let reply = await fixture.backend().complete(code: "spark.ra", cursorPos: 8)
        #expect(reply.matches.isEmpty)
        #expect(await fixture.livy.events.isEmpty)
    }
}
