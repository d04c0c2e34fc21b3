/// How often and how patiently idempotent requests (GET) are retried after connection errors and
/// 5xx answers. Requests that create something (POST of a session or statement) never are: Livy
/// may have acted on the first attempt, and the user's code would run twice.
public struct RetryPolicy: Sendable, Equatable {
    /// Pauses before the 2nd, 3rd, … attempt; the number of retries is `delays.count`.
    public var delays: [Duration]

    public init(delays: [Duration]) {
        self.delays = delays
    }

    public static let standard = RetryPolicy(delays: [.milliseconds(100), .milliseconds(300), .seconds(1), .seconds(2)])
    public static let never = RetryPolicy(delays: [])
}
