import CZeroMQ

/// A libzmq call failed; carries the call and libzmq's own explanation of errno.
public struct ZMQError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    init(_ operation: String, code: Int32 = zmq_errno()) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation) failed: \(String(cString: zmq_strerror(code)))"
    }

    /// The context was terminated: a blocking call was woken for shutdown.
    var isTermination: Bool { code == ETERM }
    /// A signal interrupted a blocking call; the call is simply retried.
    var isInterruption: Bool { code == EINTR }
}
