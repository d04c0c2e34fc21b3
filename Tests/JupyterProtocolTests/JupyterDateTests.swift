import Foundation
import Testing
@testable import JupyterProtocol

@Suite struct JupyterDateTests {
    // Expected strings from Python's datetime.fromtimestamp(t, timezone.utc).isoformat().
    @Test(arguments: [
        (1_746_100_800.123456, "2025-05-01T12:00:00.123456Z"),
        (951_782_400.5, "2000-02-29T00:00:00.500000Z"),
        (0, "1970-01-01T00:00:00.000000Z"),
        (-1, "1969-12-31T23:59:59.000000Z"),
    ])
    func formatsWithMicrosecondsInUTC(seconds: Double, expected: String) {
        #expect(JupyterDate.string(from: Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func roundsMicrosecondsWithoutOverflowingTheSecond() {
        #expect(JupyterDate.string(from: Date(timeIntervalSince1970: 59.9999996)) == "1970-01-01T00:01:00.000000Z")
    }

    @Test func civilDatesAcrossLeapYears() {
        #expect(JupyterDate.civilDate(daysSinceEpoch: 11_016) == (2000, 2, 29))
        #expect(JupyterDate.civilDate(daysSinceEpoch: 20_454) == (2026, 1, 1))
    }
}
