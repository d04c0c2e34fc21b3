import Testing
@testable import Magics

@Suite struct SQLSplitterTests {
    func texts(_ sql: String) throws -> [String] { try SQLSplitter.split(sql).map(\.text) }

    @Test(arguments: [
        ("SELECT 1", ["SELECT 1"]),
        ("SELECT 1;", ["SELECT 1"]),
        ("SELECT 1; SELECT 2", ["SELECT 1", "SELECT 2"]),
        ("SELECT 1;;; SELECT 2;", ["SELECT 1", "SELECT 2"]),
        ("", []),
        ("   \n  ", []),
        (";", []),
        ("SELECT 'a;b'", ["SELECT 'a;b'"]),
        ("SELECT \"a;b\"", ["SELECT \"a;b\""]),
        ("SELECT 'it\\'s; fine'; SELECT 2", ["SELECT 'it\\'s; fine'", "SELECT 2"]),
        ("SELECT \"say \\\"hi;\\\"\"; SELECT 2", ["SELECT \"say \\\"hi;\\\"\"", "SELECT 2"]),
        ("SELECT 'a\\\\'; SELECT 2", ["SELECT 'a\\\\'", "SELECT 2"]),
        ("SELECT `weird;col` FROM t", ["SELECT `weird;col` FROM t"]),
        ("SELECT `a``;b` FROM t; SELECT 2", ["SELECT `a``;b` FROM t", "SELECT 2"]),
        ("SELECT 1 -- no; split here\n; SELECT 2", ["SELECT 1 -- no; split here", "SELECT 2"]),
        ("-- only a comment;", []),
        ("-- header\nSELECT 1", ["-- header\nSELECT 1"]),
        ("SELECT /* ; */ 1", ["SELECT /* ; */ 1"]),
        ("SELECT /* outer /* inner; */ still; */ 1; SELECT 2", ["SELECT /* outer /* inner; */ still; */ 1", "SELECT 2"]),
        ("/* just a comment */;SELECT 1", ["SELECT 1"]),
        ("SELECT '--not a comment;'; SELECT 2", ["SELECT '--not a comment;'", "SELECT 2"]),
        ("SELECT '/*'; SELECT '*/'", ["SELECT '/*'", "SELECT '*/'"]),
        ("SELECT 1 - -1; SELECT 2", ["SELECT 1 - -1", "SELECT 2"]),
        ("SELECT 4/2; SELECT 3*2", ["SELECT 4/2", "SELECT 3*2"]),
        ("SELECT \"it's\"; SELECT 'say \"x\"'", ["SELECT \"it's\"", "SELECT 'say \"x\"'"]),
        ("SET spark.sql.shuffle.partitions=4;\nUSE default;\nSELECT 1", ["SET spark.sql.shuffle.partitions=4", "USE default", "SELECT 1"]),
        ("SELECT 'multi\nline;'; SELECT 2", ["SELECT 'multi\nline;'", "SELECT 2"]),
        ("SELECT '✓;é'; SELECT '😀'", ["SELECT '✓;é'", "SELECT '😀'"]),
        ("select\n  a,\n  b\nfrom t\n;\n", ["select\n  a,\n  b\nfrom t"]),
        ("SELECT 1 /* trailing */", ["SELECT 1 /* trailing */"]),
        ("SELECT 1; -- done", ["SELECT 1"]),
        ("SELECT 1; /* done */ ; ", ["SELECT 1"]),
    ])
    func splits(sql: String, expected: [String]) throws {
        #expect(try texts(sql) == expected)
    }

    @Test func statementsKnowTheirStartingLine() throws {
        let sql = "SET a=1;\n\n-- make the view\nCREATE TEMPORARY VIEW v AS\n  SELECT 1 AS x;\nSELECT * FROM v; SELECT 2"
        let statements = try SQLSplitter.split(sql, firstLine: 2)
        #expect(statements.map(\.line) == [2, 5, 7, 7])
        #expect(statements[1].firstLine == "CREATE TEMPORARY VIEW v AS")
        #expect(statements[1].text.hasPrefix("-- make the view"))
    }

    @Test(arguments: [
        ("SELECT 'open", SQLSplitError.unterminatedString(quote: "'", line: 1)),
        ("SELECT 1;\nSELECT \"open\n\n", .unterminatedString(quote: "\"", line: 2)),
        ("SELECT `open", .unterminatedString(quote: "`", line: 1)),
        ("SELECT 1;\n\n/* open", .unterminatedComment(line: 3)),
        ("/* a /* b */", .unterminatedComment(line: 1)),
        ("SELECT 'ends with backslash\\'", .unterminatedString(quote: "'", line: 1)),
    ])
    func unterminatedConstructsAreReportedWithTheirLine(sql: String, error: SQLSplitError) {
        #expect(throws: error) { try SQLSplitter.split(sql) }
    }

    @Test func errorsReadWell() {
        #expect(SQLSplitError.unterminatedString(quote: "'", line: 3).description == "the 'string' opened on line 3 is not closed")
        #expect(SQLSplitError.unterminatedComment(line: 2).description == "the /* comment */ opened on line 2 is not closed")
    }

    /// Property: statements built from tricky fragments, joined with `;`, split back unchanged.
    @Test func joinedRandomStatementsSplitBack() throws {
        let fragments = ["SELECT 1", "SELECT 'a;b'", "SELECT \"x;y\"", "SELECT `c;d` FROM t", "SELECT 'it\\'s'",
                         "SELECT /* ; */ 2", "SELECT 3 -- c;\n + 1", "SET k=v", "USE db", "SELECT '--'",
                         "SELECT /* a /* ; */ b */ 4", "SELECT 'é;😀'", "SELECT `a``b`", "SELECT\n\n5"]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let count = Int.random(in: 1...6, using: &generator)
            let statements = (0..<count).map { _ in fragments.randomElement(using: &generator)! }
            let separators = [";", ";\n", " ; ", ";\n\n", ";;"]
            var sql = ""
            for (index, statement) in statements.enumerated() {
                if index > 0 { sql += separators.randomElement(using: &generator)! }
                sql += statement
            }
            if Bool.random(using: &generator) { sql += ";" }
            #expect(try texts(sql) == statements, "\(sql)")
        }
    }
}

/// SplitMix64: reproducible randomness for property tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
