import JupyterProtocol
import KernelCore
import LivyClient
import Magics
import Testing
@testable import LivyBackend

/// What a cell will do, decided without Livy: parse → line magics → template → statements.
@Suite struct CellPlannerTests {
    func plan(_ code: String, kind: KernelKind = .pyspark, variables: [String: String] = [:]) throws -> CellPlan {
        try CellPlanner.plan(code, kind: kind, variables: variables)
    }

    @Test func plainCellsRunInTheKernelsStatementKind() throws {
        #expect(try plan("1+1").steps == [.code("1+1", kind: "pyspark")])
        #expect(try plan("1+1", kind: .scala).steps == [.code("1+1", kind: "spark")])
        #expect(try plan("   \n ").steps == [], "a blank cell sends nothing")
    }

    @Test func theSQLKernelSplitsItsCellsIntoStatementsWithLines() throws {
        let steps = try plan("USE db;\nSELECT 1;\n\nSELECT 2", kind: .sql).steps
        #expect(steps == [.sql([SQLStatement(text: "USE db", line: 1), SQLStatement(text: "SELECT 1", line: 2),
                                SQLStatement(text: "SELECT 2", line: 4)], SQLOptions())])
    }

    @Test func statementLinesCountTheMagicLine() throws {
        let steps = try plan("%%sql -n 5 -q\nSELECT 1;\nSELECT 2").steps
        #expect(steps == [.sql([SQLStatement(text: "SELECT 1", line: 2), SQLStatement(text: "SELECT 2", line: 3)],
                               SQLOptions(maxRows: 5, quiet: true))])
    }

    @Test func lineMagicsApplyInOrderBeforeTheTemplate() throws {
        let result = try plan("%set day=2024-01-31\n%vars\n%unset gone\n%%sql\nSELECT {{ day.sql }}", variables: ["old": "1"])
        #expect(result.variables == ["old": "1", "day": "2024-01-31"])
        #expect(result.steps == [
            .showVariables(["old": "1", "day": "2024-01-31"]),
            .warn("%unset: gone was not set\n"),
            .sql([SQLStatement(text: "SELECT '2024-01-31'", line: 5)], SQLOptions()),
        ])
    }

    @Test func codeCellsReplaceOnlyDefinedVariablesAndKeepBraces() throws {
        let steps = try plan("%%pyspark\nprint(f\"{{x}}\", {{ table }})", variables: ["table": "t1"]).steps
        #expect(steps == [.code("print(f\"{{x}}\", t1)", kind: "pyspark")])
    }

    @Test func aBrokenCellChangesNothing() throws {
        #expect(throws: CellNotUnderstood.self) { try plan("%set a=1\n%%sql\nSELECT {{ missing }}") }
        #expect(throws: CellNotUnderstood.self) { try plan("%%sql\nSELECT 'open") }
        #expect(throws: CellNotUnderstood.self) { try plan("%%sqll\nSELECT 1") }
    }

    @Test func papermillParametersBecomeVariables() throws {
        let parameters = "# Parameters\nday = \"2024-02-01\"\nlimit = 10\n"
        let sqlKernel = try plan(parameters, kind: .sql)
        #expect(sqlKernel.variables == ["day": "2024-02-01", "limit": "10"])
        #expect(sqlKernel.steps == [], "the SQL kernel takes the values and runs nothing")
        let pysparkKernel = try plan(parameters)
        #expect(pysparkKernel.variables["day"] == "2024-02-01")
        #expect(pysparkKernel.steps == [.code(parameters, kind: "pyspark")], "PySpark runs the cell too")
    }

    @Test func sessionMagicsBecomeSteps() throws {
        #expect(try plan("%%info").steps == [.info])
        #expect(try plan("%%logs").steps == [.logs])
        #expect(try plan("%%cleanup -f").steps == [.cleanup])
        #expect(try plan("%%delete -s 7").steps == [.delete(sessionID: 7)])
        #expect(try plan("%%help").steps == [.help])
        #expect(try plan("%%configure -f\n{\"driverMemory\": \"2g\", \"conf\": {\"a\": 0.6}}").steps
                == [.configure(SessionSettings(driverMemory: "2g", conf: ["a": "0.6"]), force: true)])
    }

    @Test(arguments: [
        ("%%configure\n[1]", "the %%configure body must be a JSON object"),
        ("%%configure\n{\"driverCores\": \"two\"}", "'driverCores' must be an integer"),
        ("%%configure\n{\"kind\": \"spark\"}", "'kind' is not a Livy session setting"),
        ("%%configure\n{\"conf\": {\"a\": [1]}}", "'conf.a' must be a string, a number or true/false"),
    ])
    func badConfigureBodiesSayWhatIsWrong(cell: String, message: String) throws {
        do {
            _ = try CellPlanner.plan(cell, kind: .pyspark, variables: [:])
            Issue.record("must fail")
        } catch {
            #expect(error.ename == "ConfigureError")
            #expect(error.evalue.hasPrefix(message))
        }
    }
}
