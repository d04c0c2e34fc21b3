// Fuzz target: JupyterProtocol's decoding of received messages (ReceivedMessage, Request).
//
// Input: header, metadata and content JSON frames separated by 0xFE (missing frames are `{}`);
// a fourth part, if any, is a msg_type for decoding the content directly.
// Properties:
// - never crashes; errors are ProtocolError;
// - an accepted message keeps its header bytes verbatim, and its request is what
//   Request(msgType:content:) decodes on its own;
// - execute_request: store_history is never true for a silent request;
// - a reply to it encodes (MessageEncoder never traps), with the request's header as parent and
//   its metadata echoed, and the metadata frame parses back (JSONParser) to the same value.
import Foundation
import FuzzSupport
import JSONValues
import JupyterProtocol

let messageTypes = ["kernel_info_request", "execute_request", "complete_request", "inspect_request",
                    "is_complete_request", "history_request", "comm_info_request", "comm_open", "comm_msg",
                    "comm_close", "shutdown_request", "interrupt_request", "input_reply", "debug_request"]
let encoder = MessageEncoder(session: "fuzz", newID: { "id" }, now: { Date(timeIntervalSince1970: 0) })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let frames = parts(bytes(data, size))
    let header = Data(frames[0])
    let metadata = frames.count > 1 ? Data(frames[1]) : Data("{}".utf8)
    let content = frames.count > 2 ? Data(frames[2]) : Data("{}".utf8)

    if frames.count > 3 {
        let msgType = String(decoding: frames[3], as: UTF8.self)
        _ = try? Request(msgType: msgType, content: content)
    } else {
        _ = try? Request(msgType: messageTypes[size % messageTypes.count], content: content)
    }

    guard let message = try? ReceivedMessage(header: header, metadata: metadata, content: content) else { return 0 }
    check(message.rawHeader == header, "header bytes not kept")
    let again = try? Request(msgType: message.header.msgType, content: content)
    check(again == message.request, "request decoded differently on its own")
    if case .execute(let execute) = message.request {
        check(!(execute.silent && execute.storeHistory), "silent request stored in history")
    }

    let reply = encoder.encode(msgType: "status", content: ["execution_state": "busy"] as JSONObject,
                               parent: message, metadata: message.metadata)
    check(reply.parentHeader == header, "parent header is not the request's header")
    if !message.metadata.isEmpty {
        guard let echoed = try? JSONParser.parse(reply.metadata) else {
            check(false, "metadata frame does not parse: \(show(reply.metadata))")
            return 0
        }
        check(sameValue(echoed, .object(message.metadata)), "metadata changed: \(message.metadata) -> \(echoed)")
    }
    return 0
}

/// Equal, with numbers compared by value (JSONEncoder writes 1.0 as 1).
func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case let (.int(x), .double(y)), let (.double(y), .int(x)): Double(x) == y
    case let (.array(x), .array(y)): x.count == y.count && zip(x, y).allSatisfy(sameValue)
    case let (.object(x), .object(y)):
        x.count == y.count && x.allSatisfy { key, value in y[key].map { sameValue(value, $0) } ?? false }
    default: a == b
    }
}
