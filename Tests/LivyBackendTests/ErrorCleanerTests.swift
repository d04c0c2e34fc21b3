import Testing
@testable import LivyBackend

@Suite struct ErrorCleanerTests {
    let cleaner = ErrorCleaner()

    @Test func pythonTracebackKeepsFramesAndEndsWithTheSummary() {
        let cleaned = cleaner.clean(
            ename: "AnalysisException",
            evalue: "[TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.\nSQLSTATE: 42P01; line 1 pos 14;\n'Project [*]\n",
            traceback: ["Traceback (most recent call last):\n", "  File \"<stdin>\", line 1, in <module>\n",
                        "pyspark.errors.exceptions.captured.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.\n",
                        "SQLSTATE: 42P01; line 1 pos 14;\n", "'Project [*]\n"])
        #expect(cleaned.evalue == "[TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.")
        #expect(cleaned.traceback == ["Traceback (most recent call last):", "  File \"<stdin>\", line 1, in <module>",
                                      "SQLSTATE: 42P01; line 1 pos 14;", "'Project [*]"])
    }

    @Test func syntaxErrorTracebackIsKept() {
        let cleaned = cleaner.clean(ename: "SyntaxError", evalue: "invalid syntax (<stdin>, line 1)",
                                    traceback: ["  File \"<stdin>\", line 1\n", "    def f(:\n", "          ^\n",
                                                "SyntaxError: invalid syntax (<stdin>, line 1)\n"])
        #expect(cleaned.traceback == ["  File \"<stdin>\", line 1", "    def f(:", "          ^"])
    }

    @Test func jvmFramesAreFolded() {
        let frames = (1...40).map { "\tat org.apache.spark.Foo.bar\($0)(Foo.scala:\($0))" }
        let cleaned = cleaner.clean(ename: "Error", evalue: "org.apache.spark.SparkException: Job aborted", traceback: frames)
        #expect(cleaned.traceback.count == 4)
        #expect(cleaned.traceback.last == "\t… 37 more JVM frames")
    }

    @Test func longTracebacksKeepHeadAndTail() {
        let lines = (1...100).map { "line \($0)" }
        let cleaned = cleaner.clean(ename: "E", evalue: "v", traceback: lines)
        #expect(cleaned.traceback.count == 31)
        #expect(cleaned.traceback.first == "line 1")
        #expect(cleaned.traceback.last == "line 100")
        #expect(cleaned.traceback.contains { $0.contains("70 more lines") })
    }

    @Test func hugeEvalueLinesAreClipped() {
        let cleaned = cleaner.clean(ename: "E", evalue: String(repeating: "x", count: 2000), traceback: [])
        #expect(cleaned.evalue.count == 500)
    }
}

@Suite struct SQLErrorNameTests {
    @Test func namesComeFromTheMessageOrTheFrames() {
        #expect(SQLCellRunner.exceptionName(ename: "AnalysisException", evalue: "x", traceback: []) == "AnalysisException")
        #expect(SQLCellRunner.exceptionName(ename: "Error", evalue: "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.",
                                            traceback: ["org.apache.spark.sql.catalyst.parser.ParseException.withCommand(parsers.scala:267)"])
                == "ParseException")
        #expect(SQLCellRunner.exceptionName(ename: "Error", evalue: "[TABLE_OR_VIEW_NOT_FOUND] The table `v` cannot be found.",
                                            traceback: ["org.apache.spark.sql.errors.QueryCompilationErrors$.tableOrViewNotFound(QueryCompilationErrors.scala:1100)"])
                == "AnalysisException")
        #expect(SQLCellRunner.exceptionName(ename: "Error", evalue: "org.apache.spark.SparkException: boom", traceback: []) == "SparkException")
        #expect(SQLCellRunner.exceptionName(ename: "Error", evalue: "weird", traceback: []) == "SparkSQLError")
    }

    @Test func livysBareFramesAreFoldedToo() {
        let frames = (1...10).map { "org.apache.spark.sql.Foo.bar\($0)(Foo.scala:\($0))" }
        let cleaned = ErrorCleaner().clean(ename: "Error", evalue: "boom", traceback: frames)
        #expect(cleaned.traceback.count == 4)
    }
}
