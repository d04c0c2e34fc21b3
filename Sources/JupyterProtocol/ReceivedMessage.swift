public import JSONValues
public import Foundation

/// A request as received: its parsed header, the header's exact bytes (echoed as the
/// `parent_header` of everything it causes, so fields we do not model survive), and its
/// content, decoded into a typed `Request`.
public struct ReceivedMessage: Sendable {
    public let header: MessageHeader
    public let rawHeader: Data
    public let metadata: JSONObject
    public let request: Request

    public init(header: Data, metadata: Data, content: Data) throws(ProtocolError) {
        let decoder = JSONDecoder()
        do {
            self.header = try decoder.decode(MessageHeader.self, from: header)
        } catch DecodingError.keyNotFound(let key, _) {
            throw .invalidHeader(reason: "missing '\(key.stringValue)'")
        } catch {
            throw .invalidJSON(part: "header")
        }
        guard let metadata = try? decoder.decode(JSONObject.self, from: metadata) else {
            throw .invalidJSON(part: "metadata")
        }
        self.rawHeader = header
        self.metadata = metadata
        self.request = try Request(msgType: self.header.msgType, content: content)
    }
}
