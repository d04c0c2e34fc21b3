import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import LivyClient
import Magics

/// `%%configure`, `%%info`, `%%logs`, `%%cleanup`, `%%delete`: the session, managed from cells.
struct SessionMagics {
    let api: any LivyAPI
    let sessions: SessionManager
    let kind: KernelKind
    let owner: SessionOwner
    /// Whether a process of this host is alive (`%%cleanup` deletes only sessions of dead kernels).
    let isProcessAlive: @Sendable (Int32) -> Bool
    /// Where cells' Spark jobs come from (nil: turned off by spark_ui.jobs).
    var jobs: SparkJobsTracker?

    func configure(_ settings: SessionSettings, force: Bool, output: OutputPublisher) async throws {
        let defaults = sessions.config.session
        if let locked = defaults.settings.proxyUser, !defaults.allowProxyUserOverride,
           let asked = settings.proxyUser, asked != locked {
            throw CellNotUnderstood(
                ename: "ProxyUserLocked",
                evalue: "%%configure cannot change proxyUser: this notebook's sessions run as '\(locked)', set by the configuration",
                details: ["The administrator set session.proxyUser (or LIVY_PROXY_USER); "
                          + "session.allow_proxy_user_override: true in the config file allows changing it."])
        }
        guard await sessions.configure(settings, force: force) else {
            throw CellNotUnderstood(
                ename: "ConfigureError",
                evalue: "a Spark session is already running; add -f (%%configure -f) to restart it with these settings",
                details: ["Restarting loses the session's variables, temporary views and cached data."])
        }
        // Start the new session now, so the cell shows it (or why it failed).
        _ = try await sessions.session(output: output)
    }

    func showInfo(output: OutputPublisher) async throws {
        var rows: [(String, String)] = [("Livy", RedactedURL.redact(api.baseURL)), ("kernel", kind.displayName), ("user", owner.user)]
        let request: CreateSessionRequest
        if let session = await sessions.current {
            let state = (try? await api.sessionState(id: session.id).rawValue) ?? "unknown (Livy did not answer)"
            rows += [("session", session.id.description), ("state", state), ("statement kind", kind.livyKind)]
            rows.append(("application", session.appID ?? "—"))
            rows.append(("Spark UI", session.sparkUILink ?? "—"))
            rows.append(("cell Spark jobs", await jobs?.status(SessionStatements.driver(of: session))
                ?? "Livy's progress (spark_ui.jobs is off)"))
            rows.append(("driver log", session.driverLogURL ?? "—"))
            rows.append(("session request", "as sent to POST /sessions (secrets masked):"))
            request = session.request
        } else {
            rows.append(("session", await sessions.isActive ? "starting" : "none yet (the next cell starts one)"))
            rows.append(("session request", "the next POST /sessions (secrets masked); the kernel adds a name, "
                + "spark.ui.port and spark.ui.proxyBase when it starts the session:"))
            request = await sessions.createRequest(uiPort: nil, name: nil)
        }
        output.display(KeyValueTable.bundle(title: "LivyKernel session", rows: rows))
        output.display(Self.requestBundle(request))
    }

    /// `%spark_ui`: the proxied Spark UI in an iframe (the proxy allows framing by Jupyter's own
    /// pages only), with a link that opens it in a new tab.
    func showSparkUI(height: Int, output: OutputPublisher) async throws {
        let session = try await sessions.session(output: output)
        guard let link = session.sparkUILink else {
            throw CellNotUnderstood(
                ename: "SparkUIUnavailable",
                evalue: "session \(session.id) has no Spark UI link: the kernel did not give it a UI port",
                details: ["The link needs a free port in spark_ui.ports (LIVY_KERNEL_UI_PORTS) when the session starts; "
                          + "livy-kernel doctor checks the range. %%configure -f starts a new session."])
        }
        output.display(SparkUIFrame.bundle(link: link, sessionID: session.id.description, applicationID: session.appID,
                                           height: height))
    }

    /// The session request as JSON, with the values of secret-looking conf keys masked.
    static func requestBundle(_ request: CreateSessionRequest) -> MimeBundle {
        var masked = request
        masked.settings.conf = masked.settings.conf.map { conf in
            Dictionary(uniqueKeysWithValues: conf.map { ($0.key, isSecret($0.key) ? "********" : $0.value) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(masked)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return MimeBundle(data: [
            "text/plain": .string(json),
            "text/html": .string("<pre class=\"livykernel-session-request\">\(TableRenderer.escape(json))</pre>"),
        ])
    }

    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "secret", "token", "credential", "access.key", "accesskey"].contains { lower.contains($0) }
    }

    func showLogs(output: OutputPublisher) async throws {
        guard let session = await sessions.current else {
            output.stream(.stdout, "No Spark session yet: the next cell starts one.\n")
            return
        }
        do {
            let log = try await api.sessionLog(id: session.id, from: nil, size: 200)
            output.stream(.stdout, log.log.joined(separator: "\n") + "\n")
        } catch {
            throw LivyRequestFailed(error: error)
        }
    }

    /// Deletes the sessions this kernel created and no longer uses, and this user's LivyKernel
    /// sessions whose kernel process is provably gone (it ran on this host and is not alive).
    /// Sessions of other open notebooks, of other hosts, and of other users are kept.
    func cleanUp(output: OutputPublisher) async throws {
        let current = await sessions.current?.id
        let created = await sessions.createdIDs
        var deleted: [String] = []
        var kept = 0
        do {
            let list = try await api.sessions(from: 0, size: 1000)
            for session in list.sessions where session.id != current {
                guard let name = session.name, owner.isSessionName(name) else { continue }
                guard created.contains(session.id) || isAbandoned(name) else {
                    kept += 1
                    continue
                }
                try await api.deleteSession(id: session.id)
                deleted.append("\(session.id) (\(name), \(session.state))")
            }
        } catch {
            throw LivyRequestFailed(error: error)
        }
        var text = deleted.isEmpty
            ? "No abandoned sessions of \(owner.user) to delete.\n"
            : "Deleted \(deleted.count) session(s) of \(owner.user): " + deleted.joined(separator: ", ") + "\n"
        if kept > 0 {
            text += "Kept \(kept) session(s) of \(owner.user) whose kernels may still be running "
                + "(other notebooks, or other hosts); %%delete -s ID deletes one.\n"
        }
        output.stream(.stdout, text)
    }

    private func isAbandoned(_ name: String) -> Bool {
        guard let recorded = owner.owner(ofSessionNamed: name), recorded.host == owner.host else { return false }
        return recorded.pid == owner.pid || !isProcessAlive(recorded.pid)
    }

    /// `%%sessions`: this user's LivyKernel sessions on this Livy, with the kernel that started each.
    func listSessions(output: OutputPublisher) async throws {
        let current = await sessions.current?.id
        let list: LivySessionList
        do {
            list = try await api.sessions(from: 0, size: 1000)
        } catch {
            throw LivyRequestFailed(error: error)
        }
        let mine = list.sessions.filter { $0.name.map(owner.isSessionName) == true }
        guard !mine.isEmpty else {
            output.stream(.stdout, "No LivyKernel sessions of \(owner.user) on \(RedactedURL.redact(api.baseURL)).\n")
            return
        }
        let rows = mine.map { session -> (String, String) in
            let recorded = session.name.flatMap(owner.owner(ofSessionNamed:))
            var what = "\(session.state.rawValue) · \(session.kind ?? "shared")"
            if let app = session.appId { what += " · \(app)" }
            if session.id == current {
                what += " · this notebook"
            } else if let recorded {
                let alive = recorded.host != owner.host ? "on \(recorded.host)"
                    : recorded.pid == owner.pid || isProcessAlive(recorded.pid) ? "kernel running" : "kernel gone"
                what += " · pid \(recorded.pid) (\(alive))"
            }
            return ("session \(session.id)", what)
        }
        output.display(KeyValueTable.bundle(title: "LivyKernel sessions of \(owner.user) (%%attach -s ID takes one over)", rows: rows))
    }

    /// `%%attach -s ID`.
    func attach(_ id: LivyID, output: OutputPublisher) async throws {
        try await sessions.attach(id)
        _ = try await sessions.session(output: output)
    }

    func delete(_ id: LivyID, output: OutputPublisher) async throws {
        do {
            _ = try await api.sessionState(id: id)
            try await api.deleteSession(id: id)
        } catch .sessionNotFound {
            throw CellNotUnderstood(ename: "LivySessionNotFound", evalue: "Livy has no session \(id)")
        } catch {
            throw LivyRequestFailed(error: error)
        }
        if await sessions.current?.id == id {
            await sessions.sessionLost(id)
            output.stream(.stdout, "Deleted session \(id), this notebook's own: the next cell starts a new one.\n")
        } else {
            output.stream(.stdout, "Deleted session \(id).\n")
        }
    }
}

/// A two-column table (setting, value) as text and HTML.
enum KeyValueTable {
    static func bundle(title: String, rows: [(String, String)]) -> MimeBundle {
        let width = rows.map(\.0.count).max() ?? 0
        let text = ([title] + rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 })
            .joined(separator: "\n")
        var html = "<b>\(TableRenderer.escape(title))</b><table class=\"livykernel-table\"><tbody>"
        for (key, value) in rows {
            let shown = value.hasPrefix("/") || value.hasPrefix("http")
                ? "<a href=\"\(TableRenderer.escape(value))\" target=\"_blank\">\(TableRenderer.escape(value))</a>"
                : TableRenderer.escape(value)
            html += "<tr><th style=\"text-align: left\">\(TableRenderer.escape(key))</th><td style=\"text-align: left\">\(shown)</td></tr>"
        }
        return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html + "</tbody></table>")])
    }
}

/// `%vars`.
enum VariablesTable {
    static func bundle(_ variables: [String: String]) -> MimeBundle {
        guard !variables.isEmpty else {
            return .plainText("No variables set. Use %set NAME=VALUE, or LIVY_VAR_NAME in the kernel's environment.")
        }
        return KeyValueTable.bundle(title: "Template variables ({{ name }}, {{ name.sql }} for a SQL string)",
                                    rows: variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}

/// `%%help`: every magic of `MagicCatalog` with its usage, what it does and an example.
enum MagicHelp {
    static var bundle: MimeBundle {
        let magics = MagicCatalog.all
        let text = magics.map { "\($0.usage)\n    \($0.summary)" }.joined(separator: "\n")
        var html = "<table class=\"livykernel-table\"><thead><tr><th>magic</th><th>what it does</th><th>example</th></tr></thead><tbody>"
        for magic in magics {
            html += "<tr><td style=\"text-align: left\"><code>\(TableRenderer.escape(magic.usage))</code></td>"
                + "<td style=\"text-align: left\">\(TableRenderer.escape(magic.summary))</td>"
                + "<td style=\"text-align: left\"><pre>\(TableRenderer.escape(magic.example))</pre></td></tr>"
        }
        return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html + "</tbody></table>")])
    }
}
