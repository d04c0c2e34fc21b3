import Testing
@testable import Magics

@Suite struct CodeCompletenessTests {
    @Test(arguments: [
        ("x = 1", CodeCompleteness.complete),
        ("print('a # not a comment')", .complete),
        ("d = {'a': [1, (2, 3)]}", .complete),
        ("x = 1  # note (", .complete),
        ("def f(x):\n    return x\n\n", .complete),
        ("s = '''line\nline'''", .complete),
        ("", .complete),
        ("def f(x):", .incomplete(indent: "    ")),
        ("for i in range(3):\n    print(i)", .incomplete(indent: "    ")),
        ("x = [1,\n", .incomplete(indent: "")),
        ("total = 1 + \\", .incomplete(indent: "")),
        ("s = '''open", .incomplete(indent: "")),
        ("x = (1]", .invalid),
        ("x = 1)", .invalid),
        ("print('unterminated\nx')", .invalid),
    ])
    func python(code: String, expected: CodeCompleteness) {
        #expect(CodeCompleteness.check(code, dialect: .python) == expected)
    }

    @Test(arguments: [
        ("SELECT 1", CodeCompleteness.complete),
        ("SELECT 'a;b' AS s; SELECT 2", .complete),
        ("SELECT 'it''s' -- trailing ( comment", .complete),
        ("SELECT /* a /* nested */ comment */ 1", .complete),
        ("SELECT `weird)name` FROM t", .complete),
        ("SELECT 'multi\nline'", .complete),
        ("SELECT 'open", .incomplete(indent: "")),
        ("SELECT /* open", .incomplete(indent: "")),
        ("SELECT /* a /* nested */ still open", .incomplete(indent: "")),
        ("SELECT (1", .incomplete(indent: "")),
        ("SELECT 1)", .invalid),
    ])
    func sql(code: String, expected: CodeCompleteness) {
        #expect(CodeCompleteness.check(code, dialect: .sql) == expected)
    }

    @Test(arguments: [
        ("val x = 1", CodeCompleteness.complete),
        ("val s = \"\"\"a\nb\"\"\"", .complete),
        ("def f(x: Int) = {", .incomplete(indent: "")),
        ("// comment (\nval y = 2", .complete),
        ("val y = \"open", .invalid),
        ("spark.range(10)\n  .filter(\"id > 2\"", .incomplete(indent: "")),
        ("case class P(name: String,\n  age: Int)", .complete),
        ("val q = \"\"\"SELECT *\nFROM t", .incomplete(indent: "")),
        ("val q = s\"${x + 1}\" + \"}\"", .complete),
        ("val c = '{'; val nl = '\\n'; val u = '\\u0041'", .complete),
        ("val sym = 'name\nval z = (1", .incomplete(indent: "")),
        ("Seq(1, 2).map { x =>\n  x * 2", .incomplete(indent: "")),
        ("Seq(1, 2).map { x => x * 2 })", .invalid),
        ("/* open\ncomment", .incomplete(indent: "")),
    ])
    func scala(code: String, expected: CodeCompleteness) {
        #expect(CodeCompleteness.check(code, dialect: .scala) == expected)
    }

    @Test func cellMagicsSwitchTheDialect() {
        #expect(CodeCompleteness.check("%%sql\nSELECT 'it''s", dialect: .python) == .incomplete(indent: ""))
        #expect(CodeCompleteness.check("%%sql\nSELECT 1 -- done:", dialect: .python) == .complete)
        #expect(CodeCompleteness.check("%%configure -f\n{\"driverMemory\": ", dialect: .python) == .complete)
        #expect(CodeCompleteness.check("%info", dialect: .sql) == .complete)
        #expect(CodeCompleteness.check("%%sql", dialect: .python) == .incomplete(indent: ""))
        #expect(CodeCompleteness.check("%%configure -f\n", dialect: .python) == .incomplete(indent: ""))
        #expect(CodeCompleteness.check("%%info", dialect: .python) == .complete)
    }
}
