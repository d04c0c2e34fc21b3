public import Foundation
public import JupyterProtocol

/// A decoded request with what is needed to answer it: the routing identities of its sender and
/// the channel it came on.
public struct IncomingRequest: Sendable {
    public let channel: OutgoingChannel
    public let identities: [Data]
    public let message: ReceivedMessage

    public init(channel: OutgoingChannel, identities: [Data], message: ReceivedMessage) {
        self.channel = channel
        self.identities = identities
        self.message = message
    }

    public var request: Request { message.request }
}
