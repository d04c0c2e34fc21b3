import CZeroMQ
import Foundation
public import Logging

/// The kernel's message sockets (shell, control, stdin, iopub), all owned by one I/O thread.
///
/// The thread only moves bytes: it verifies and hands incoming messages to `onMessage`, and sends
/// what other threads put in the outbox, in the order they put it. Sending everything through one
/// queue is what keeps a reply ahead of the `idle` status that follows it.
public final class WireServer: Sendable {
    public typealias MessageHandler = @Sendable (Channel, WireMessage) -> Void

    private let connection: ConnectionInfo
    private let logger: Logger
    private let outbox: Outbox

    public init(connection: ConnectionInfo, logger: Logger) throws {
        self.connection = connection
        self.logger = logger
        self.outbox = try Outbox()
    }

    /// Binds every socket and starts the I/O thread, which calls `onMessage` for every verified
    /// incoming message (on that thread: it must not block). Throws when a port cannot be bound.
    public func start(onMessage: @escaping MessageHandler) async throws {
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            let thread = Thread { [self] in run(started: started, onMessage: onMessage) }
            thread.name = "wire"
            thread.start()
        }
    }

    /// Queues a message; `message.signature` is filled in on the wire thread.
    public func send(_ message: WireMessage, on channel: Channel) {
        outbox.put(.message(message, channel))
    }

    /// Sends everything queued before this call, closes the sockets (with linger) and ends the thread.
    public func stop() async {
        await withCheckedContinuation { done in outbox.put(.stop(done)) }
    }

    private func run(started: CheckedContinuation<Void, any Error>, onMessage: MessageHandler) {
        let context: ZMQContext
        var sockets: [Channel: ZMQSocket] = [:]
        do throws(ZMQError) {
            context = try ZMQContext()
            for channel in Channel.allCases {
                let socket = try ZMQSocket(context: context, type: channel == .iopub ? ZMQ_PUB : ZMQ_ROUTER)
                try socket.setOption(ZMQ_LINGER, 1000)
                if channel != .iopub {
                    // A client that reconnects with the same identity takes over its old route.
                    try socket.setOption(ZMQ_ROUTER_HANDOVER, 1)
                }
                try socket.bind(connection.endpoint(port: port(of: channel)))
                sockets[channel] = socket
            }
        } catch {
            started.resume(throwing: error)
            return
        }
        started.resume()
        let finished = serve(sockets, onMessage: onMessage)
        sockets.removeAll()  // close every socket before the context is terminated
        _ = context
        finished?.resume()
    }

    /// The poll loop; returns the continuation to resume once the sockets are closed.
    private func serve(_ sockets: [Channel: ZMQSocket], onMessage: MessageHandler) -> CheckedContinuation<Void, Never>? {
        // Control first: an interrupt or shutdown that is waiting is handed to the kernel before the
        // shell requests read in the same pass, as ipykernel gives control priority.
        let incoming: [Channel] = [.control, .shell, .stdin]
        var items = incoming.map { zmq_pollitem_t(socket: sockets[$0]!.handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0) }
        items.append(zmq_pollitem_t(socket: nil, fd: outbox.wakeFD, events: Int16(ZMQ_POLLIN), revents: 0))
        var authenticator = MessageAuthenticator(signer: MessageSigner(key: connection.key))

        while true {
            let ready = zmq_poll(&items, Int32(items.count), -1)
            if ready < 0 {
                let error = ZMQError("zmq_poll")
                if error.isInterruption { continue }
                logger.critical("wire: \(error)")
                return nil
            }
            for (index, channel) in incoming.enumerated() where items[index].revents & Int16(ZMQ_POLLIN) != 0 {
                receive(on: channel, from: sockets[channel]!, authenticator: &authenticator, onMessage: onMessage)
            }
            guard items[incoming.count].revents & Int16(ZMQ_POLLIN) != 0 else { continue }
            for item in outbox.drain() {
                switch item {
                case let .message(message, channel):
                    do throws(ZMQError) {
                        try sockets[channel]!.send(authenticator.sign(message).frames)
                    } catch {
                        logger.error("wire: sending on \(channel.rawValue): \(error)")
                    }
                case let .stop(done):
                    return done
                }
            }
        }
    }

    /// Reads every message waiting on one socket, so a burst does not starve the others.
    private func receive(on channel: Channel, from socket: ZMQSocket, authenticator: inout MessageAuthenticator,
                         onMessage: MessageHandler) {
        repeat {
            let frames: [Data]
            do throws(ZMQError) {
                frames = try socket.receiveMultipart()
            } catch {
                logger.error("wire: receiving on \(channel.rawValue): \(error)")
                return
            }
            do throws(WireError) {
                onMessage(channel, try authenticator.accept(frames: frames))
            } catch {
                logger.warning("wire: dropped a message on \(channel.rawValue): \(error)")
            }
        } while socket.hasPendingInput
    }

    private func port(of channel: Channel) -> Int {
        switch channel {
        case .shell: connection.shellPort
        case .control: connection.controlPort
        case .stdin: connection.stdinPort
        case .iopub: connection.iopubPort
        }
    }
}

extension ZMQSocket {
    /// True when another message can be read without blocking.
    var hasPendingInput: Bool {
        var events: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, ZMQ_EVENTS, &events, &size) == 0 else { return false }
        return events & ZMQ_POLLIN != 0
    }
}
