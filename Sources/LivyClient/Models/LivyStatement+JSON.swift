import Foundation
import JSONValues

/// Models read straight from a parsed `JSONValue`, skipping `JSONDecoder`: statement bodies carry
/// whole SQL results (a 100,000-row result is ~8 MB), where `JSONDecoder` into `JSONValue` is
/// ten times slower than `JSONParser`.
protocol JSONValueDecodable {
    init(json: JSONValue) throws(JSONShapeError)
}

/// The parsed JSON does not have the shape of the model.
struct JSONShapeError: Error, CustomStringConvertible {
    let description: String
}

extension LivyStatement: JSONValueDecodable {
    init(json: JSONValue) throws(JSONShapeError) {
        guard case .object(let fields) = json else { throw JSONShapeError(description: "not a JSON object") }
        let id: LivyID
        switch fields["id"] {
        case .int(let number)?: id = LivyID(number)
        case .string(let text)?: id = LivyID(text: text)
        case nil, .null?: throw JSONShapeError(description: "missing field 'id'")
        default: throw JSONShapeError(description: "field 'id' has the wrong type")
        }
        guard case .string(let stateName)? = fields["state"] else { throw JSONShapeError(description: "missing field 'state'") }
        guard let state = StatementState(serverName: stateName) else {
            throw JSONShapeError(description: "unknown statement state '\(stateName)'")
        }
        let output: StatementOutput?
        switch fields["output"] {
        case nil, .null?: output = nil
        case let value?: output = try StatementOutput(json: value)
        }
        self.init(id: id, code: fields["code"]?.stringValue, state: state, output: output,
                  progress: fields["progress"]?.doubleValue ?? 0,
                  started: Int64(fields["started"]?.doubleValue ?? 0), completed: Int64(fields["completed"]?.doubleValue ?? 0))
    }
}

/// `GET /sessions/{id}/statements`: `{"total_statements": n, "statements": [...]}` (docs/livy-rest.md §3.4).
struct LivyStatementList: JSONValueDecodable, Decodable {
    var statements: [LivyStatement]

    init(json: JSONValue) throws(JSONShapeError) {
        guard case .array(let items)? = json["statements"] else { throw JSONShapeError(description: "missing field 'statements'") }
        var statements: [LivyStatement] = []
        for item in items { statements.append(try LivyStatement(json: item)) }
        self.statements = statements
    }

    init(from decoder: any Decoder) throws {
        throw JSONShapeError(description: "decoded with JSONParser only")
    }
}

extension StatementOutput: JSONValueDecodable {
    init(json: JSONValue) throws(JSONShapeError) {
        guard case .object(let fields) = json, case .string(let status)? = fields["status"] else {
            throw JSONShapeError(description: "output has no 'status'")
        }
        // Livy: `execution_count`; Lighter (`processors/Output.java`): `executionCount`.
        let count = (fields["execution_count"] ?? fields["executionCount"])?.doubleValue.map { Int($0) }
        if status == "ok" {
            guard case .object(let data)? = fields["data"] ?? .object([:]) else {
                throw JSONShapeError(description: "output 'data' is not an object")
            }
            self = .ok(executionCount: count, data: data)
            return
        }
        let traceback: [String]
        switch fields["traceback"] {
        case .array(let lines)?: traceback = lines.compactMap(\.stringValue)
        case .string(let text)?: traceback = Self.tracebackLines(javaListString: text)
        default: traceback = []
        }
        let evalue = fields["evalue"]?.stringValue ?? ""
        if let ename = fields["ename"]?.stringValue {
            self = .error(executionCount: count, ename: ename, evalue: evalue, traceback: traceback)
            return
        }
        // Lighter has no `ename`: its `evalue` is the exception's type and the message is only in
        // the traceback's last line ("NameError: name 'x' is not defined").
        let last = traceback.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !evalue.isEmpty, !evalue.contains(" "), last.hasPrefix(evalue + ": ") {
            self = .error(executionCount: count, ename: evalue, evalue: String(last.dropFirst(evalue.count + 2)), traceback: traceback)
        } else {
            self = .error(executionCount: count, ename: "Error", evalue: evalue, traceback: traceback)
        }
    }

    /// Lighter's traceback: Python's `traceback.format_exception` list as Java's `String.valueOf`
    /// prints it, `[line1\n, line2\n]`. Each element ends in a newline, so an element boundary is
    /// a newline followed by ", "; a string of any other shape is one element.
    static func tracebackLines(javaListString text: String) -> [String] {
        guard text.hasPrefix("["), text.hasSuffix("]") else { return [text] }
        return text.dropFirst().dropLast().components(separatedBy: "\n, ").map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }
    }
}

extension JSONValue {
    /// Any JSON number as a Double.
    var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
