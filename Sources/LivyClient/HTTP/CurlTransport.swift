import CCurl
import Foundation
import Synchronization

/// HTTP over libcurl on threads of its own, one per `HTTPRequest.Lane`.
///
/// Each lane has one easy handle, owned by its thread, that serves the lane's requests in turn: it
/// keeps the connection to Livy alive between polls and keeps the SPNEGO cookie, so Kerberos costs
/// one round trip per lane rather than one per request. The control lane carries cancels, deletes
/// and heartbeats, so they are never queued behind a poll that hangs until its timeout; the
/// completion lane keeps a slow completer out of both. Blocking transfers never run on Swift's
/// cooperative pool.
public final class CurlTransport: HTTPTransport {
    private let queues: [HTTPRequest.Lane: JobQueue] = Dictionary(
        uniqueKeysWithValues: HTTPRequest.Lane.allCases.map { ($0, JobQueue()) })

    public init(settings: HTTPSettings) {
        _ = CurlTransport.initializeLibrary
        // One token for every lane: a refresh on one is seen by all.
        let token: BearerToken? = if case .bearer(let source) = settings.authentication { BearerToken(source: source) } else { nil }
        for (lane, queue) in queues {
            let name = lane == .main ? "livy-http" : "livy-http-\(lane)"
            let thread = Thread {
                let easy = CurlEasy(settings: settings, bearer: token)
                while true {
                    let job = queue.next()
                    do {
                        job.done.resume(returning: try easy.perform(job.request))
                    } catch {
                        job.done.resume(throwing: error)
                    }
                }
            }
            thread.name = name
            thread.start()
        }
    }

    /// libcurl's global set-up is not thread-safe: do it once, before any handle exists.
    private static let initializeLibrary: Void = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    public func perform(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        do {
            return try await withCheckedThrowingContinuation { done in
                queues[request.lane]!.append(Job(request: request, done: done))
            }
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw HTTPTransportError(kind: .other, message: "\(error)")
        }
    }
}

private struct Job: Sendable {
    let request: HTTPRequest
    let done: CheckedContinuation<HTTPResponse, any Error>
}

/// Requests waiting for the HTTP thread, in arrival order.
private final class JobQueue: Sendable {
    private let jobs = Mutex<[Job]>([])
    private let available = DispatchSemaphore(value: 0)

    func append(_ job: Job) {
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    /// Blocks the calling (HTTP) thread until a job is queued.
    func next() -> Job {
        while true {
            available.wait()
            if let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return job }
        }
    }
}
