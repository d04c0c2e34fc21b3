import Foundation
import JupyterProtocol
import LivyClient

/// Follows the Spark jobs of one running statement on its driver and shows them under the cell.
/// Nothing is asked of the driver before `delay` (a quick cell costs no request), then at most
/// one request per `interval`; when the statement has finished, one last look turns the table into
/// the summary that stays in the notebook.
struct SparkJobsWatch: Sendable {
    let tracker: SparkJobsTracker
    /// The session's driver: `http://host:port` of its UI, as the driver named it (or as configured).
    let driver: SparkJobsTracker.Driver
    /// The proxied UI link (`/spark/{user}/{port}/`) the rows link into.
    let uiLink: String?
    let historyURL: String?
    var interval: Duration = .milliseconds(500)
    /// How long the final look waits for jobs the driver still lists as running (its listener
    /// lags the action that finished them by a few milliseconds).
    var settleWithin: Duration = .seconds(1)

    /// What following found: the application id once the driver answered.
    enum Outcome: Sendable { case notStarted, unavailable, followed(applicationID: String) }
    // `.unavailable` also covers a driver that had not yet answered at all: no summary then.

    /// Runs until cancelled (the statement finished) or the driver cannot be used.
    func follow(group: String, display: ProgressDisplay, delay: Duration) async -> Outcome {
        do { try await Task.sleep(for: delay) } catch { return .notStarted }
        var outcome = Outcome.unavailable
        while !Task.isCancelled {
            switch await tracker.jobs(driver, group: group) {
            case .unavailable:
                return outcome
            case .notReady:
                break
            case let .jobs(application, jobs):
                outcome = .followed(applicationID: application)
                // The statement may have finished while the driver answered: its summary follows.
                if !jobs.isEmpty && !Task.isCancelled {
                    display.showJobs(renderer(group, application).live(jobs, now: Self.nowMilliseconds()))
                }
            }
            do { try await Task.sleep(for: interval) } catch { break }
        }
        return outcome
    }

    /// After the statement finished: the summary bundle, or nil when it ran no Spark job.
    func summary(group: String, applicationID: String, elapsed: Duration) async -> MimeBundle? {
        let deadline = ContinuousClock.now + settleWithin
        var latest: [SparkJob] = []
        while true {
            guard case .jobs(_, let jobs) = await tracker.jobs(driver, group: group) else { break }
            latest = jobs
            if latest.allSatisfy(\.isFinished) || ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return latest.isEmpty ? nil : renderer(group, applicationID).summary(latest, elapsed: elapsed)
    }

    private func renderer(_ group: String, _ applicationID: String) -> SparkJobsRenderer {
        SparkJobsRenderer(context: .init(statementID: group, applicationID: applicationID, uiLink: uiLink, historyURL: historyURL))
    }

    static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
