import Foundation
public import JSONValues
public import JupyterProtocol

/// Turns a finished statement's `data` (by MIME type, as Livy returns it) into what a notebook shows.
public struct OutputRenderer: Sendable {
    public enum Item: Sendable, Equatable {
        /// Printed text (Livy mixes prints and the last value into one text/plain).
        case stdout(String)
        /// A rich result: a table, JSON, an image.
        case display(MimeBundle)
    }

    public var tables = TableRenderer()
    /// Rows shown of a table result.
    public var maxRows: Int
    /// Livy's own cap on SQL rows (`livy.rsc.sql.num-rows`); a result of exactly this size may be cut.
    public var livyRowCap: Int

    public init(maxRows: Int = 1000, livyRowCap: Int = 1000) {
        self.maxRows = maxRows
        self.livyRowCap = livyRowCap
    }

    public func render(_ data: [String: JSONValue]) -> [Item] {
        var items: [Item] = []
        var consumedText = false
        if case .object(let result)? = data["application/json"], let table = sqlTable(result) {
            items.append(.display(table))
        } else if let table = data["application/vnd.livy.table.v1+json"].flatMap(livyTable) {
            items.append(.display(table))
        } else if let json = data["application/json"] {
            items.append(.display(MimeBundle(data: ["application/json": json, "text/plain": .string(Self.prettyJSON(json))])))
        }
        if case .string(let png)? = data["image/png"] {
            var bundle: JSONObject = ["image/png": .string(png)]
            if case .string(let text)? = data["text/plain"], !text.isEmpty {
                bundle["text/plain"] = .string(text)
                consumedText = true
            } else {
                bundle["text/plain"] = "<image/png>"
            }
            items.append(.display(MimeBundle(data: bundle)))
        }
        if case .string(let html)? = data["text/html"] {
            let text = data["text/plain"]?.stringValue ?? ""
            items.append(.display(MimeBundle(data: ["text/html": .string(html), "text/plain": .string(text)])))
            consumedText = true
        }
        if !consumedText, case .string(let text)? = data["text/plain"], !text.isEmpty {
            items.insert(.stdout(text.hasSuffix("\n") ? text : text + "\n"), at: 0)
        }
        return items
    }

    /// A `sql` statement's result: `{"schema": StructType JSON, "data": [[...], ...]}`.
    func sqlTable(_ result: JSONObject) -> MimeBundle? {
        guard let (columns, rows) = Self.sqlResult(result) else { return nil }
        if columns.isEmpty && rows.isEmpty {
            return MimeBundle.plainText("OK")  // a statement without rows: USE, CREATE, INSERT
        }
        return table(columns: columns, rows: rows, maxRows: nil, title: nil)
    }

    /// A table of a SQL result, noting when the kernel or Livy's own cap cut it.
    func table(columns: [TableRenderer.Column], rows: [[JSONValue]], maxRows: Int?, title: String?) -> MimeBundle {
        let note = rows.count >= livyRowCap
            ? "Livy returns at most \(livyRowCap) rows (livy.rsc.sql.num-rows); the result may be cut"
            : nil
        return tables.bundle(columns: columns, rows: rows, maxRows: maxRows ?? self.maxRows, note: note, title: title)
    }

    /// Columns (names and Spark types, from the schema) and rows of a `sql` statement's result.
    static func sqlResult(_ result: JSONObject) -> ([TableRenderer.Column], [[JSONValue]])? {
        guard case .object(let schema)? = result["schema"], case .array(let fields)? = schema["fields"],
              case .array(let rows)? = result["data"] else { return nil }
        let columns = fields.map { field -> TableRenderer.Column in
            TableRenderer.Column(name: field["name"]?.stringValue ?? "?", type: Self.typeName(field["type"]))
        }
        return (columns, rows.map { row -> [JSONValue] in if case .array(let values) = row { values } else { [row] } })
    }

    /// `%table` output: `{"headers": [{"name", "type"}], "data": [[...]]}`.
    func livyTable(_ value: JSONValue) -> MimeBundle? {
        guard case .object(let table) = value, case .array(let headers)? = table["headers"],
              case .array(let rows)? = table["data"] else { return nil }
        let columns = headers.map { TableRenderer.Column(name: $0["name"]?.stringValue ?? "?", type: $0["type"]?.stringValue ?? "") }
        let cells = rows.map { row -> [JSONValue] in if case .array(let values) = row { values } else { [row] } }
        return tables.bundle(columns: columns, rows: cells, maxRows: maxRows, note: nil)
    }

    static func typeName(_ type: JSONValue?) -> String {
        switch type {
        case .string(let name)?: name
        case .object(let complex)?: complex["type"]?.stringValue ?? "struct"
        default: ""
        }
    }

    static func prettyJSON(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
