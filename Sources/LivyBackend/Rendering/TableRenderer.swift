import Foundation
public import JSONValues
public import JupyterProtocol

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

    /// How NULL looks, distinct from the string "null".
    public static let nullText = "NULL"

    /// `rows` beyond `maxRows` are not shown (so time and memory stay bounded however large the
    /// result); `note` (e.g. why the result was cut) and the row count are shown under it, `title` above.
    public func bundle(columns: [Column], rows: [[JSONValue]], maxRows: Int, note: String?, title: String? = nil) -> MimeBundle {
        let shown = rows.prefix(maxRows)
        let cells = shown.map { row in columns.indices.map { row.indices.contains($0) ? row[$0] : .null } }
        var footer = rows.count == 1 ? "1 row" : "\(rows.count) rows"
        if shown.count < rows.count { footer = "showing the first \(shown.count) of \(rows.count) rows" }
        if let note { footer += " — " + note }
        let text = (title.map { $0 + "\n" } ?? "") + plainTable(columns: columns, cells: cells) + "\n" + footer
        return MimeBundle(data: [
            "text/plain": .string(text),
            "text/html": .string(htmlTable(columns: columns, cells: cells, footer: footer, title: title)),
        ])
    }

    func plainTable(columns: [Column], cells: [[JSONValue]]) -> String {
        let clipped = cells.map { $0.map { clip(Self.text($0)) } }
        let numeric = columns.map { Self.isNumeric($0.type) }
        let widths = columns.indices.map { index in
            max(Self.width(columns[index].name), clipped.map { $0[index].width }.max() ?? 0)
        }
        var out = ""
        out.reserveCapacity((widths.reduce(0, +) + 3 * widths.count) * (clipped.count + 2))
        func append(_ values: [(text: String, width: Int)]) {
            var line = ""
            for index in values.indices {
                if index > 0 { line += " | " }
                let pad = String(repeating: " ", count: max(0, widths[index] - values[index].width))
                line += numeric[index] ? pad + values[index].text : values[index].text + pad
            }
            while line.last == " " { line.removeLast() }
            out += line
            out += "\n"
        }
        append(columns.map { ($0.name, Self.width($0.name)) })
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        clipped.forEach(append)
        out.removeLast()
        return out
    }

    func htmlTable(columns: [Column], cells: [[JSONValue]], footer: String, title: String?) -> String {
        var html = ""
        if let title { html += "<div class=\"livykernel-table-title\"><b>\(Self.escape(title))</b></div>" }
        html += "<table class=\"livykernel-table\"><thead><tr>"
        let numeric = columns.map { Self.isNumeric($0.type) }
        for (index, column) in columns.enumerated() {
            let align = numeric[index] ? " style=\"text-align: right\"" : ""
            html += "<th\(align)>\(Self.escape(column.name))<br><small><code>\(Self.escape(column.type))</code></small></th>"
        }
        html += "</tr></thead><tbody>"
        html.reserveCapacity(html.count + cells.count * columns.count * 24)
        for row in cells {
            html += "<tr>"
            for (index, value) in row.enumerated() {
                let align = numeric[index] ? " style=\"text-align: right\"" : ""
                if value == .null {
                    html += "<td\(align)><i style=\"opacity: 0.6\">NULL</i></td>"
                } else {
                    html += "<td\(align)>\(Self.escape(Self.text(value)))</td>"
                }
            }
            html += "</tr>"
        }
        return html + "</tbody></table><p class=\"livykernel-table-footer\"><small>\(Self.escape(footer))</small></p>"
    }

    /// Spark (and Livy `%table`) numeric type names, which are right-aligned.
    public static func isNumeric(_ type: String) -> Bool {
        let name = type.lowercased()
        return ["byte", "short", "integer", "int", "long", "bigint", "float", "double", "int_type", "bigint_type",
                "double_type", "decimal_type"].contains(name) || name.hasPrefix("decimal")
    }

    /// A cell for the text table, on one line and at most `maxTextWidth` wide, with its width.
    private func clip(_ text: String) -> (text: String, width: Int) {
        // Most cells are short ASCII: no line breaks to fold, and width = bytes.
        if text.utf8.count <= maxTextWidth && text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 }) {
            return (text, text.utf8.count)
        }
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        if flat.count > maxTextWidth { return (String(flat.prefix(maxTextWidth - 1)) + "…", maxTextWidth) }
        return (flat, flat.count)
    }

    private static func width(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }

    /// A cell as text: strings unquoted, null as `null`, nested values as compact JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: nullText
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) + ".0" : String(number)
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
        // Fast path: nothing to escape (most cells).
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            return text
        }
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
