import JSONValues
import LivyClient
import Magics

/// Turns a cell into a `CellPlan`: parse magics → apply line magics to a copy of the variables →
/// take papermill parameters → render `{{ }}` templates → split SQL. Pure: no I/O, no state; a
/// cell that cannot be understood throws before anything (a variable included) changes.
enum CellPlanner {
    static func plan(_ code: String, kind: KernelKind, variables: [String: String]) throws(CellNotUnderstood) -> CellPlan {
        let parsed: ParsedCell
        do {
            parsed = try CellParser.parse(code)
        } catch {
            throw CellNotUnderstood(error)
        }
        var plan = CellPlan(variables: variables, steps: [])
        for magic in parsed.lineMagics {
            switch magic {
            case let .set(name, value):
                plan.variables[name] = value
            case .unset(let name):
                if plan.variables.removeValue(forKey: name) == nil { plan.steps.append(.warn("%unset: \(name) was not set\n")) }
            case .vars:
                plan.steps.append(.showVariables(plan.variables))
            case .sparkUI(let height):
                plan.steps.append(.showSparkUI(height: height))
            }
        }
        let body = parsed.body
        if let parameters = ParameterCell.parse(body) {
            plan.variables.merge(parameters) { _, latest in latest }
            // A papermill parameters cell is Python: the SQL kernel only takes its values.
            if kind == .sql && parsed.cellMagic == nil { return plan }
        }
        let variables = plan.variables
        switch parsed.cellMagic {
        case nil where kind == .sql:
            plan.steps += try sqlSteps(body, options: SQLOptions(), firstLine: parsed.bodyLine, variables: variables)
        case nil:
            plan.steps += try codeSteps(body, kind: kind.livyKind, variables: variables)
        case .sql(let options)?:
            plan.steps += try sqlSteps(body, options: options, firstLine: parsed.bodyLine, variables: variables)
        case .pyspark?:
            plan.steps += try codeSteps(body, kind: KernelKind.pyspark.livyKind, variables: variables)
        case .scala?:
            plan.steps += try codeSteps(body, kind: KernelKind.scala.livyKind, variables: variables)
        case .configure(let force)?:
            plan.steps.append(.configure(try settings(body), force: force))
        case .info?:
            plan.steps.append(.info)
        case .logs?:
            plan.steps.append(.logs)
        case .cleanup?:
            plan.steps.append(.cleanup)
        case .delete(let id)?:
            plan.steps.append(.delete(sessionID: LivyID(parsing: id) ?? LivyID(text: id)))
        case .sessions?:
            plan.steps.append(.listSessions)
        case .attach(let id)?:
            plan.steps.append(.attach(sessionID: LivyID(parsing: id) ?? LivyID(text: id)))
        case .help?:
            plan.steps.append(.help)
        }
        return plan
    }

    private static func codeSteps(_ body: String, kind: String, variables: [String: String]) throws(CellNotUnderstood) -> [CellStep] {
        let code = try render(body, mode: .code, variables: variables)
        return code.allSatisfy(\.isWhitespace) ? [] : [.code(code, kind: kind)]
    }

    private static func sqlSteps(_ body: String, options: SQLOptions, firstLine: Int,
                                 variables: [String: String]) throws(CellNotUnderstood) -> [CellStep] {
        let text = try render(body, mode: .sql, variables: variables)
        let statements: [SQLStatement]
        do {
            statements = try SQLSplitter.split(text, firstLine: firstLine)
        } catch {
            throw CellNotUnderstood(error)
        }
        return statements.isEmpty ? [] : [.sql(statements, options)]
    }

    private static func render(_ text: String, mode: CellTemplate.Mode,
                               variables: [String: String]) throws(CellNotUnderstood) -> String {
        do {
            return try CellTemplate.render(text, variables: variables, mode: mode)
        } catch {
            throw CellNotUnderstood(error)
        }
    }

    /// The `%%configure` body: Livy's session fields as a JSON object, read by `SessionSettings`.
    static func settings(_ body: String) throws(CellNotUnderstood) -> SessionSettings {
        func invalid(_ message: String) -> CellNotUnderstood {
            CellNotUnderstood(ename: "ConfigureError", evalue: message,
                              details: ["Example: %%configure -f", #"{"driverMemory": "2g", "conf": {"spark.sql.shuffle.partitions": "8"}}"#])
        }
        guard case .object(let fields)? = try? JSONParser.parse(Array(body.utf8)) else {
            throw invalid("the %%configure body must be a JSON object")
        }
        do {
            return try SessionSettings.read(fields)
        } catch {
            throw invalid("'\(error.key)' \(error.problem)")
        }
    }
}
