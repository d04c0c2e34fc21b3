import Foundation
import JupyterProtocol
import KernelCore
import LivyClient
import Logging

/// The kernel's backend over Apache Livy: every cell becomes a statement in the notebook's
/// Livy session.
public final class LivyBackend: ExecutionBackend {
    private let api: any LivyAPI
    private let config: KernelConfiguration
    private let kind: KernelKind
    private let sessions: SessionManager
    private let runner: StatementRunner
    private let cleaner = ErrorCleaner()
    private let logger: Logger

    public init(api: any LivyAPI, config: KernelConfiguration, kind: KernelKind, user: String,
                leases: PortLeaseStore, logger: Logger, schedule: PollSchedule = PollSchedule()) {
        self.api = api
        self.config = config
        self.kind = kind
        self.logger = logger
        self.sessions = SessionManager(api: api, config: config, sessionKind: kind.livyKind, user: user,
                                       leases: leases, logger: logger)
        self.runner = StatementRunner(api: api, schedule: schedule, logger: logger)
    }

    /// Starts the Livy session now when the configuration asks for an eager start.
    public func kernelStarted() async {
        if config.session.eagerStart { await sessions.startInBackground() }
    }

    public func execute(_ cell: CellExecution, output: OutputPublisher) async throws {
        let statementKind = kind.livyKind
        var session = try await sessions.session(output: output)
        let submitted: LivyStatement
        do {
            submitted = try await api.submitStatement(sessionID: session.id, code: cell.code, kind: statementKind)
        } catch {
            guard try await isGone(session.id, after: error) else { throw LivyRequestFailed(error: error) }
            // Tell the user plainly, then carry on in a fresh session.
            output.stream(.stderr, "The Spark session \(session.id) is gone on the Livy server: its variables, "
                + "temporary views and cached data were lost. Starting a new session…\n")
            await sessions.sessionLost(session.id)
            session = try await sessions.session(output: output)
            do {
                submitted = try await api.submitStatement(sessionID: session.id, code: cell.code, kind: statementKind)
            } catch {
                throw LivyRequestFailed(error: error)
            }
        }

        let finished: LivyStatement
        do {
            finished = try await runner.waitForResult(of: submitted, sessionID: session.id, output: output)
        } catch let error as LivyError {
            if try await isGone(session.id, after: error) {
                await sessions.sessionLost(session.id)
                throw SessionLostDuringStatement(sessionID: session.id, state: "gone")
            }
            throw LivyRequestFailed(error: error)
        }
        try show(finished, output: output)
    }

    private func show(_ statement: LivyStatement, output: OutputPublisher) throws {
        switch statement.output {
        case .ok(_, let data)?:
            let renderer = OutputRenderer(maxRows: config.sqlMaxRows,
                                          livyRowCap: Int(config.session.conf["livy.rsc.sql.num-rows"] ?? "") ?? 1000)
            for item in renderer.render(data) {
                switch item {
                case .stdout(let text): output.stream(.stdout, text)
                case .display(let bundle): output.display(bundle)
                }
            }
        case let .error(_, ename, evalue, traceback)?:
            logger.info("statement \(statement.id) failed: \(ename): \(evalue)")
            let cleaned = cleaner.clean(ename: ename, evalue: evalue, traceback: traceback)
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
        let empty = CompleteReply(matches: [], cursorStart: cursorPos, cursorEnd: cursorPos)
        // Only Livy's Scala interpreter completes; asking for others costs a round trip for nothing.
        guard kind == .scala, let session = await sessions.current else { return empty }
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(cursorPos, 0), scalars.count)
        let utf16Cursor = String(String.UnicodeScalarView(scalars[..<cursor])).utf16.count
        guard let candidates = try? await api.completion(sessionID: session.id, code: code, kind: kind.livyKind,
                                                         cursor: utf16Cursor) else { return empty }
        var start = cursor
        while start > 0, scalars[start - 1].properties.isAlphabetic || scalars[start - 1].properties.numericType != nil
            || scalars[start - 1] == "_" { start -= 1 }
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
