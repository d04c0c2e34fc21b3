import JSONValues
import Foundation
import Testing
@testable import JupyterProtocol

@Suite struct MessageEncoderTests {
    let encoder = MessageEncoder(session: "kernel-session", newID: { "fixed-id" },
                                 now: { Date(timeIntervalSince1970: 1_746_100_800.25) })

    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func headerHasTheSixFieldsAndOurSession() throws {
        let message = encoder.encode(msgType: "status", content: KernelStatus(.idle), parent: nil)
        let header = try object(message.header)
        #expect(header.count == 6)
        #expect(header["msg_id"] as? String == "fixed-id")
        #expect(header["session"] as? String == "kernel-session")
        #expect(header["msg_type"] as? String == "status")
        #expect(header["version"] as? String == "5.3")
        #expect(header["date"] as? String == "2025-05-01T12:00:00.250000Z")
        #expect(message.parentHeader == Data("{}".utf8))
        #expect(message.metadata == Data("{}".utf8))
        #expect(try object(message.content)["execution_state"] as? String == "idle")
    }

    @Test func parentHeaderIsTheRequestHeaderVerbatim() throws {
        // Field order, spacing and fields we do not model (subshell_id) must all survive.
        let raw = Data(#"{"msg_type": "kernel_info_request", "msg_id": "abc", "subshell_id": null}"#.utf8)
        let request = try ReceivedMessage(header: raw, metadata: Data("{}".utf8), content: Data("{}".utf8))
        let reply = encoder.encode(msgType: "kernel_info_reply", content: CommInfoReply(), parent: request)
        #expect(reply.parentHeader == raw)
    }

    @Test func executeRepliesCarryTheFieldsSchemasRequire() throws {
        let ok = try object(encoder.encode(msgType: "execute_reply",
                                           content: ExecuteReply(executionCount: 3, outcome: .ok), parent: nil).content)
        #expect(ok["status"] as? String == "ok")
        #expect(ok["execution_count"] as? Int == 3)
        #expect((ok["payload"] as? [Any])?.isEmpty == true)
        #expect((ok["user_expressions"] as? [String: Any])?.isEmpty == true)

        let failure = ErrorContent(ename: "E", evalue: "v", traceback: ["E: v"])
        let error = try object(encoder.encode(msgType: "execute_reply",
                                              content: ExecuteReply(executionCount: 4, outcome: .error(failure)),
                                              parent: nil).content)
        #expect(error["status"] as? String == "error")
        #expect(error["execution_count"] as? Int == 4)
        #expect(error["ename"] as? String == "E")
        #expect(error["traceback"] as? [String] == ["E: v"])
    }

    @Test func nonFiniteNumbersDoNotBreakEncoding() throws {
        let bundle = MimeBundle(data: ["text/plain": "nan", "application/json": .double(.nan)])
        let message = encoder.encode(msgType: "display_data", content: DisplayData(bundle), parent: nil)
        let data = try #require(try object(message.content)["data"] as? [String: Any])
        #expect(data["application/json"] as? String == "NaN")
    }

    @Test func displayDataKeepsSlashesAndTransient() throws {
        let message = encoder.encode(msgType: "update_display_data",
                                     content: DisplayData(.plainText("50%"), displayID: "p1"), parent: nil)
        let text = String(decoding: message.content, as: UTF8.self)
        #expect(text.contains(#""text/plain""#))
        let transient = try #require(try object(message.content)["transient"] as? [String: Any])
        #expect(transient["display_id"] as? String == "p1")
    }

    @Test func isCompleteReplyHasIndentOnlyWhenIncomplete() throws {
        let complete = try object(encoder.encode(msgType: "is_complete_reply",
                                                 content: IsCompleteReply(status: .complete), parent: nil).content)
        #expect(complete.keys.sorted() == ["status"])
        let incomplete = try object(encoder.encode(msgType: "is_complete_reply",
                                                   content: IsCompleteReply(status: .incomplete, indent: "  "),
                                                   parent: nil).content)
        #expect(incomplete["indent"] as? String == "  ")
    }

    @Test func historyEntriesAreTriples() throws {
        let reply = HistoryReply(history: [HistoryEntry(session: 1, line: 2, input: "a"),
                                           HistoryEntry(session: 1, line: 3, input: "b", output: "out")])
        let history = try #require(try object(encoder.encode(msgType: "history_reply", content: reply, parent: nil).content)["history"] as? [[Any]])
        #expect(history[0].count == 3 && history[0][2] as? String == "a")
        #expect(history[1][2] as? [String] == ["b", "out"])
    }
}
