import Foundation
import LivyClient

/// Which Livy session a kernel kept when Jupyter restarted it, so the new kernel process attaches
/// to it instead of starting another. Keyed by the connection file, which Jupyter keeps across a
/// restart and which no other notebook shares: a kernel never picks up another notebook's session.
struct ResumeStore: Sendable {
    /// What a restarting kernel leaves for the next process.
    struct Record: Codable, Sendable, Equatable {
        var sessionID: LivyID
        /// The session's Livy name: after a Livy restart the same id can denote another session.
        var sessionName: String
        var livyURL: String
        var uiPort: Int?
    }

    let directory: URL

    func save(_ record: Record, key: String) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try JSONEncoder().encode(record).write(to: file(key), options: .atomic)
        } catch {
            // Without the record the new kernel starts a new session; the kept one is reaped by
            // its heartbeat timeout.
        }
    }

    /// The record for `key`, removed as it is read (it is good for one restart).
    func take(key: String) -> Record? {
        let url = file(key)
        defer { try? FileManager.default.removeItem(at: url) }
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    private func file(_ key: String) -> URL {
        let safe = key.split(separator: "/").last.map(String.init) ?? key
        return directory.appendingPathComponent(safe.replacingOccurrences(of: ".json", with: "") + ".resume.json")
    }
}
