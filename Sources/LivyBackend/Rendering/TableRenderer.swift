import JSONValues
import JupyterProtocol

/// Renders rows as a MIME bundle: an HTML table (values escaped) and a fixed-width text table.
public struct TableRenderer: Sendable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// Longest cell shown in the text table; longer values end with an ellipsis.
    public var maxTextWidth = 40

    public init() {}

    /// `rows` beyond `maxRows` are not shown; `note` (e.g. why the result was cut) is shown under it.
    public func bundle(columns: [Column], rows: [[JSONValue]], maxRows: Int, note: String?) -> MimeBundle {
        let shown = Array(rows.prefix(maxRows))
        let cells = shown.map { row in columns.indices.map { row.indices.contains($0) ? Self.text(row[$0]) : "" } }
        var footer = rows.count == 1 ? "1 row" : "\(rows.count) rows"
        if shown.count < rows.count { footer = "showing \(shown.count) of \(rows.count) rows" }
        if let note { footer += " — " + note }
        return MimeBundle(data: [
            "text/plain": .string(plainTable(columns: columns, cells: cells) + "\n" + footer),
            "text/html": .string(htmlTable(columns: columns, cells: cells, footer: footer)),
        ])
    }

    func plainTable(columns: [Column], cells: [[String]]) -> String {
        let clipped = cells.map { $0.map { clip($0) } }
        let widths = columns.indices.map { index in
            max(columns[index].name.count, clipped.map { $0[index].count }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: " | ").trimmingTrailingSpaces
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")
        return ([line(columns.map(\.name)), rule] + clipped.map(line)).joined(separator: "\n")
    }

    func htmlTable(columns: [Column], cells: [[String]], footer: String) -> String {
        var html = "<table class=\"livykernel-table\"><thead><tr>"
        for column in columns {
            html += "<th title=\"\(Self.escape(column.type))\">\(Self.escape(column.name))</th>"
        }
        html += "</tr></thead><tbody>"
        for row in cells {
            html += "<tr>" + row.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table><p class=\"livykernel-table-footer\">\(Self.escape(footer))</p>"
    }

    private func clip(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return flat.count > maxTextWidth ? String(flat.prefix(maxTextWidth - 1)) + "…" : flat
    }

    /// A cell as text: strings unquoted, null as `null`, nested values as compact JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(format: "%.1f", number) : String(number)
        case .string(let text): text
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.sorted { $0.key < $1.key }.map { "\(json(.string($0.key))):\(json($0.value))" }.joined(separator: ",") + "}"
        }
    }

    private static func json(_ value: JSONValue) -> String {
        if case .string(let text) = value {
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return text(value)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(char)
            }
        }
        return out
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
