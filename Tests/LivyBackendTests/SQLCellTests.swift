import JSONValues
import KernelCore
import LivyClient
import Testing
import TestSupport
@testable import LivyBackend
import JupyterProtocol

/// SQL cells end to end in-process: statements as Livy `sql` statements, tables, failures.
@Suite struct SQLCellTests {
    let fixture = BackendFixture()
    var livy: FakeLivy { fixture.livy }

    static let people: FakeLivy.Result = .table(columns: [("name", "string"), ("age", "integer")],
                                                 rows: [["ann", 31], ["bob", .null], ["cy", 7]])

    /// The text/plain of every table shown.
    func tables(_ outputs: OutputRecorder) -> [String] {
        outputs.displays.filter { $0["text/html"]?.stringValue?.contains("<table") == true }.compactMap { $0["text/plain"]?.stringValue }
    }

    @Test func everyStatementRunsInOrderAndEachResultIsShown() async throws {
        await livy.respond(to: "SELECT * FROM people", with: Self.people)
        await livy.respond(to: "SELECT 2 AS two", with: .table(columns: [("two", "integer")], rows: [[2]]))
        let outputs = try await fixture.backend(kind: .sql).run("USE db;\nSELECT * FROM people;\nSELECT 2 AS two")
        #expect(await livy.submittedCode == ["USE db", "SELECT * FROM people", "SELECT 2 AS two"])
        #expect(outputs.stream("stdout").contains("✓ line 1: USE db"))
        let shown = tables(outputs)
        #expect(shown.count == 2)
        #expect(shown[0].contains("Statement 2 of 3 · line 2: SELECT * FROM people"))
        #expect(shown[0].contains("ann") && shown[0].contains("NULL"))
        #expect(shown[1].contains("Statement 3 of 3"))
    }

    @Test func theFailingStatementIsNamedWithItsLineAndEarlierResultsStay() async throws {
        await livy.respond(to: "SELECT * FROM people", with: Self.people)
        await livy.respond(to: "SELECT nope FROM people", with: .error(
            ename: "Error", evalue: "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column with name `nope` cannot be resolved.",
            traceback: ["org.apache.spark.sql.errors.QueryCompilationErrors$.unresolvedColumnError(QueryCompilationErrors.scala:1)"]))
        let backend = fixture.backend(kind: .sql)
        let outputs = OutputRecorder()
        do {
            try await backend.execute(CellExecution(code: "SELECT * FROM people;\n\nSELECT nope FROM people;\nSELECT 3",
                                                    executionCount: 1), output: outputs.publisher)
            Issue.record("the cell must fail")
        } catch {
            let content = ErrorContent(describing: error)
            #expect(content.ename == "AnalysisException", "the exception name is recovered from Livy's 'Error'")
            #expect(content.evalue.hasPrefix("statement 2 of 3 (line 3) failed: [UNRESOLVED_COLUMN"))
            #expect(content.traceback.contains("Statement 2 of 3, line 3: SELECT nope FROM people"))
            #expect(content.traceback.contains("Statements 1–1 ran; the rest of the cell was not run."))
        }
        #expect(tables(outputs).count == 1, "the first result stays shown")
        #expect(await livy.submittedCode == ["SELECT * FROM people", "SELECT nope FROM people"], "statement 3 never ran")
    }

    @Test(arguments: [
        ("Error", "org.apache.spark.sql.catalyst.parser.ParseException: \n[PARSE_SYNTAX_ERROR] Syntax error", [String](), "ParseException"),
        ("Error", "Table or view not found: t", ["\tat org.apache.spark.sql.catalyst.analysis.CheckAnalysis.failAnalysis(CheckAnalysis.scala:1)"], "AnalysisException"),
        ("Error", "something odd", [String](), "SparkSQLError"),
        ("Py4JJavaError", "boom", [String](), "Py4JJavaError"),
    ])
    func exceptionNamesAreRecovered(ename: String, evalue: String, traceback: [String], expected: String) {
        #expect(SQLCellRunner.exceptionName(ename: ename, evalue: evalue, traceback: traceback) == expected)
    }

    @Test func maxRowsCutsTheTableAndSaysSo() async throws {
        let rows: [[JSONValue]] = (0..<50).map { [.int($0)] }
        await livy.respond(to: "SELECT id FROM range(50)", with: .table(columns: [("id", "bigint")], rows: rows))
        let outputs = try await fixture.backend().run("%%sql -n 10\nSELECT id FROM range(50)")
        let table = try #require(tables(outputs).first)
        #expect(table.contains("showing the first 10 of 50 rows"))
        #expect(!table.contains("49"))
    }

    @Test func quietShowsNothingButRuns() async throws {
        await livy.respond(to: "SELECT * FROM people", with: Self.people)
        let outputs = try await fixture.backend().run("%%sql -q\nSELECT * FROM people")
        #expect(tables(outputs) == [])
        #expect(await livy.submittedCode.last == "SELECT * FROM people")
    }

    @Test func outputBindsTheLastResultAsADataFrameAndView() async throws {
        await livy.respond(to: "SELECT * FROM people", with: Self.people)
        let outputs = try await fixture.backend(kind: .sql).run("%%sql -o adults\nSELECT * FROM people")
        let bind = try #require(await livy.submittedCode.last)
        #expect(bind == "adults = spark.sql(\"SELECT * FROM people\")\nadults.createOrReplaceTempView(\"adults\")")
        #expect(outputs.stream("stdout").contains("→ DataFrame and temporary view adults"))
        #expect(await livy.createBodies.count == 1, "the -o statement runs in the same session")
    }

    @Test func outputWithoutRowsIsAnError() async throws {
        let content = try #require(await fixture.backend().failure(of: "%%sql -o x\nUSE db"))
        #expect(content.ename == "SQLOutputError")
    }

    @Test func chartIsAVegaLiteSpecOfTheLastResult() async throws {
        await livy.respond(to: "SELECT * FROM people", with: Self.people)
        let outputs = try await fixture.backend().run("%%sql --chart bar --x name --y age\nSELECT * FROM people")
        let spec = try #require(outputs.displays.compactMap { $0["application/vnd.vegalite.v5+json"] }.first)
        #expect(spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json")
        #expect(spec["mark"]?["type"] == "bar")
        #expect(spec["encoding"]?["x"] == ["field": "name", "type": "nominal"])
        #expect(spec["encoding"]?["y"] == ["field": "age", "type": "quantitative"])
        #expect(spec["data"]?["values"] == [["name": "ann", "age": 31], ["name": "bob", "age": nil], ["name": "cy", "age": 7]])
    }

    @Test func aChartOfAMissingColumnNamesTheColumns() async throws {
        await livy.respond(to: "SELECT * FROM people", with: Self.people)
        let content = try #require(await fixture.backend().failure(of: "%%sql --chart line --x name --y height\nSELECT * FROM people"))
        #expect(content.ename == "ChartError")
        #expect(content.evalue == "the result has no column 'height'; columns: name, age")
    }

    @Test func variablesAreQuotedSafelyInSQL() async throws {
        let backend = fixture.backend(kind: .sql)
        try await backend.run("%set who=\"O'Brien\"\nSELECT * FROM people WHERE name = {{ who.sql }}")
        #expect(await livy.submittedCode == ["SELECT * FROM people WHERE name = 'O\\'Brien'"])
    }
}
