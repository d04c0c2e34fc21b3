/// When to ask Livy about a running statement: quickly at first, since most cells finish in
/// milliseconds and every poll interval is latency the user waits for, then backing off so a
/// long job costs about one request a second.
///
/// With the defaults a statement of 5 s is polled 13 times (2 ms doubling up to 1 s), and one of
/// 10 ms is seen finished at most ~6 ms late.
public struct PollSchedule: Sendable, Equatable {
    public var initial: Duration
    public var factor: Int
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(2), factor: Int = 2, maximum: Duration = .seconds(1)) {
        precondition(factor >= 1 && initial > .zero && maximum >= initial, "a poll schedule must not shrink")
        self.initial = initial
        self.factor = factor
        self.maximum = maximum
    }

    /// The pause before poll number `index` (0-based).
    public func delay(beforePoll index: Int) -> Duration {
        var delay = initial
        for _ in 0..<index {
            delay *= factor
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    /// How many polls a statement of `duration` needs before one sees it finished.
    public func polls(toObserve duration: Duration) -> Int {
        var elapsed = Duration.zero
        var polls = 0
        repeat {
            elapsed += delay(beforePoll: polls)
            polls += 1
        } while elapsed < duration
        return polls
    }
}
