import JupyterProtocol
import LivyClient
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

    @Test func noSessionNoRequest() async {
        let reply = await fixture.backend().complete(code: "spark.ra", cursorPos: 8)
        #expect(reply.matches.isEmpty)
        #expect(await fixture.livy.events.isEmpty, "a keystroke never starts a session")
    }

    @Test func scalaCellsAskLivysScalaCompleterWithAUTF16Cursor() async throws {
        let backend = fixture.backend(kind: .scala)
        try await backend.run("val s = \"é\"")
        await fixture.livy.set(completionCandidates: ["length", "lines"])
        let code = "val t = \"é\"; s.l"
        let cursor = code.unicodeScalars.count
        let reply = await backend.complete(code: code, cursorPos: cursor)
        #expect(reply.matches == ["length", "lines"])
        #expect(reply.cursorStart == cursor - 1 && reply.cursorEnd == cursor)
        #expect(await fixture.livy.events.contains(.completionAsked(session: 0, kind: "spark", code: code, cursor: code.utf16.count)))
    }

    @Test func pysparkCellsAskThePythonCompleterAndReplaceTheDottedName() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        await fixture.livy.set(completionCandidates: ["spark.range(", "spark.read", "spark.range("])
        let reply = await backend.complete(code: "df = spark.r", cursorPos: 12)
        #expect(reply.matches == ["spark.range(", "spark.read"], "duplicates dropped")
        #expect(reply.cursorStart == 5, "the candidates carry the dotted prefix, so it is replaced")
    }

    @Test func aScalaCellMagicInAPySparkNotebookCompletesItsBodyInScala() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        let code = "%%scala\nspark.ran"
        let reply = await backend.complete(code: code, cursorPos: code.count)
        #expect(reply.cursorStart == code.count - 3)
        #expect(await fixture.livy.events.contains(.completionAsked(session: 0, kind: "spark", code: "spark.ran", cursor: 9)))
        _ = reply
    }

    @Test func sqlCellsAndMagicLinesAskNobody() async throws {
        let backend = fixture.backend()
        try await backend.run("1+1")
        let before = await fixture.livy.events.count
        _ = await backend.complete(code: "%%sql\nSELECT * FROM fl", cursorPos: 20)
        _ = await backend.complete(code: "%%scala -x\nfoo", cursorPos: 5)
        #expect(await fixture.livy.events.count == before)
    }

    @Test func aServerWithoutCompletionIsAskedOnceAndNothingShows() async throws {
        let backend = fixture.backend(kind: .scala)
        try await backend.run("1")
        await fixture.livy.set(completionCandidates: nil)
        let first = await backend.complete(code: "spark.ra", cursorPos: 8)
        let second = await backend.complete(code: "spark.ra", cursorPos: 8)
        #expect(first.matches.isEmpty && second.matches.isEmpty)
        let asked = await fixture.livy.events.filter { if case .completionAsked = $0 { true } else { false } }
        #expect(asked.count == 1)
    }
}

/// Pure: which interpreter completes, and what it is sent.
@Suite struct RemoteCompletionTests {
    func request(_ code: String, _ kernel: KernelKind, at cursor: Int? = nil) -> RemoteCompletion.Request? {
        let scalars = Array(code.unicodeScalars)
        return RemoteCompletion.request(scalars: scalars, cursor: cursor ?? scalars.count, kernel: kernel)
    }

    @Test func theKernelsLanguageUnlessACellMagicSwitchesIt() {
        #expect(request("spark.ra", .pyspark) == .init(livyKind: "pyspark", code: "spark.ra", cursor: 8))
        #expect(request("spark.ra", .scala) == .init(livyKind: "spark", code: "spark.ra", cursor: 8))
        #expect(request("SELECT", .sql) == nil)
        #expect(request("%%pyspark\nsc.pa", .sql) == .init(livyKind: "pyspark", code: "sc.pa", cursor: 5))
        #expect(request("%%scala\nsc.pa", .sql) == .init(livyKind: "spark", code: "sc.pa", cursor: 5))
        #expect(request("%%sql\nSELECT", .pyspark) == nil)
        #expect(request("%%scala\nsc.pa", .pyspark, at: 4) == nil, "the magic line is the kernel's")
    }

    @Test func cursorsCountTheInterpretersUnits() {
        // 😀 is one code point, two UTF-16 units.
        #expect(request("\"😀\".l", .scala)?.cursor == 6)
        #expect(request("\"😀\".l", .pyspark)?.cursor == 5)
    }
}
