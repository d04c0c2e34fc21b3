/// One line of `livy-kernel doctor`'s report: what was checked, the verdict, what was found and,
/// for a failure, how to fix it. Never holds a secret: callers pass URLs through `RedactedURL`.
public struct DoctorLine: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        /// ✓
        case passed
        /// ✗: the kernel would fail here.
        case failed
        /// –: not checked (not applicable, not asked for, or an earlier check failed).
        case skipped

        public var symbol: String {
            switch self {
            case .passed: "✓"
            case .failed: "✗"
            case .skipped: "–"
            }
        }
    }

    /// The check's short name, e.g. "TCP connect".
    public var check: String
    public var verdict: Verdict
    /// What was found, on the same line.
    public var found: String
    /// For a failure: what to do, one instruction per entry.
    public var fix: [String]

    public init(_ check: String, _ verdict: Verdict, _ found: String, fix: [String] = []) {
        self.check = check
        self.verdict = verdict
        self.found = found
        self.fix = fix
    }

    public static func passed(_ check: String, _ found: String) -> DoctorLine { DoctorLine(check, .passed, found) }
    public static func failed(_ check: String, _ found: String, fix: [String]) -> DoctorLine {
        DoctorLine(check, .failed, found, fix: fix)
    }
    public static func skipped(_ check: String, _ why: String) -> DoctorLine { DoctorLine(check, .skipped, why) }

    /// The line as printed: `✓ TCP connect      livy:8998 (12 ms)`, each fix indented below it.
    public var rendered: String {
        let name = check.count < Self.nameWidth ? check + String(repeating: " ", count: Self.nameWidth - check.count) : check + " "
        var text = "\(verdict.symbol) \(name)\(found)"
        for step in fix { text += "\n    fix: \(step)" }
        return text
    }

    static let nameWidth = 17
}

/// The lines of one run; the exit status follows from them.
public struct DoctorReport: Sendable, Equatable {
    public var lines: [DoctorLine] = []

    public init(lines: [DoctorLine] = []) { self.lines = lines }

    public var failed: Bool { lines.contains { $0.verdict == .failed } }

    public var summary: String {
        let failures = lines.filter { $0.verdict == .failed }.map(\.check)
        return failures.isEmpty ? "All checks passed."
            : "\(failures.count) check\(failures.count == 1 ? "" : "s") failed: \(failures.joined(separator: ", "))."
    }
}
