import Foundation

/// Livy's error bodies come in three shapes: `{"msg": "..."}`, a bare JSON string, or an HTML or
/// plain-text page from a servlet filter. This turns any of them into one line for the user.
enum LivyErrorBody {
    static func message(from body: Data) -> String {
        if let object = try? JSONDecoder().decode([String: String].self, from: body), let msg = object["msg"] {
            return msg
        }
        if let string = try? JSONDecoder().decode(String.self, from: body) {
            return string
        }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        return summarize(text)
    }

    /// The text of an HTML page (its title or first words), or the first line of plain text.
    static func summarize(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<") else {
            return String(trimmed.split(separator: "\n", maxSplits: 1).first ?? "").prefix(300).description
        }
        for tag in ["title", "h2", "h1", "pre", "p"] {
            if let inner = firstElement(tag, in: trimmed), !inner.isEmpty { return inner }
        }
        return stripTags(trimmed).prefix(300).description
    }

    private static func firstElement(_ tag: String, in html: String) -> String? {
        guard let open = html.range(of: "<\(tag)", options: .caseInsensitive),
              let openEnd = html[open.upperBound...].firstIndex(of: ">"),
              let close = html.range(of: "</\(tag)>", options: .caseInsensitive, range: openEnd..<html.endIndex)
        else { return nil }
        return stripTags(String(html[html.index(after: openEnd)..<close.lowerBound]))
    }

    private static func stripTags(_ html: String) -> String {
        var out = "", inTag = false
        for char in html {
            if char == "<" { inTag = true } else if char == ">" { inTag = false } else if !inTag { out.append(char) }
        }
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
