import JSONValues
public import Foundation

/// Every request a kernel can receive on shell or control, with typed content.
public enum Request: Sendable, Equatable {
    case kernelInfo
    case execute(ExecuteRequest)
    case complete(CompleteRequest)
    case inspect(InspectRequest)
    case isComplete(IsCompleteRequest)
    case history(HistoryRequest)
    case commInfo(CommInfoRequest)
    case commOpen(CommOpen)
    /// `comm_msg` / `comm_close` for comms this kernel never opened: ignored, as ipykernel does.
    case commMessage
    case shutdown(ShutdownRequest)
    case interrupt
    /// A reply to an `input_request` (stdin channel).
    case inputReply(InputReply)
    /// A request this kernel does not implement (`debug_request`, `connect_request`, subshells, or
    /// an unknown type): it is logged and gets busy/idle but no reply, as in ipykernel and xeus.
    case unsupported(msgType: String)

    public init(msgType: String, content: Data) throws(ProtocolError) {
        func decode<T: Decodable>(_ type: T.Type) throws(ProtocolError) -> T {
            do {
                return try JSONDecoder().decode(T.self, from: content)
            } catch DecodingError.keyNotFound(let key, _) {
                throw .invalidContent(msgType: msgType, reason: "missing '\(key.stringValue)'")
            } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
                let field = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw .invalidContent(msgType: msgType, reason: "'\(field)' has the wrong type")
            } catch {
                throw .invalidJSON(part: "content")
            }
        }
        switch msgType {
        case "kernel_info_request": _ = try decode(JSONObject.self); self = .kernelInfo
        case "execute_request": self = .execute(try decode(ExecuteRequest.self))
        case "complete_request": self = .complete(try decode(CompleteRequest.self))
        case "inspect_request": self = .inspect(try decode(InspectRequest.self))
        case "is_complete_request": self = .isComplete(try decode(IsCompleteRequest.self))
        case "history_request": self = .history(try decode(HistoryRequest.self))
        case "comm_info_request": self = .commInfo(try decode(CommInfoRequest.self))
        case "comm_open": self = .commOpen(try decode(CommOpen.self))
        case "comm_msg", "comm_close": _ = try decode(JSONObject.self); self = .commMessage
        case "shutdown_request": self = .shutdown(try decode(ShutdownRequest.self))
        case "interrupt_request": _ = try decode(JSONObject.self); self = .interrupt
        case "input_reply": self = .inputReply(try decode(InputReply.self))
        default: _ = try decode(JSONObject.self); self = .unsupported(msgType: msgType)
        }
    }

    /// The reply's `msg_type`, or nil for requests that get none.
    public var replyType: String? {
        switch self {
        case .kernelInfo: "kernel_info_reply"
        case .execute: "execute_reply"
        case .complete: "complete_reply"
        case .inspect: "inspect_reply"
        case .isComplete: "is_complete_reply"
        case .history: "history_reply"
        case .commInfo: "comm_info_reply"
        case .shutdown: "shutdown_reply"
        case .interrupt: "interrupt_reply"
        case .commOpen, .commMessage, .inputReply, .unsupported: nil
        }
    }
}
