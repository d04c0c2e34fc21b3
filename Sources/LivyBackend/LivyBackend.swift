public import Foundation
public import JupyterProtocol
public import KernelCore
public import LivyClient
public import Logging
import Magics
import Synchronization

/// The kernel's backend over Apache Livy: every cell becomes one or more statements in the
/// notebook's Livy session. `CellPlanner` decides what a cell does (pure); this type carries the
/// plan out: statements through `SessionStatements`, SQL through `SQLCellRunner`, session magics
/// through `SessionMagics`, and the output through `OutputRenderer`.
public final class LivyBackend: ExecutionBackend {
    let api: any LivyAPI
    let config: KernelConfiguration
    let kind: KernelKind
    let sessions: SessionManager
    let variables: TemplateVariables
    let statements: SessionStatements
    let magics: SessionMagics
    let logger: Logger
    /// Sessions whose server has no completion endpoint.
    private let completionUnsupported = Mutex<Set<LivyID>>([])

    /// `resumeKey` names this notebook's kernel across restarts (Jupyter's connection file): a
    /// session kept at a restart is attached to by the kernel that starts with the same key.
    public convenience init(api: any LivyAPI, config: KernelConfiguration, kind: KernelKind, user: String,
                            leases: PortLeaseStore, logger: Logger, resumeKey: String? = nil,
                            schedule: PollSchedule = PollSchedule(),
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            isProcessAlive: @escaping @Sendable (Int32) -> Bool = PortLeaseStore.processIsAlive) {
        self.init(api: api, config: config, kind: kind, owner: .thisProcess(user: user), leases: leases, logger: logger,
                  resumeKey: resumeKey, schedule: schedule, environment: environment, isProcessAlive: isProcessAlive)
    }

    init(api: any LivyAPI, config: KernelConfiguration, kind: KernelKind, owner: SessionOwner,
         leases: PortLeaseStore, logger: Logger, resumeKey: String?, schedule: PollSchedule, environment: [String: String],
         isProcessAlive: @escaping @Sendable (Int32) -> Bool, recoveryWindow: Duration = .seconds(3),
         followWindow: Duration = .seconds(45),
         driverTransport: @escaping @Sendable () -> any HTTPTransport = { CurlTransport(settings: HTTPSettings(connectTimeout: .seconds(2))) }) {
        self.api = api
        self.config = config
        self.kind = kind
        self.logger = logger
        let resume = resumeKey.map { (ResumeStore(directory: leases.directory.appendingPathComponent("resume")), $0) }
        sessions = SessionManager(api: api, config: config, sessionKind: kind.livyKind, owner: owner,
                                  leases: leases, logger: logger, resume: resume)
        variables = TemplateVariables(environment: environment)
        let jobs = config.sparkUI.showJobs ? SparkJobsTracker(makeTransport: driverTransport) : nil
        statements = SessionStatements(api: api, sessions: sessions,
                                       runner: StatementRunner(api: api, schedule: schedule, logger: logger,
                                                               followWindow: followWindow),
                                       recoveryWindow: recoveryWindow,
                                       jobs: jobs,
                                       historyURL: config.sparkUI.historyURL)
        magics = SessionMagics(api: api, sessions: sessions, kind: kind, owner: owner, isProcessAlive: isProcessAlive, jobs: jobs)
    }

    public var languageInfo: LanguageInfo { kind.languageInfo }

    public func isComplete(_ code: String) async -> IsCompleteReply { kind.isComplete(code) }

    /// Attaches to the session kept at a restart, or starts one now when the configuration asks
    /// for an eager start.
    public func kernelStarted() async {
        await sessions.kernelStarted()  // returns at once: kernel_info is never kept waiting
    }

    public func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        let plan = try CellPlanner.plan(cell.code, kind: kind, variables: variables.all)
        variables.replaceAll(with: plan.variables)
        for step in plan.steps {
            try await run(step, output: output)
        }
    }

    private func run(_ step: CellStep, output: OutputPublisher) async throws {
        switch step {
        case .showVariables(let values):
            output.display(VariablesTable.bundle(values))
        case .showSparkUI(let height):
            try await magics.showSparkUI(height: height, output: output)
        case .warn(let text):
            output.stream(.stderr, text)
        case let .code(code, statementKind):
            let finished = try await statements.run(code, kind: statementKind, output: output, mayReplaceLostSession: true)
            try show(finished, renderer: await renderer(), output: output)
        case let .sql(sqlStatements, options):
            try await SQLCellRunner(executor: statements, renderer: await renderer(), output: output)
                .run(sqlStatements, options: options)
        case let .configure(settings, force):
            try await magics.configure(settings, force: force, output: output)
        case .info:
            try await magics.showInfo(output: output)
        case .logs:
            try await magics.showLogs(output: output)
        case .cleanup:
            try await magics.cleanUp(output: output)
        case .delete(let id):
            try await magics.delete(id, output: output)
        case .listSessions:
            try await magics.listSessions(output: output)
        case .attach(let id):
            try await magics.attach(id, output: output)
        case .help:
            output.display(MagicHelp.bundle)
        }
    }

    /// Rows are cut at the configured maximum, and Livy cuts them at the session's
    /// `livy.rsc.sql.num-rows` (docs/livy-rest.md §3.8), which the renderer names in its note.
    private func renderer() async -> OutputRenderer {
        let cap = await sessions.settings.conf?["livy.rsc.sql.num-rows"].flatMap { Int($0) }
        return OutputRenderer(maxRows: config.sqlMaxRows, livyRowCap: cap ?? 1000)
    }

    private func show(_ statement: LivyStatement, renderer: OutputRenderer, output: OutputPublisher) throws {
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

    public func complete(code: String, cursorPos: Int) async -> CompleteReply {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(cursorPos, 0), scalars.count)
        if let local = LocalCompletion.complete(scalars: scalars, cursor: cursor, variables: Array(variables.all.keys)) {
            return local
        }
        let empty = CompleteReply(matches: [], cursorStart: cursor, cursorEnd: cursor)
        // Only a running session completes: a keystroke never starts one.
        guard let request = RemoteCompletion.request(scalars: scalars, cursor: cursor, kernel: kind),
              let session = await sessions.current,
              !completionUnsupported.withLock({ $0.contains(session.id) }) else { return empty }
        do {
            let candidates = try await api.completion(sessionID: session.id, code: request.code,
                                                      kind: request.livyKind, cursor: request.cursor)
            return RemoteCompletion.reply(candidates: candidates, scalars: scalars, cursor: cursor)
        } catch {
            // No candidates is the answer a frontend shows quietly; a server without the
            // endpoint is not asked again for this session.
            logger.debug("completion in session \(session.id) failed: \(error)")
            if case .http(let status, _, _) = error, [404, 405, 501].contains(status) {
                completionUnsupported.withLock { _ = $0.insert(session.id) }
            }
            return empty
        }
    }

    /// Deletes the session, or keeps it for the next kernel process on a restart (unless
    /// `session.keep_on_restart` is off).
    public func shutdown(restart: Bool) async {
        await sessions.shutdown(keep: restart && config.session.keepOnRestart)
    }
}
