import Foundation
import LivyClient

/// The driver REST APIs of this kernel's sessions, asked for the Spark jobs of one statement.
/// Remembers each driver's application id, and a driver that could not be used (for `%%info`,
/// and so the cells after it do not each wait for it again).
actor SparkJobsTracker {
    /// Made on first use: a kernel whose cells never run long opens no connection for this.
    private let makeTransport: @Sendable () -> any HTTPTransport
    private var transport: (any HTTPTransport)?
    private var applications: [String: String] = [:]
    private var failures: [String: (error: SparkDriverError, at: ContinuousClock.Instant)] = [:]
    private var lastUsed: String?
    /// After a failure a driver is left alone this long, then tried again.
    let retryAfter: Duration

    init(retryAfter: Duration = .seconds(30), makeTransport: @escaping @Sendable () -> any HTTPTransport) {
        self.retryAfter = retryAfter
        self.makeTransport = makeTransport
    }

    /// The jobs of job group `group` on the driver at `driverURL`, with its application id; nil
    /// when the driver cannot be used now (it failed recently).
    func jobs(driverURL: String, group: String) async -> (applicationID: String, jobs: [SparkJob])? {
        if let failed = failures[driverURL], ContinuousClock.now - failed.at < retryAfter { return nil }
        let client = SparkDriverClient(baseURL: driverURL, transport: transportInUse())
        do throws(SparkDriverError) {
            let application: String
            if let known = applications[driverURL] {
                application = known
            } else {
                application = try await client.applicationID()
                applications[driverURL] = application
            }
            let jobs = try await client.jobs(applicationID: application).filter { $0.group == group }
            failures[driverURL] = nil
            lastUsed = driverURL
            return (application, jobs)
        } catch {
            failures[driverURL] = (error, .now)
            return nil
        }
    }

    /// For `%%info`: where cells' Spark jobs come from.
    func status(driverURL: String?) -> String {
        guard let driverURL else {
            return "Livy's progress (the driver's UI address is not known, so its REST API cannot be asked)"
        }
        if let failed = failures[driverURL] {
            return "Livy's progress: \(failed.error)"
        }
        if applications[driverURL] != nil {
            return "the driver's REST API at \(driverURL)/api/v1"
        }
        return "the driver's REST API at \(driverURL)/api/v1 (not asked yet: only cells running longer than a moment use it)"
    }

    private func transportInUse() -> any HTTPTransport {
        if let transport { return transport }
        let made = makeTransport()
        transport = made
        return made
    }
}
