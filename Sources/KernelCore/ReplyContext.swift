import JSONValues
import Foundation
import JupyterProtocol

/// Sends everything caused by one request: its reply to the requester, and iopub messages with
/// the request as parent. Handlers never build headers themselves, so they cannot get them wrong.
struct ReplyContext: Sendable {
    let incoming: IncomingRequest
    let encoder: MessageEncoder
    let sink: any MessageSink

    func reply(_ content: some Encodable, metadata: JSONObject = [:]) {
        guard let type = incoming.request.replyType else { return }
        let message = encoder.encode(msgType: type, content: content, parent: incoming.message, metadata: metadata)
        sink.send(message, to: incoming.identities, on: incoming.channel)
    }

    func publish(_ msgType: String, _ content: some Encodable) {
        let message = encoder.encode(msgType: msgType, content: content, parent: incoming.message)
        sink.send(message, to: [], on: .iopub)
    }

    func status(_ state: KernelStatus.State) {
        publish("status", KernelStatus(state))
    }
}
