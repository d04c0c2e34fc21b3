import CZeroMQ
import Foundation

/// A libzmq context. Not Sendable on purpose: each thread in this kernel makes its own, so no
/// ZeroMQ object is ever shared between threads.
final class ZMQContext {
    let handle: UnsafeMutableRawPointer

    init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.handle = handle
    }

    deinit {
        // Blocks until every socket of this context flushed within its linger time.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// One ZeroMQ socket, owned by the thread that created it.
final class ZMQSocket {
    let handle: UnsafeMutableRawPointer
    // Keeps the context alive at least as long as the socket.
    private let context: ZMQContext

    init(context: ZMQContext, type: Int32) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type) else { throw ZMQError("zmq_socket") }
        self.handle = handle
        self.context = context
    }

    deinit {
        zmq_close(handle)
    }

    func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError("zmq_setsockopt(\(option))")
        }
    }

    func bind(_ endpoint: String) throws(ZMQError) {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("bind \(endpoint)") }
    }

    /// Receives one whole multipart message, blocking until it arrives.
    func receiveMultipart() throws(ZMQError) -> [Data] {
        var frames: [Data] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        repeat {
            while zmq_msg_recv(&message, handle, 0) < 0 {
                let error = ZMQError("zmq_msg_recv")
                guard error.isInterruption else { throw error }
            }
            let size = zmq_msg_size(&message)
            frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(&message), count: size))
        } while zmq_msg_more(&message) == 1
        return frames
    }

    /// Sends frames as one multipart message.
    func send(_ frames: [Data]) throws(ZMQError) {
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            var result: Int32 = 0
            repeat {
                result = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            } while result < 0 && zmq_errno() == EINTR
            if result < 0 { throw ZMQError("zmq_send") }
        }
    }
}
