import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What other threads hand to the wire thread: messages to send, or the request to stop.
enum OutboxItem: Sendable {
    case message(WireMessage, Channel)
    case stop(CheckedContinuation<Void, Never>)
}

/// A queue any thread may fill and only the wire thread drains.
///
/// ZeroMQ sockets must not be shared between threads, so senders never touch a socket: they
/// append here and poke a pipe that the wire thread's `zmq_poll` watches next to its sockets.
final class Outbox: Sendable {
    private let items = Mutex<[OutboxItem]>([])
    /// The read end of the wake-up pipe: readable while items are waiting.
    let wakeFD: Int32
    private let pokeFD: Int32

    init() throws(ZMQError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw ZMQError("pipe", code: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeFD = ends[0]
        pokeFD = ends[1]
    }

    deinit {
        close(wakeFD)
        close(pokeFD)
    }

    func put(_ item: OutboxItem) {
        items.withLock { $0.append(item) }
        // A full pipe (EAGAIN) already means "wake up"; nothing is lost.
        var byte: UInt8 = 1
        _ = write(pokeFD, &byte, 1)
    }

    /// Everything queued so far, in order; resets the wake-up signal.
    func drain() -> [OutboxItem] {
        var buffer = [UInt8](repeating: 0, count: 512)
        while read(wakeFD, &buffer, buffer.count) > 0 {}
        return items.withLock { queued in
            defer { queued.removeAll(keepingCapacity: true) }
            return queued
        }
    }
}
