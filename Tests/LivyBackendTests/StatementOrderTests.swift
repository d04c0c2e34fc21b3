import Foundation
import LivyClient
import Testing
@testable import LivyBackend

/// Which statements came after the last one seen: by number for Livy's ids, by place in Livy's
/// list for string ids.
@Suite struct StatementOrderTests {
    func statements(_ ids: [LivyID]) -> [LivyStatement] { ids.map { LivyStatement(id: $0, state: .available) } }

    @Test func numberedStatementsAreNewerByNumber() {
        let list = statements([3, 4, 5])
        #expect(StatementOrder.statements(list, after: 4).map(\.id) == [5])
        #expect(StatementOrder.statements(list, after: 9).isEmpty, "nothing newer than the newest seen")
        #expect(StatementOrder.statements(list, after: 1).map(\.id) == [3, 4, 5])
        #expect(StatementOrder.statements(list, after: nil).map(\.id) == [3, 4, 5])
        #expect(StatementOrder.newer(of: 7, and: 5) == 7)
        #expect(StatementOrder.newer(of: nil, and: 5) == 5)
    }

    @Test func stringStatementsAreNewerByTheirPlaceInLivysList() {
        let (a, b, c) = (LivyID(text: "f3"), LivyID(text: "0a"), LivyID(text: "c9"))
        let list = statements([a, b, c])
        #expect(StatementOrder.statements(list, after: b).map(\.id) == [c], "not by string order: '0a' < 'c9' < 'f3'")
        #expect(StatementOrder.statements(list, after: c).isEmpty)
        #expect(StatementOrder.statements(list, after: LivyID(text: "gone")).map(\.id) == [a, b, c],
                "a seen statement Livy no longer lists is older than every listed one")
        #expect(StatementOrder.newer(of: c, and: a) == a, "the one just submitted")
    }
}

/// Ids in the files the kernel writes: the resume record and the Spark UI lease.
@Suite struct StoredIDTests {
    @Test func aLeaseOrResumeFileWithAnIntegerIdStillReads() throws {
        let lease = try JSONDecoder().decode(SparkUIRecord.self, from: Data(
            #"{"user": "alice", "port": 5100, "pid": 42, "livy_url": "http://livy", "session_id": 3}"#.utf8))
        #expect(lease.sessionID == 3 && lease.sessionID?.number == 3)
        let resume = try JSONDecoder().decode(ResumeStore.Record.self, from: Data(
            #"{"sessionID": 3, "sessionName": "livykernel-alice-0000beef", "livyURL": "http://livy"}"#.utf8))
        #expect(resume.sessionID == 3)
    }

    @Test func aStringIdIsWrittenAndReadBackAsAString() throws {
        let id = LivyID(text: "0f8fad5b-d9cb-469f-a165-70867728950e")
        let record = SparkUIRecord(user: "alice", port: 5100, pid: 42, livyURL: "http://lighter", sessionID: id)
        let data = try JSONEncoder().encode(record)
        #expect(String(decoding: data, as: UTF8.self).contains(#""session_id":"0f8fad5b-d9cb-469f-a165-70867728950e""#))
        #expect(try JSONDecoder().decode(SparkUIRecord.self, from: data) == record)

        let store = ResumeStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lk-\(UUID().uuidString)"))
        let kept = ResumeStore.Record(sessionID: id, sessionName: "livykernel-alice-0000beef", livyURL: "http://lighter", uiPort: nil)
        store.save(kept, key: "kernel-1.json")
        #expect(store.take(key: "kernel-1.json") == kept)
    }
}
