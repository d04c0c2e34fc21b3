import JSONValues
import JupyterProtocol
import Magics

/// `%%sql --chart TYPE --x COL --y COL`: a Vega-Lite chart of a result, which JupyterLab renders
/// natively, with a text fallback. Field types come from the result's schema, never guessed.
enum ChartRenderer {
    static let schemaURL = "https://vega.github.io/schema/vega-lite/v5.json"

    /// nil when a named column is not in the result (the error names it).
    static func bundle(_ chart: SQLOptions.Chart, columns: [TableRenderer.Column], rows: [[JSONValue]],
                       maxPoints: Int) throws(CellNotUnderstood) -> MimeBundle {
        func index(_ name: String) throws(CellNotUnderstood) -> Int {
            guard let found = columns.firstIndex(where: { $0.name == name }) else {
                throw CellNotUnderstood(ename: "ChartError", evalue: "the result has no column '\(name)'; columns: "
                                        + columns.map(\.name).joined(separator: ", "))
            }
            return found
        }
        let x = try index(chart.x), y = try index(chart.y)
        let shown = rows.prefix(maxPoints)
        let values: [JSONValue] = shown.map { row in
            .object([chart.x: row.indices.contains(x) ? row[x] : .null, chart.y: row.indices.contains(y) ? row[y] : .null])
        }
        let spec: JSONValue = [
            "$schema": .string(schemaURL),
            "data": ["values": .array(values)],
            "mark": ["type": .string(chart.kind.rawValue), "tooltip": true],
            "encoding": [
                "x": ["field": .string(chart.x), "type": .string(vegaType(columns[x].type, axis: "x", mark: chart.kind))],
                "y": ["field": .string(chart.y), "type": .string(vegaType(columns[y].type, axis: "y", mark: chart.kind))],
            ],
            "width": "container",
        ]
        let text = "\(chart.kind.rawValue) chart of \(chart.y) by \(chart.x) (\(shown.count) points)"
        return MimeBundle(data: ["application/vnd.vegalite.v5+json": spec, "text/plain": .string(text)])
    }

    static func vegaType(_ sparkType: String, axis: String, mark: SQLOptions.Chart.Kind) -> String {
        if TableRenderer.isNumeric(sparkType) { return "quantitative" }
        if sparkType == "date" || sparkType.hasPrefix("timestamp") { return "temporal" }
        return "nominal"
    }
}
