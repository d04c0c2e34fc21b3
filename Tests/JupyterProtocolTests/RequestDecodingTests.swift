import JSONValues
import Foundation
import Testing
@testable import JupyterProtocol

@Suite struct RequestDecodingTests {
    func decode(_ type: String, _ content: String) throws -> Request {
        try Request(msgType: type, content: Data(content.utf8))
    }

    @Test func executeRequestWithJupyterClientDefaults() throws {
        let request = try decode("execute_request", #"{"code": "1+1", "silent": false, "store_history": true, "user_expressions": {}, "allow_stdin": true, "stop_on_error": true}"#)
        #expect(request == .execute(ExecuteRequest(code: "1+1", allowStdin: true)))
        #expect(request.replyType == "execute_reply")
    }

    @Test func executeRequestDefaultsFollowIpykernel() throws {
        guard case .execute(let request) = try decode("execute_request", #"{"code": "x"}"#) else {
            Issue.record("not an execute request"); return
        }
        #expect(request.stopOnError && !request.allowStdin && request.storeHistory && !request.silent)
    }

    @Test func silentNeverStoresHistory() throws {
        guard case .execute(let request) = try decode("execute_request", #"{"code": "x", "silent": true, "store_history": true}"#) else {
            Issue.record("not an execute request"); return
        }
        #expect(!request.storeHistory)
    }

    @Test func everySupportedType() throws {
        #expect(try decode("kernel_info_request", "{}") == .kernelInfo)
        #expect(try decode("complete_request", #"{"code": "sp", "cursor_pos": 2}"#) == .complete(CompleteRequest(code: "sp", cursorPos: 2)))
        #expect(try decode("inspect_request", #"{"code": "sp", "cursor_pos": 1, "detail_level": 1}"#)
                == .inspect(InspectRequest(code: "sp", cursorPos: 1, detailLevel: 1)))
        #expect(try decode("is_complete_request", #"{"code": "x"}"#) == .isComplete(IsCompleteRequest(code: "x")))
        #expect(try decode("history_request", #"{"hist_access_type": "tail", "n": 3, "output": false, "raw": true}"#)
                == .history(HistoryRequest(access: .tail, n: 3)))
        #expect(try decode("comm_info_request", #"{"target_name": "jupyter.widget"}"#) == .commInfo(CommInfoRequest(targetName: "jupyter.widget")))
        #expect(try decode("comm_open", #"{"comm_id": "c", "target_name": "t", "data": {}}"#) == .commOpen(CommOpen(commID: "c", targetName: "t")))
        #expect(try decode("comm_msg", #"{"comm_id": "c", "data": {}}"#) == .commMessage)
        #expect(try decode("shutdown_request", #"{"restart": true}"#) == .shutdown(ShutdownRequest(restart: true)))
        #expect(try decode("interrupt_request", "{}") == .interrupt)
        #expect(try decode("input_reply", #"{"value": "y"}"#) == .inputReply(InputReply(value: "y")))
    }

    @Test func unknownTypesAreUnsupportedAndGetNoReply() throws {
        let request = try decode("debug_request", #"{"command": "initialize"}"#)
        #expect(request == .unsupported(msgType: "debug_request"))
        #expect(request.replyType == nil)
    }

    @Test func badContentNamesTheProblem() {
        #expect(throws: ProtocolError.invalidContent(msgType: "execute_request", reason: "missing 'code'")) {
            try decode("execute_request", "{}")
        }
        #expect(throws: ProtocolError.invalidContent(msgType: "execute_request", reason: "'code' has the wrong type")) {
            try decode("execute_request", #"{"code": 42}"#)
        }
        #expect(throws: ProtocolError.invalidJSON(part: "content")) { try decode("kernel_info_request", "{oops") }
        #expect(throws: ProtocolError.invalidJSON(part: "content")) { try decode("kernel_info_request", "[]") }
        #expect(throws: ProtocolError.invalidJSON(part: "content")) { try decode("interrupt_request", "") }
    }

    @Test func headersNeedAnIDAndAType() {
        let meta = Data("{}".utf8), content = Data("{}".utf8)
        #expect(throws: ProtocolError.invalidHeader(reason: "missing 'msg_id'")) {
            try ReceivedMessage(header: Data(#"{"msg_type": "kernel_info_request"}"#.utf8), metadata: meta, content: content)
        }
        #expect(throws: ProtocolError.invalidJSON(part: "header")) {
            try ReceivedMessage(header: Data("not json".utf8), metadata: meta, content: content)
        }
        #expect(throws: ProtocolError.invalidJSON(part: "metadata")) {
            try ReceivedMessage(header: Data(#"{"msg_id": "1", "msg_type": "kernel_info_request"}"#.utf8),
                                metadata: Data("[]".utf8), content: content)
        }
    }

    @Test func jsonValuesRoundTrip() throws {
        let text = #"{"a":[1,2.5,"x",true,null,{"b":{}}]}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == ["a": [1, .double(2.5), "x", true, nil, ["b": [:]]]])
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(again == value)
    }
}
