import JSONValues
import JupyterProtocol
import Testing
@testable import LivyBackend

@Suite struct OutputRendererTests {
    let renderer = OutputRenderer(maxRows: 2, livyRowCap: 1000)

    @Test func plainTextIsPrintedOutput() {
        #expect(renderer.render(["text/plain": "hello\n2"]) == [.stdout("hello\n2\n")])
        #expect(renderer.render(["text/plain": ""]) == [])
    }

    @Test func sqlResultsBecomeTables() throws {
        let data: [String: JSONValue] = ["application/json": [
            "schema": ["type": "struct", "fields": [
                ["name": "name", "type": "string", "nullable": true, "metadata": [:]],
                ["name": "n", "type": "integer", "nullable": false, "metadata": [:]],
            ]],
            "data": [["<b>a</b>", 1], ["b", nil], ["c", 3]],
        ]]
        guard case .display(let bundle)? = renderer.render(data).first else { Issue.record("no table"); return }
        let html = try #require(bundle.data["text/html"]?.stringValue)
        #expect(html.contains("<th>name<br><small><code>string</code></small></th>"), "column types come from the schema")
        #expect(html.contains("<th style=\"text-align: right\">n<br>"), "numbers are right-aligned")
        #expect(html.contains("<i style=\"opacity: 0.6\">NULL</i>"), "NULL is shown distinctly")
        #expect(html.contains("&lt;b&gt;a&lt;/b&gt;"), "cell values are escaped")
        #expect(!html.contains("<td>c</td>"), "only maxRows rows are shown")
        let text = try #require(bundle.data["text/plain"]?.stringValue)
        #expect(text == "name     |    n\n---------+-----\n<b>a</b> |    1\nb        | NULL\nshowing the first 2 of 3 rows")
        #expect(bundle.data["application/json"] == nil, "JSON beside HTML would win in JupyterLab")
    }

    @Test func statementsWithoutRowsSayOK() {
        let data: [String: JSONValue] = ["application/json": ["schema": ["type": "struct", "fields": []], "data": []]]
        #expect(renderer.render(data) == [.display(.plainText("OK"))])
    }

    @Test func resultsAtLivysCapSayTheyMayBeCut() throws {
        let capped = OutputRenderer(maxRows: 10, livyRowCap: 3)
        let data: [String: JSONValue] = ["application/json": [
            "schema": ["type": "struct", "fields": [["name": "x", "type": "long"]]],
            "data": [[1], [2], [3]],
        ]]
        guard case .display(let bundle)? = capped.render(data).first else { Issue.record("no table"); return }
        #expect(bundle.data["text/plain"]?.stringValue?.contains("livy.rsc.sql.num-rows") == true)
    }

    @Test func livyTableMagic() {
        let data: [String: JSONValue] = ["application/vnd.livy.table.v1+json": [
            "headers": [["name": "a", "type": "INT_TYPE"]], "data": [[1]],
        ]]
        guard case .display(let bundle)? = renderer.render(data).first else { Issue.record("no table"); return }
        #expect(bundle.data["text/plain"] == "a\n-\n1\n1 row")
    }

    @Test func otherJSONAndImages() {
        let items = renderer.render(["application/json": ["k": [1, 2]], "image/png": "iVBOR", "text/plain": "plot"])
        #expect(items.count == 2)
        #expect(items.contains(.display(MimeBundle(data: ["application/json": ["k": [1, 2]], "text/plain": "{\n  \"k\" : [\n    1,\n    2\n  ]\n}"]))))
        #expect(items.contains(.display(MimeBundle(data: ["image/png": "iVBOR", "text/plain": "plot"]))))
    }
}

@Suite struct TableRendererTests {
    @Test func titlesAndLargeResultsStayBounded() {
        let rows = (0..<100_000).map { [JSONValue.int($0), .string("row \($0)")] }
        let bundle = TableRenderer().bundle(columns: [.init(name: "id", type: "long"), .init(name: "label", type: "string")],
                                            rows: rows, maxRows: 50, note: nil, title: "Statement 2 of 2")
        let text = bundle.data["text/plain"]?.stringValue ?? ""
        #expect(text.hasPrefix("Statement 2 of 2\nid | label"))
        #expect(text.hasSuffix("showing the first 50 of 100000 rows"))
        #expect(text.split(separator: "\n").count == 1 + 2 + 50 + 1)
    }

    @Test func stringNullIsNotNULL() {
        let bundle = TableRenderer().bundle(columns: [.init(name: "s", type: "string")], rows: [[.string("null")], [.null]],
                                            maxRows: 10, note: nil)
        let html = bundle.data["text/html"]?.stringValue ?? ""
        #expect(html.contains("<td>null</td>"))
        #expect(html.contains("NULL</i>"))
    }
}
