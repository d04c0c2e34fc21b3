import Foundation
import JSONValues
import JupyterProtocol
import KernelCore
import LivyClient
import Magics

/// `%%configure`, `%%info`, `%%logs`, `%%cleanup`, `%%delete`: the session, managed from cells.
extension LivyBackend {
    func configure(_ body: String, force: Bool, output: OutputPublisher) async throws {
        let overrides = try SessionOverrides.parse(body)
        guard await sessions.configure(overrides, force: force) else {
            throw CellNotUnderstood(
                ename: "ConfigureError",
                evalue: "a Spark session is already running; add -f (%%configure -f) to restart it with these settings",
                details: ["Restarting loses the session's variables, temporary views and cached data."])
        }
        // Start the new session now, so the cell shows it (or why it failed).
        _ = try await sessions.session(output: output)
    }

    func showInfo(output: OutputPublisher) async throws {
        var rows: [(String, String)] = [("Livy", api.baseURL), ("kernel", kind.displayName), ("user", user)]
        if let session = await sessions.current {
            let state = (try? await api.sessionState(id: session.id).rawValue) ?? "unknown (Livy did not answer)"
            rows += [("session", String(session.id)), ("state", state), ("statement kind", kind.livyKind)]
            rows.append(("application", session.appID ?? "—"))
            rows.append(("Spark UI", session.sparkUILink ?? "—"))
            rows.append(("driver log", session.driverLogURL ?? "—"))
        } else {
            rows.append(("session", await sessions.isActive ? "starting" : "none yet (the next cell starts one)"))
        }
        let request = await sessions.overrides.applied(to: CreateSessionRequest(
            proxyUser: config.session.proxyUser, driverMemory: config.session.driverMemory,
            driverCores: config.session.driverCores, executorMemory: config.session.executorMemory,
            executorCores: config.session.executorCores, numExecutors: config.session.numExecutors,
            queue: config.session.queue, conf: config.session.conf.isEmpty ? nil : config.session.conf))
        for (key, value) in Self.describe(request) { rows.append((key, value)) }
        output.display(KeyValueTable.bundle(title: "LivyKernel session", rows: rows))
    }

    /// Session settings as rows, with values of secret-looking keys masked.
    static func describe(_ request: CreateSessionRequest) -> [(String, String)] {
        var rows: [(String, String)] = []
        func add(_ key: String, _ value: (some CustomStringConvertible)?) {
            if let value { rows.append((key, value.description)) }
        }
        add("driverMemory", request.driverMemory)
        add("driverCores", request.driverCores)
        add("executorMemory", request.executorMemory)
        add("executorCores", request.executorCores)
        add("numExecutors", request.numExecutors)
        add("queue", request.queue)
        add("proxyUser", request.proxyUser)
        for (key, value) in (request.conf ?? [:]).sorted(by: { $0.key < $1.key }) {
            rows.append(("conf " + key, isSecret(key) ? "********" : value))
        }
        return rows
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

    func cleanUp(output: OutputPublisher) async throws {
        let current = await sessions.current?.id
        let prefix = await sessions.sessionNamePrefix
        var deleted: [String] = []
        do {
            let list = try await api.sessions(from: 0, size: 1000)
            for session in list.sessions where session.id != current && session.name?.hasPrefix(prefix) == true {
                try await api.deleteSession(id: session.id)
                deleted.append("\(session.id) (\(session.name ?? ""), \(session.state))")
            }
        } catch {
            throw LivyRequestFailed(error: error)
        }
        output.stream(.stdout, deleted.isEmpty
            ? "No other sessions of \(user) to delete.\n"
            : "Deleted \(deleted.count) session(s) of \(user): " + deleted.joined(separator: ", ") + "\n")
    }

    func deleteSession(_ id: Int, output: OutputPublisher) async throws {
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

/// `%%help`.
enum MagicHelp {
    static let rows: [(String, String, String)] = [
        ("%%sql [-n ROWS] [-q] [-o NAME] [--chart bar|line|point|area --x COL --y COL]",
         "Spark SQL; several statements separated by ;, each result shown", "%%sql -n 20\nUSE sales; SELECT * FROM orders"),
        ("%%pyspark", "run this cell as PySpark in the same Spark session", "%%pyspark\nspark.range(5).show()"),
        ("%%scala", "run this cell as Scala in the same Spark session", "%%scala\nspark.range(5).count()"),
        ("%%configure [-f]", "session settings as JSON; -f restarts a running session", #"%%configure -f\n{"driverMemory": "2g"}"#),
        ("%%info", "Livy URL, session, state, Spark UI link, settings", "%%info"),
        ("%%logs", "the session's driver log", "%%logs"),
        ("%%cleanup", "delete your other LivyKernel sessions", "%%cleanup"),
        ("%%delete -s ID", "delete Livy session ID", "%%delete -s 12"),
        ("%set NAME=VALUE, %unset NAME, %vars", "{{ NAME }} variables (also LIVY_VAR_NAME, papermill parameters)",
         "%set day=2024-01-31\n%%sql\nSELECT * FROM t WHERE d = {{ day.sql }}"),
        ("%%help", "this table", "%%help"),
    ]

    static var bundle: MimeBundle {
        let text = rows.map { "\($0.0)\n    \($0.1)" }.joined(separator: "\n")
        var html = "<table class=\"livykernel-table\"><thead><tr><th>magic</th><th>what it does</th><th>example</th></tr></thead><tbody>"
        for (magic, what, example) in rows {
            html += "<tr><td style=\"text-align: left\"><code>\(TableRenderer.escape(magic))</code></td><td style=\"text-align: left\">\(TableRenderer.escape(what))</td>"
                + "<td style=\"text-align: left\"><pre>\(TableRenderer.escape(example))</pre></td></tr>"
        }
        return MimeBundle(data: ["text/plain": .string(text), "text/html": .string(html + "</tbody></table>")])
    }
}
