import Testing
@testable import Magics

@Suite struct CellParserTests {
    @Test(arguments: [
        ("spark.range(3).show()", ParsedCell(body: "spark.range(3).show()", bodyLine: 1)),
        ("", ParsedCell(body: "", bodyLine: 2)),
        ("%%sql\nSELECT 1", ParsedCell(cellMagic: .sql(SQLOptions()), body: "SELECT 1", bodyLine: 2)),
        ("\n%%sql -n 10 -q\nSELECT 1", ParsedCell(cellMagic: .sql(SQLOptions(maxRows: 10, quiet: true)), body: "SELECT 1", bodyLine: 3)),
        ("%%sql --maxrows 5 -o top\nSELECT 1", ParsedCell(cellMagic: .sql(SQLOptions(maxRows: 5, output: "top")), body: "SELECT 1", bodyLine: 2)),
        ("%%sql --chart bar --x day --y total\nSELECT 1",
         ParsedCell(cellMagic: .sql(SQLOptions(chart: .init(kind: .bar, x: "day", y: "total"))), body: "SELECT 1", bodyLine: 2)),
        ("%%pyspark\nx = 1", ParsedCell(cellMagic: .pyspark, body: "x = 1", bodyLine: 2)),
        ("%%python\nx = 1", ParsedCell(cellMagic: .pyspark, body: "x = 1", bodyLine: 2)),
        ("%%scala\nval x = 1", ParsedCell(cellMagic: .scala, body: "val x = 1", bodyLine: 2)),
        ("%%spark\nval x = 1", ParsedCell(cellMagic: .scala, body: "val x = 1", bodyLine: 2)),
        ("%%configure -f\n{\"driverMemory\": \"2g\"}", ParsedCell(cellMagic: .configure(force: true), body: "{\"driverMemory\": \"2g\"}", bodyLine: 2)),
        ("%%configure\n{}", ParsedCell(cellMagic: .configure(force: false), body: "{}", bodyLine: 2)),
        ("%%info", ParsedCell(cellMagic: .info, body: "", bodyLine: 2)),
        ("%%logs", ParsedCell(cellMagic: .logs, body: "", bodyLine: 2)),
        ("%%cleanup", ParsedCell(cellMagic: .cleanup, body: "", bodyLine: 2)),
        ("%%help", ParsedCell(cellMagic: .help, body: "", bodyLine: 2)),
        ("%%delete -s 12", ParsedCell(cellMagic: .delete(sessionID: "12"), body: "", bodyLine: 2)),
        ("%%delete --session 3", ParsedCell(cellMagic: .delete(sessionID: "3"), body: "", bodyLine: 2)),
        ("%%delete -f -s 3", ParsedCell(cellMagic: .delete(sessionID: "3"), body: "", bodyLine: 2)),
        ("%%delete -s 0f8fad5b-d9cb-469f-a165-70867728950e",
         ParsedCell(cellMagic: .delete(sessionID: "0f8fad5b-d9cb-469f-a165-70867728950e"), body: "", bodyLine: 2)),
        ("%%attach -s 0f8fad5b-d9cb-469f-a165-70867728950e",
         ParsedCell(cellMagic: .attach(sessionID: "0f8fad5b-d9cb-469f-a165-70867728950e"), body: "", bodyLine: 2)),
        ("%%cleanup -f", ParsedCell(cellMagic: .cleanup, body: "", bodyLine: 2)),
        ("%set day=2024-01-31", ParsedCell(lineMagics: [.set(name: "day", value: "2024-01-31")], body: "", bodyLine: 2)),
        ("%set title=\"two words\"\n%set empty=", ParsedCell(lineMagics: [.set(name: "title", value: "two words"), .set(name: "empty", value: "")], body: "", bodyLine: 3)),
        ("%set q='a=b'", ParsedCell(lineMagics: [.set(name: "q", value: "a=b")], body: "", bodyLine: 2)),
        ("%set n = 5", ParsedCell(lineMagics: [.set(name: "n", value: " 5")], body: "", bodyLine: 2)),
        ("%unset day\n%vars", ParsedCell(lineMagics: [.unset(name: "day"), .vars], body: "", bodyLine: 3)),
        ("%set d=1\n\n%%sql\nSELECT {{d}}", ParsedCell(lineMagics: [.set(name: "d", value: "1")], cellMagic: .sql(SQLOptions()), body: "SELECT {{d}}", bodyLine: 4)),
        ("%set d=1\nprint(1)", ParsedCell(lineMagics: [.set(name: "d", value: "1")], body: "print(1)", bodyLine: 2)),
        ("%table rows", ParsedCell(body: "%table rows", bodyLine: 1)),
        ("%json x\n", ParsedCell(body: "%json x\n", bodyLine: 1)),
        ("x = 1\n%%sql\nSELECT 1", ParsedCell(body: "x = 1\n%%sql\nSELECT 1", bodyLine: 1)),
        ("  %%sql\nSELECT 1", ParsedCell(cellMagic: .sql(SQLOptions()), body: "SELECT 1", bodyLine: 2)),
        ("%%sql\n", ParsedCell(cellMagic: .sql(SQLOptions()), body: "", bodyLine: 2)),
        ("print('%%sql')", ParsedCell(body: "print('%%sql')", bodyLine: 1)),
    ])
    func parses(cell: String, expected: ParsedCell) throws {
        #expect(try CellParser.parse(cell) == expected)
    }

    @Test(arguments: [
        ("%%sqll\nSELECT 1", MagicError.unknownCellMagic(name: "sqll")),
        ("%setx a=1", .unknownLineMagic(name: "setx")),
        ("%%sql -n\nSELECT 1", .missingValue(magic: "sql", option: "-n")),
        ("%%sql -n ten\nSELECT 1", .invalidValue(magic: "sql", option: "-n", value: "ten", expected: "a positive number of rows")),
        ("%%sql -n 0\nSELECT 1", .invalidValue(magic: "sql", option: "-n", value: "0", expected: "a positive number of rows")),
        ("%%sql --rows 5", .unknownOption(magic: "sql", option: "--rows")),
        ("%%sql -o 1bad", .invalidVariableName("1bad")),
        ("%%sql --chart pie --x a --y b", .invalidValue(magic: "sql", option: "--chart", value: "pie", expected: "bar, line, point, area")),
        ("%%sql --chart bar --x a", .missingValue(magic: "sql", option: "--y")),
        ("%%sql --x a", .missingValue(magic: "sql", option: "--chart")),
        ("%%sql -o 'unterminated", .unterminatedQuote(quote: "'")),
        ("%%configure -x", .unknownOption(magic: "configure", option: "-x")),
        ("%%delete", .missingValue(magic: "delete", option: "-s")),
        ("%%delete -s -1", .invalidValue(magic: "delete", option: "-s", value: "-1", expected: "a session id (as %%sessions lists it)")),
        ("%%info now", .unexpectedArgument(magic: "%info", argument: "now")),
        ("%set novalue", .invalidAssignment("novalue")),
        ("%set 9x=1", .invalidVariableName("9x")),
        ("%set a-b=1", .invalidVariableName("a-b")),
        ("%unset", .invalidAssignment("%unset takes one NAME")),
        ("%vars all", .unexpectedArgument(magic: "vars", argument: "all")),
    ])
    func rejects(cell: String, error: MagicError) {
        #expect(throws: error) { try CellParser.parse(cell) }
    }

    @Test func unknownMagicsListTheKnownOnes() {
        let text = MagicError.unknownCellMagic(name: "sqll").description
        #expect(text.contains("%%sql") && text.contains("%%configure") && text.contains("%%help"))
        #expect(MagicError.unknownLineMagic(name: "x").description.contains("%set"))
    }

    @Test(arguments: [
        ("a b  c", ["a", "b", "c"]),
        ("'a b' c", ["a b", "c"]),
        ("\"a \\\"b\\\"\" c", ["a \"b\"", "c"]),
        ("a\\ b", ["a b"]),
        ("''", [""]),
        ("x='1 2'", ["x=1 2"]),
        ("\"back\\\\slash\"", ["back\\slash"]),
        ("\"keep \\n\"", ["keep \\n"]),
        // Found by Fuzz/Sources/cell: a quote or space followed by a combining mark is one
        // Character, so the tokenizer, reading Characters, did not see the quote or the space.
        ("'\u{613}'", ["\u{613}"]),
        ("a \u{301}b", ["a", "\u{301}b"]),
        ("\"\u{301}\" x", ["\u{301}", "x"]),
    ])
    func tokenizesLikeAShell(text: String, words: [String]) throws {
        #expect(try ArgumentTokenizer.split(text[...]) == words)
    }
}
