import Foundation
import JSONValues

/// The driver's own REST API (`/api/v1`, served by its Spark UI), asked for the jobs of a
/// statement. A separate transport from Livy's: the driver needs none of Livy's credentials, and
/// none may leak to it.
public struct SparkDriverClient: Sendable {
    /// `http://host:port` of the driver's UI.
    public let baseURL: String
    private let transport: any HTTPTransport
    private let timeout: Duration

    public init(baseURL: String, transport: any HTTPTransport, timeout: Duration = .seconds(2)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.timeout = timeout
    }

    /// The id of the application the driver runs (a driver UI serves exactly one). The driver
    /// starts its REST servlet on the first request to it, which takes seconds on a new JVM: this
    /// request (the first) may take `firstTimeout`.
    public func applicationID(firstTimeout: Duration = .seconds(20)) async throws(SparkDriverError) -> String {
        guard case .array(let apps) = try await get("/api/v1/applications", timeout: firstTimeout),
              case .string(let id)? = apps.first?["id"] else {
            throw SparkDriverError(url: baseURL, problem: "it lists no application")
        }
        return id
    }

    /// Every job the driver still holds (spark.ui.retainedJobs), in the API's order (newest first).
    public func jobs(applicationID: String) async throws(SparkDriverError) -> [SparkJob] {
        let segment = applicationID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? applicationID
        guard case .array(let items) = try await get("/api/v1/applications/\(segment)/jobs") else {
            throw SparkDriverError(url: baseURL, problem: "its job list is not a JSON array")
        }
        return items.compactMap(SparkJob.init(json:))
    }

    private func get(_ path: String, timeout: Duration? = nil) async throws(SparkDriverError) -> JSONValue {
        let response: HTTPResponse
        do {
            response = try await transport.perform(HTTPRequest(method: .get, url: baseURL + path, timeout: timeout ?? self.timeout))
        } catch {
            throw SparkDriverError(url: baseURL, problem: error.message)
        }
        guard response.status == 200 else {
            throw SparkDriverError(url: baseURL, problem: "HTTP \(response.status) for \(path)")
        }
        do {
            return try JSONParser.parse(response.body)
        } catch {
            throw SparkDriverError(url: baseURL, problem: "\(path) answered what is not JSON")
        }
    }
}

/// The driver's REST API did not answer usably; cells fall back to Livy's progress.
public struct SparkDriverError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var problem: String

    public var description: String { "the driver's REST API at \(url) cannot be used: \(problem)" }
}
