import Foundation
import LivyClient

/// The driver REST APIs of this kernel's sessions, asked for the Spark jobs of one statement.
/// Remembers each session driver's application id, and a driver that could not be used (for
/// `%%info`, and so the cells after it do not each wait for it again).
actor SparkJobsTracker {
    /// One session's driver: a new session may serve its UI at the same address as an old one.
    struct Driver: Hashable, Sendable {
        var sessionID: LivyID
        var url: String
    }

    enum Answer: Sendable {
        case jobs(applicationID: String, [SparkJob])
        /// The driver has not yet said which application it runs (its REST servlet starts on the
        /// first request, which takes seconds on a new JVM).
        case notReady
        /// It failed recently; Livy's progress stands in.
        case unavailable
    }

    /// Made on first use: a kernel whose cells never run long opens no connection for this.
    private let makeTransport: @Sendable () -> any HTTPTransport
    private var transport: (any HTTPTransport)?
    /// The application id asked of each driver, once, in the background.
    private var asking: Set<Driver> = []
    private var applications: [Driver: String] = [:]
    private var failures: [Driver: (error: SparkDriverError, at: ContinuousClock.Instant)] = [:]
    /// Requests sent to each driver (`%%info` shows them; `make bench` reads them there).
    private var requests: [Driver: Int] = [:]
    /// After a failure a driver is left alone this long, then tried again.
    let retryAfter: Duration

    init(retryAfter: Duration = .seconds(30), makeTransport: @escaping @Sendable () -> any HTTPTransport) {
        self.retryAfter = retryAfter
        self.makeTransport = makeTransport
    }

    /// The jobs of job group `group` on `driver`. Never waits for the application id: a cell
    /// that ends while the driver is still starting its REST servlet is not held up by it.
    func jobs(_ driver: Driver, group: String) async -> Answer {
        if recentlyFailed(driver) { return .unavailable }
        guard let application = applications[driver] else {
            prepare(driver)
            return .notReady
        }
        requests[driver, default: 0] += 1
        do throws(SparkDriverError) {
            let jobs = try await client(driver).jobs(applicationID: application).filter { $0.group == group }
            return .jobs(applicationID: application, jobs)
        } catch {
            failures[driver] = (error, .now)
            applications[driver] = nil  // asked again after retryAfter
            return .unavailable
        }
    }

    /// Asks a session's driver for its application id in the background (once), so its REST
    /// servlet is up before a long cell needs it.
    func prepare(_ driver: Driver) {
        guard applications[driver] == nil, !asking.contains(driver), !recentlyFailed(driver) else { return }
        asking.insert(driver)
        requests[driver, default: 0] += 1
        let client = client(driver)
        Task {
            let result: Result<String, SparkDriverError>
            do throws(SparkDriverError) { result = .success(try await client.applicationID()) } catch { result = .failure(error) }
            self.answered(driver, result)
        }
    }

    private func answered(_ driver: Driver, _ result: Result<String, SparkDriverError>) {
        asking.remove(driver)
        switch result {
        case .success(let id): applications[driver] = id
        case .failure(let error): failures[driver] = (error, .now)
        }
    }

    /// For `%%info`: where cells' Spark jobs come from.
    func status(_ driver: Driver?) -> String {
        guard let driver else {
            return "Livy's progress (the driver's UI address is not known, so its REST API cannot be asked)"
        }
        if let failed = failures[driver], ContinuousClock.now - failed.at < retryAfter {
            return "Livy's progress: \(failed.error)"
        }
        if let application = applications[driver] {
            let sent = requests[driver, default: 0]
            return "the driver's REST API at \(driver.url)/api/v1 (application \(application); \(sent) request\(sent == 1 ? "" : "s") so far)"
        }
        return "the driver's REST API at \(driver.url)/api/v1 (its first answer is still awaited)"
    }

    private func recentlyFailed(_ driver: Driver) -> Bool {
        guard let failed = failures[driver] else { return false }
        return ContinuousClock.now - failed.at < retryAfter
    }

    private func client(_ driver: Driver) -> SparkDriverClient {
        if transport == nil { transport = makeTransport() }
        return SparkDriverClient(baseURL: driver.url, transport: transport!)
    }
}
