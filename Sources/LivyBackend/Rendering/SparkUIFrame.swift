import JSONValues
import JupyterProtocol

/// `%spark_ui`: the session's proxied Spark UI inside the cell, and the link to open it in a tab.
enum SparkUIFrame {
    static func bundle(link: String, sessionID: String, applicationID: String?, height: Int) -> MimeBundle {
        let about = "session \(sessionID)" + (applicationID.map { ", application \($0)" } ?? "")
        let href = TableRenderer.escape(link)
        return MimeBundle(data: [
            "text/plain": .string("Spark UI of \(about): \(link)"),
            "text/html": .string(
                "<div class=\"livykernel-spark-ui\"><div><small>Spark UI of \(TableRenderer.escape(about)) · "
                + "<a href=\"\(href)\" target=\"_blank\" rel=\"noopener\">open in a new tab</a></small></div>"
                + "<iframe src=\"\(href)\" title=\"Spark UI\" style=\"width:100%;height:\(height)px;border:1px solid #ccc\"></iframe></div>"),
        ])
    }
}
