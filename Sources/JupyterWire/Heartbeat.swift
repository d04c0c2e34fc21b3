import CZeroMQ
import Foundation
public import Logging
import Synchronization

/// Echoes heartbeat pings on a thread of its own, with its own ZeroMQ context, so the kernel
/// looks alive whatever the shell or a Livy call is doing.
public final class Heartbeat: Sendable {
    private let endpoint: String
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    public init(endpoint: String, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
    }

    /// Binds the socket and starts echoing; throws when the endpoint cannot be bound.
    public func start() async throws {
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            let thread = Thread { [self] in run(started: started) }
            thread.name = "heartbeat"
            thread.start()
        }
    }

    /// Asks the echo loop to end; it notices within one poll interval.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func run(started: CheckedContinuation<Void, any Error>) {
        let socket: ZMQSocket
        do {
            let context = try ZMQContext()
            socket = try ZMQSocket(context: context, type: ZMQ_REP)
            try socket.setOption(ZMQ_LINGER, 0)
            try socket.bind(endpoint)
        } catch {
            started.resume(throwing: error)
            return
        }
        started.resume()
        var item = zmq_pollitem_t(socket: socket.handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0)
        while !stopped.load(ordering: .relaxed) {
            let ready = zmq_poll(&item, 1, 250)
            guard ready > 0 else { continue }
            do throws(ZMQError) {
                try socket.send(try socket.receiveMultipart())
            } catch {
                logger.error("heartbeat: \(error)")
                if error.isTermination { return }
            }
        }
    }
}
