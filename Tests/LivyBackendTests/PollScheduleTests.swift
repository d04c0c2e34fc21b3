import Testing
@testable import LivyBackend

@Suite struct PollScheduleTests {
    let schedule = PollSchedule()

    @Test func startsFastAndDoublesUpToTheCap() {
        #expect((0..<12).map { schedule.delay(beforePoll: $0) } == [
            .milliseconds(2), .milliseconds(4), .milliseconds(8), .milliseconds(16), .milliseconds(32),
            .milliseconds(64), .milliseconds(128), .milliseconds(256), .milliseconds(512), .seconds(1),
            .seconds(1), .seconds(1),
        ])
        #expect(schedule.delay(beforePoll: 10_000) == .seconds(1))
    }

    @Test func aFiveSecondStatementTakesAtMostFourteenPolls() {
        // With the submitting POST that is at most 15 requests per statement (the bench target).
        #expect(schedule.polls(toObserve: .seconds(5)) <= 14)
    }

    @Test func aQuickStatementIsSeenPromptly() {
        // A 10 ms statement is seen by the poll at 2+4+8 = 14 ms: at most 4 ms late.
        #expect(schedule.polls(toObserve: .milliseconds(10)) == 3)
    }
}
