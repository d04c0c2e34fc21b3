import JSONValues
import Synchronization
import Foundation
import JupyterProtocol
import KernelCore
import LivyClient
import Logging

/// Runs one statement in a ready session: submits it, polls it on the `PollSchedule`, shows Spark's
/// progress for anything that runs longer than a moment, cancels it on interrupt, and returns it
/// finished.
struct StatementRunner: Sendable {
    let api: any LivyAPI
    let schedule: PollSchedule
    let logger: Logger
    /// How long to keep following a submitted statement while Livy does not answer its polls
    /// (a restarting proxy, an overloaded server): the statement may be running all along, and
    /// giving up early would leave the user unsure whether to run the cell again.
    var followWindow: Duration = .seconds(45)
    /// Statements finishing sooner show no progress bar (no flicker for quick cells).
    var progressAfter: Duration = .seconds(1)
    /// How long to wait for Livy to confirm a cancel before giving the cell back.
    var cancelGrace: Duration = .seconds(10)

    /// Polls the submitted statement until it is final. Throws `CancellationError` after cancelling
    /// it on the server when the calling task is cancelled (interrupt); `StatementFollowLost` when
    /// Livy stays silent for the follow window; `SessionLostDuringStatement` when the session is
    /// found gone.
    /// With `jobs`, the statement's Spark jobs are shown under the cell (from the driver's REST
    /// API) instead of Livy's one progress number, and summarised when it has finished.
    func waitForResult(of submitted: LivyStatement, sessionID: LivyID, output: OutputPublisher,
                       jobs: SparkJobsWatch? = nil) async throws -> LivyStatement {
        let started = ContinuousClock.now
        let progress = ProgressDisplay(output: output)
        let group = submitted.id.description  // Livy runs statement N in Spark job group "N"
        let follower = jobs.map { watch in
            Task { await watch.follow(group: group, display: progress, delay: progressAfter) }
        }
        let finished: LivyStatement
        do {
            finished = try await poll(submitted, sessionID: sessionID, output: output, progress: progress, started: started)
        } catch {
            // Awaited, so that nothing updates the cell's display after this.
            follower?.cancel()
            _ = await follower?.value
            progress.finish()
            throw error
        }
        var summary: MimeBundle?
        if let follower, let jobs {
            follower.cancel()
            if case .followed(let application) = await follower.value {
                summary = await jobs.summary(group: group, applicationID: application, elapsed: ContinuousClock.now - started)
            }
        }
        progress.finish(summary: summary)
        return finished
    }

    private func poll(_ submitted: LivyStatement, sessionID: LivyID, output: OutputPublisher, progress: ProgressDisplay,
                      started: ContinuousClock.Instant) async throws -> LivyStatement {
        var statement = submitted
        var poll = 0
        /// Since when, and why, Livy has not answered; and whether it ever failed to (a session
        /// missing after an outage went with a Livy restart).
        var outage: (since: ContinuousClock.Instant, error: LivyError)?
        var longestOutage: Duration?
        while !statement.state.isFinal {
            do {
                try await Task.sleep(for: schedule.delay(beforePoll: poll))
            } catch {
                await cancel(statement.id, sessionID: sessionID, output: output)
                throw CancellationError()
            }
            poll += 1
            let polled: LivyStatement
            do {
                polled = try await api.statement(sessionID: sessionID, statementID: statement.id)
            } catch {
                switch error {
                case .sessionNotFound, .http(404, _, _):
                    // The session is gone, or the statement this kernel submitted is not in it:
                    // the id names another session now (Livy restarted and numbered a new one the same).
                    throw SessionLostDuringStatement(sessionID: sessionID, state: "deleted",
                                                     afterOutage: outage.map { ContinuousClock.now - $0.since } ?? longestOutage)
                case .authentication, .tls:
                    throw error  // settings, not an outage: following longer will not help
                case .unreachable, .answerLost, .http, .invalidResponse:
                    if case .http(let status, _, _) = error, status < 500 { throw error }
                    let since = outage?.since ?? .now
                    if outage == nil {
                        logger.warning("lost contact with Livy while following statement \(statement.id): \(error)")
                        output.stream(.stderr, Self.outageNote(statement.id, sessionID: sessionID, error: error, window: followWindow))
                    }
                    outage = (since, error)
                    let waited = ContinuousClock.now - since
                    if waited >= followWindow {
                        throw StatementFollowLost(sessionID: sessionID, statementID: statement.id, error: error, waited: waited)
                    }
                    continue
                }
            }
            if let lost = outage {
                longestOutage = max(longestOutage ?? .zero, ContinuousClock.now - lost.since)
                outage = nil
                output.stream(.stderr, "Livy answers again; still following statement \(statement.id).\n")
            }
            statement = polled
            // Livy forgets its sessions when it restarts and numbers new ones from 0 again: a
            // statement with other code is someone else's, so this session is gone.
            if let sent = submitted.code, let found = statement.code, found != sent {
                throw SessionLostDuringStatement(sessionID: sessionID, state: "deleted", afterOutage: longestOutage)
            }
            // Only Spark work has progress to show: code that runs no job (or has not started
            // one yet) gets no bar, and an error cell stays one error.
            if ContinuousClock.now - started >= progressAfter && !statement.state.isFinal && statement.progress > 0 {
                progress.show(statement.progress, state: statement.state)
            }
        }
        logger.debug("statement \(statement.id) done after \(poll) polls")
        return statement
    }

    static func outageNote(_ statementID: LivyID, sessionID: LivyID, error: LivyError, window: Duration) -> String {
        "⚠ Lost contact with Livy while statement \(statementID) runs in session \(sessionID) (\(error)). "
            + "It was sent once and may still be running: asking again for up to \(window.components.seconds) s…\n"
    }

    /// Asks Livy to cancel and waits (briefly, ignoring the caller's cancellation) until it has,
    /// saying in the cell what takes long: Livy stops a statement by cancelling its Spark jobs,
    /// and a new session's first job can take seconds to reach Spark.
    private func cancel(_ statementID: LivyID, sessionID: LivyID, output: OutputPublisher) async {
        let api = self.api, grace = self.cancelGrace, logger = self.logger
        // A fresh task: the interrupted one can no longer sleep or wait.
        await Task {
            do {
                try await api.cancelStatement(sessionID: sessionID, statementID: statementID)
            } catch {
                logger.warning("cancelling statement \(statementID) failed: \(error)")
                output.stream(.stderr, "⚠ Livy did not take the cancel of statement \(statementID) (\(error)): it may still be running.\n")
                return
            }
            let asked = ContinuousClock.now
            var told = false
            while ContinuousClock.now - asked < grace {
                guard let state = try? await api.statement(sessionID: sessionID, statementID: statementID).state,
                      !state.isFinal else { return }
                if !told && ContinuousClock.now - asked >= .seconds(1) {
                    told = true
                    output.stream(.stderr, "Stopping statement \(statementID): Livy cancels its Spark jobs as soon as Spark has "
                                  + "them (a new session's first job can take several seconds to start)…\n")
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
            logger.warning("statement \(statementID) still not cancelled after \(grace)")
            output.stream(.stderr, "⚠ Statement \(statementID) is still running on Livy after \(grace.components.seconds) s. Livy goes "
                          + "on cancelling its Spark jobs (code that runs none cannot be stopped and is reported cancelled "
                          + "after livy.rsc.job-cancel.timeout); the next cell waits behind it.\n")
        }.value
    }
}

/// What runs under the cell while a statement runs: Livy's progress bar, or the statement's
/// Spark jobs once the driver has listed them. One display, updated in place (the bar at most 4
/// times a second, the jobs table at most twice), and turned before the cell's reply into a
/// summary (a finished cell should not show a stale 87 %).
final class ProgressDisplay: Sendable {
    private enum Shown { case nothing, bar(percent: Int), jobs }
    private let output: OutputPublisher
    private let displayID = UUID().uuidString
    private let started = ContinuousClock.now
    private let state = Mutex<(shown: Shown, lastUpdate: ContinuousClock.Instant)>((.nothing, .now))

    init(output: OutputPublisher) {
        self.output = output
    }

    func show(_ progress: Double, state statementState: StatementState) {
        let percent = Int((min(max(progress, 0), 1) * 100).rounded(.down))
        let bundle = Self.bundle(percent: percent, state: statementState.rawValue)
        state.withLock { current in
            switch current.shown {
            case .nothing:
                output.display(bundle, displayID: displayID)
            case .bar(let shown) where shown != percent && ContinuousClock.now - current.lastUpdate >= .milliseconds(250):
                output.updateDisplay(bundle, displayID: displayID)
            default:
                return  // the same percentage, too soon, or the jobs table (which says more)
            }
            current = (.bar(percent: percent), .now)
        }
    }

    func showJobs(_ bundle: MimeBundle) {
        state.withLock { current in
            switch current.shown {
            case .nothing:
                output.display(bundle, displayID: displayID)
            case .bar:
                output.updateDisplay(bundle, displayID: displayID)
            case .jobs:
                guard ContinuousClock.now - current.lastUpdate >= .milliseconds(450) else { return }
                output.updateDisplay(bundle, displayID: displayID)
            }
            current = (.jobs, .now)
        }
    }

    /// `summary`: the finished statement's jobs; without one, a bar shown becomes its duration.
    func finish(summary: MimeBundle? = nil) {
        state.withLock { current in
            if let summary {
                if case .nothing = current.shown {
                    output.display(summary, displayID: displayID)
                } else {
                    output.updateDisplay(summary, displayID: displayID)
                }
                current.shown = .jobs
                return
            }
            if case .nothing = current.shown { return }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let text = String(format: "Spark: finished in %.1f s", seconds)
            output.updateDisplay(MimeBundle(data: [
                "text/plain": .string(text),
                "text/html": .string("<div class=\"livykernel-progress\"><small>\(text)</small></div>"),
            ]), displayID: displayID)
        }
    }

    static func bundle(percent: Int, state: String) -> MimeBundle {
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return MimeBundle(data: [
            "text/plain": .string("Spark: \(bar) \(percent)% (\(state))"),
            "text/html": .string("<div class=\"livykernel-progress\"><progress max=\"100\" value=\"\(percent)\"></progress> \(percent)% <small>\(state)</small></div>"),
        ])
    }
}
