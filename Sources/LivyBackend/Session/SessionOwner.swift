import Foundation

/// Who a LivyKernel session belongs to: the user, and the kernel process (pid and host) that
/// created it. Written into the session's Livy name, `livykernel-{user}-{token}.{pid}.{host}`, so
/// `%%cleanup` can tell an abandoned session (its kernel is gone from this host) from one that
/// another open notebook still uses.
struct SessionOwner: Sendable, Equatable {
    var user: String
    var pid: Int32
    var host: String

    static func thisProcess(user: String) -> SessionOwner {
        SessionOwner(user: user, pid: getpid(), host: ProcessInfo.processInfo.hostName)
    }

    /// The start of every LivyKernel session name of this user.
    var namePrefix: String { "livykernel-\(user)-" }

    /// A new session's name; `token` (8 hex digits) keeps names unique.
    func sessionName(token: String) -> String { namePrefix + "\(token).\(pid).\(host)" }

    /// Whether `name` is one of this user's LivyKernel session names, in this format or in the
    /// older `livykernel-{user}-{token}` one.
    func isSessionName(_ name: String) -> Bool {
        guard name.hasPrefix(namePrefix) else { return false }
        let rest = name.dropFirst(namePrefix.count)
        return owner(ofSessionNamed: name) != nil || rest.count == 8 && rest.allSatisfy(\.isHexDigit)
    }

    /// The owner recorded in `name`, if it is a session name of this user in the format above
    /// (older names, and other users' whose names share a prefix with this one, give nil).
    func owner(ofSessionNamed name: String) -> SessionOwner? {
        guard name.hasPrefix(namePrefix) else { return nil }
        let parts = name.dropFirst(namePrefix.count).split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 8, parts[0].allSatisfy(\.isHexDigit),
              let pid = Int32(parts[1]), !parts[2].isEmpty else { return nil }
        return SessionOwner(user: user, pid: pid, host: String(parts[2]))
    }
}
