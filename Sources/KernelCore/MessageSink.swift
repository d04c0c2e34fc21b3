public import Foundation
public import JupyterProtocol

/// The channels the kernel core sends on (the transport maps them to sockets).
public enum OutgoingChannel: String, Sendable {
    case shell, control, stdin, iopub
}

/// Where the kernel core's messages go: the transport in production, a recorder in tests.
/// Implementations must keep the order of calls, since a reply has to precede its `idle`.
public protocol MessageSink: Sendable {
    func send(_ message: EncodedMessage, to identities: [Data], on channel: OutgoingChannel)
}
