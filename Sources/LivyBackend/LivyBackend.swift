import Foundation
import JupyterProtocol
import KernelCore
import LivyClient
import Logging
import Magics

/// The kernel's backend over Apache Livy: every cell becomes one or more statements in the
/// notebook's Livy session. The pipeline: parse magics → apply line magics → render `{{ }}`
/// templates → plan statements (SQL is split) → run them → render their output.
public final class LivyBackend: ExecutionBackend {
    let api: any LivyAPI
    let config: KernelConfiguration
    let kind: KernelKind
    let user: String
    let sessions: SessionManager
    let variables: TemplateVariables
    private let runner: StatementRunner
    let logger: Logger

    public init(api: any LivyAPI, config: KernelConfiguration, kind: KernelKind, user: String,
                leases: PortLeaseStore, logger: Logger, schedule: PollSchedule = PollSchedule(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.api = api
        self.config = config
        self.kind = kind
        self.user = user
        self.logger = logger
        self.sessions = SessionManager(api: api, config: config, sessionKind: kind.livyKind, user: user,
                                       leases: leases, logger: logger)
        self.variables = TemplateVariables(environment: environment)
        self.runner = StatementRunner(api: api, schedule: schedule, logger: logger)
    }

    /// Starts the Livy session now when the configuration asks for an eager start.
    public func kernelStarted() async {
        if config.session.eagerStart { await sessions.startInBackground() }
    }

    public func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        let parsed: ParsedCell
        do {
            parsed = try CellParser.parse(cell.code)
        } catch {
            throw CellNotUnderstood(error)
        }
        for magic in parsed.lineMagics {
            applyLineMagic(magic, output: output)
        }
        var body = parsed.body
        if let parameters = ParameterCell.parse(body) {
            variables.merge(parameters)
            // A papermill parameters cell is Python: the SQL kernel only takes its values.
            if kind == .sql && parsed.cellMagic == nil { return }
        }
        switch parsed.cellMagic {
        case nil where kind == .sql:
            try await runSQL(body, options: SQLOptions(), firstLine: parsed.bodyLine, output: output)
        case nil:
            body = try template(body, mode: .code)
            try await runCode(body, kind: kind.livyKind, output: output)
        case .sql(let options)?:
            try await runSQL(body, options: options, firstLine: parsed.bodyLine, output: output)
        case .pyspark?:
            try await runCode(try template(body, mode: .code), kind: "pyspark", output: output)
        case .scala?:
            try await runCode(try template(body, mode: .code), kind: "spark", output: output)
        case .configure(let force)?:
            try await configure(body, force: force, output: output)
        case .info?:
            try await showInfo(output: output)
        case .logs?:
            try await showLogs(output: output)
        case .cleanup?:
            try await cleanUp(output: output)
        case .delete(let id)?:
            try await deleteSession(id, output: output)
        case .help?:
            output.display(MagicHelp.bundle)
        }
    }

    private func applyLineMagic(_ magic: LineMagic, output: OutputPublisher) {
        switch magic {
        case let .set(name, value):
            variables.set(name, value)
        case .unset(let name):
            if !variables.unset(name) { output.stream(.stderr, "%unset: \(name) was not set\n") }
        case .vars:
            output.display(VariablesTable.bundle(variables.all))
        }
    }

    private func template(_ text: String, mode: CellTemplate.Mode) throws -> String {
        do {
            return try CellTemplate.render(text, variables: variables.all, mode: mode)
        } catch {
            throw CellNotUnderstood(error)
        }
    }

    private func runCode(_ code: String, kind statementKind: String, output: OutputPublisher) async throws {
        guard !code.allSatisfy(\.isWhitespace) else { return }
        let finished = try await runStatement(code, kind: statementKind, output: output, mayReplaceLostSession: true)
        try show(finished, output: output)
    }

    private func runSQL(_ body: String, options: SQLOptions, firstLine: Int, output: OutputPublisher) async throws {
        let text = try template(body, mode: .sql)
        let statements: [SQLStatement]
        do {
            statements = try SQLSplitter.split(text, firstLine: firstLine)
        } catch {
            throw CellNotUnderstood(error)
        }
        guard !statements.isEmpty else { return }
        try await SQLCellRunner(backend: self, renderer: renderer, output: output).run(statements, options: options)
    }

    var renderer: OutputRenderer {
        OutputRenderer(maxRows: config.sqlMaxRows,
                       livyRowCap: Int(config.session.conf["livy.rsc.sql.num-rows"] ?? "") ?? 1000)
    }

    /// Runs one statement to its end in the notebook's session (starting one if needed). When the
    /// session turns out to be gone and `mayReplaceLostSession`, the user is told plainly and the
    /// statement runs in a new session.
    func runStatement(_ code: String, kind statementKind: String, output: OutputPublisher,
                      mayReplaceLostSession: Bool) async throws -> LivyStatement {
        var session = try await sessions.session(output: output)
        let submitted: LivyStatement
        do {
            submitted = try await api.submitStatement(sessionID: session.id, code: code, kind: statementKind)
        } catch {
            guard try await isGone(session.id, after: error) else { throw LivyRequestFailed(error: error) }
            await sessions.sessionLost(session.id)
            guard mayReplaceLostSession else {
                throw SessionLostDuringStatement(sessionID: session.id, state: "gone")
            }
            output.stream(.stderr, "The Spark session \(session.id) is gone on the Livy server: its variables, "
                + "temporary views and cached data were lost. Starting a new session…\n")
            session = try await sessions.session(output: output)
            do {
                submitted = try await api.submitStatement(sessionID: session.id, code: code, kind: statementKind)
            } catch {
                throw LivyRequestFailed(error: error)
            }
        }
        do {
            return try await runner.waitForResult(of: submitted, sessionID: session.id, output: output)
        } catch let error as LivyError {
            if try await isGone(session.id, after: error) {
                await sessions.sessionLost(session.id)
                throw SessionLostDuringStatement(sessionID: session.id, state: "gone")
            }
            throw LivyRequestFailed(error: error)
        }
    }

    private func show(_ statement: LivyStatement, output: OutputPublisher) throws {
        switch statement.output {
        case .ok(_, let data)?:
            for item in renderer.render(data) {
                switch item {
                case .stdout(let text): output.stream(.stdout, text)
                case .display(let bundle): output.display(bundle)
                }
            }
        case let .error(_, ename, evalue, traceback)?:
            logger.info("statement \(statement.id) failed: \(ename): \(evalue)")
            let cleaned = ErrorCleaner().clean(ename: ename, evalue: evalue, traceback: traceback)
            throw StatementFailed(ename: cleaned.ename, evalue: cleaned.evalue, details: cleaned.traceback)
        case nil:
            if statement.state == .cancelled { throw StatementCancelled(statementID: statement.id) }
        }
    }

    /// After a failed request: is the session gone (deleted, expired, dead)? Other failures are not
    /// about the session and are reported as they are.
    private func isGone(_ sessionID: Int, after error: LivyError) async throws -> Bool {
        switch error {
        case .sessionNotFound:
            return true
        case .unreachable:
            return false
        case .http, .invalidResponse:
            do {
                return try await api.sessionState(id: sessionID).isFinal
            } catch .sessionNotFound {
                return true
            } catch {
                return false
            }
        }
    }

    public func complete(code: String, cursorPos: Int) async -> CompleteReply {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(cursorPos, 0), scalars.count)
        if let local = LocalCompletion.complete(scalars: scalars, cursor: cursor, variables: Array(variables.all.keys)) {
            return local
        }
        let empty = CompleteReply(matches: [], cursorStart: cursor, cursorEnd: cursor)
        // Only Livy's Scala interpreter completes; asking for others costs a round trip for nothing.
        guard kind == .scala, let session = await sessions.current else { return empty }
        let utf16Cursor = String(String.UnicodeScalarView(scalars[..<cursor])).utf16.count
        guard let candidates = try? await api.completion(sessionID: session.id, code: code, kind: kind.livyKind,
                                                         cursor: utf16Cursor) else { return empty }
        let start = LocalCompletion.wordStart(scalars: scalars, cursor: cursor)
        return CompleteReply(matches: candidates, cursorStart: start, cursorEnd: cursor)
    }

    public func shutdown(restart: Bool) async {
        await sessions.shutdown()
    }
}

extension KernelKind {
    /// The Livy statement kind of this kernel's plain cells.
    var livyKind: String {
        switch self {
        case .pyspark: "pyspark"
        case .scala: "spark"
        case .sql: "sql"
        }
    }
}
