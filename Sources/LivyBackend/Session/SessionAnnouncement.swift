import Foundation
import JSONValues
import LivyClient
import JupyterProtocol

/// What a cell shows about the Spark session: while it starts, and once it is ready.
enum SessionAnnouncement {
    static func starting(sessionID: LivyID?, state: String, elapsed: Duration, livyURL: String) -> MimeBundle {
        let id = sessionID.map { "session \($0)" } ?? "a session"
        let text = "Starting Spark: \(id) on \(livyURL) is \(state) (\(elapsed.components.seconds) s)"
        return MimeBundle(data: [
            "text/plain": .string(text),
            "text/html": .string("<div class=\"livykernel-session\">⏳ \(TableRenderer.escape(text))</div>"),
        ])
    }

    static func ready(_ session: ActiveSession) -> MimeBundle {
        var parts = ["Spark session \(session.id)"]
        var html = "<div class=\"livykernel-session\">✅ Spark session <b>\(session.id)</b>"
        if let app = session.appID {
            parts.append("application \(app)")
            html += " · application <code>\(TableRenderer.escape(app))</code>"
        }
        if let link = session.sparkUILink {
            parts.append("Spark UI \(link)")
            html += " · <a href=\"\(TableRenderer.escape(link))\" target=\"_blank\">Spark UI</a>"
        }
        if let log = session.driverLogURL {
            parts.append("driver log \(log)")
            html += " · <a href=\"\(TableRenderer.escape(log))\" target=\"_blank\">driver log</a>"
        }
        var text = parts.joined(separator: " · ")
        if !session.droppedSettings.isEmpty {
            let names = session.droppedSettings.map { "'\($0)'" }.joined(separator: ", ")
            let note = "⚠ This Livy does not know the session setting\(session.droppedSettings.count == 1 ? "" : "s") \(names): "
                + "the session was started without \(session.droppedSettings.count == 1 ? "it" : "them")."
            text += "\n" + note
            html += "<br><small>\(TableRenderer.escape(note))</small>"
        }
        return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html + "</div>")])
    }
}
