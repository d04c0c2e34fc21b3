import Foundation

/// A URL as it may be shown: a password in its user info (`http://user:secret@host`) replaced,
/// so no secret given in `LIVY_URL` reaches a notebook, `%%info` or a log.
public enum RedactedURL {
    public static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<scheme.upperBound]) + userInfo[..<colon] + ":****" + rest[at...]
    }
}
