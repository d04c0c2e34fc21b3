import JupyterProtocol
import Testing
@testable import KernelCore

@Suite struct ExecutionHistoryTests {
    var history: ExecutionHistory {
        var history = ExecutionHistory(capacity: 3)
        for (line, input) in ["a = 1", "b = 2", "a = 1", "print(a)"].enumerated() {
            history.record(line: line + 1, input: input, output: line == 3 ? "1" : nil)
        }
        return history
    }

    @Test func keepsOnlyTheMostRecentEntries() {
        #expect(history.answer(HistoryRequest(access: .tail, n: 10)).map(\.line) == [2, 3, 4])
    }

    @Test func rangeIsHalfOpenInThisSession() {
        #expect(history.answer(HistoryRequest(access: .range, session: 0, start: 2, stop: 4)).map(\.line) == [2, 3])
        #expect(history.answer(HistoryRequest(access: .range, session: 7, start: 1, stop: 9)).isEmpty)
    }

    @Test func searchGlobsAndDeduplicates() {
        #expect(history.answer(HistoryRequest(access: .search, pattern: "a*")).map(\.line) == [3])
        #expect(history.answer(HistoryRequest(access: .search, pattern: "?=*")).isEmpty)
        #expect(history.answer(HistoryRequest(access: .search, pattern: "* = ?", unique: true)).map(\.input) == ["b = 2", "a = 1"])
    }

    @Test func outputsOnlyWhenAsked() {
        #expect(history.answer(HistoryRequest(output: true, access: .tail, n: 1)).first?.output == "1")
        #expect(history.answer(HistoryRequest(output: false, access: .tail, n: 1)).first?.output == nil)
    }

    @Test(arguments: [("*", "", true), ("a?c", "abc", true), ("a*c", "abbbc", true), ("a*c", "abcd", false), ("", "x", false)])
    func glob(pattern: String, text: String, matches: Bool) {
        #expect(Glob.matches(pattern, text) == matches)
    }
}
