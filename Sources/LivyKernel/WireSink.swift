import Foundation
import JupyterProtocol
import JupyterWire
import KernelCore

/// Hands the kernel core's messages to the wire thread, which signs and sends them in order.
struct WireSink: MessageSink {
    let server: WireServer
    /// iopub topic prefix; clients subscribe to everything, so the topic is informational.
    let topicPrefix: String

    func send(_ message: EncodedMessage, to identities: [Data], on channel: OutgoingChannel) {
        let routing = channel == .iopub ? [Data("\(topicPrefix).\(message.msgType)".utf8)] : identities
        let wire = WireMessage(identities: routing, header: message.header, parentHeader: message.parentHeader,
                               metadata: message.metadata, content: message.content)
        server.send(wire, on: Channel(channel))
    }
}

extension Channel {
    init(_ channel: OutgoingChannel) {
        switch channel {
        case .shell: self = .shell
        case .control: self = .control
        case .stdin: self = .stdin
        case .iopub: self = .iopub
        }
    }
}

extension OutgoingChannel {
    init(_ channel: Channel) {
        switch channel {
        case .shell: self = .shell
        case .control: self = .control
        case .stdin: self = .stdin
        case .iopub: self = .iopub
        }
    }
}
