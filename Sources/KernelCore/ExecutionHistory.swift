public import JupyterProtocol

/// The inputs (and plain-text results) of this kernel's stored executions, answering
/// `history_request`. In memory only: a notebook keeps its own history.
public struct ExecutionHistory: Sendable {
    /// This process's session number in history entries (one per kernel process).
    public static let session = 1

    private var entries: [HistoryEntry] = []
    /// Bounds memory however long the kernel runs; consoles only ever ask for recent lines.
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    public mutating func record(line: Int, input: String, output: String?) {
        entries.append(HistoryEntry(session: Self.session, line: line, input: input, output: output))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    public func answer(_ request: HistoryRequest) -> [HistoryEntry] {
        let selected: [HistoryEntry]
        switch request.access {
        case .tail:
            selected = Array(entries.suffix(max(request.n ?? 10, 0)))
        case .range:
            let session = request.session ?? 0
            // 0 and negative numbers mean "this session" in IPython's numbering.
            guard session <= 0 || session == Self.session else { return [] }
            let start = request.start ?? 1
            let stop = request.stop ?? Int.max
            selected = entries.filter { $0.line >= start && $0.line < stop }
        case .search:
            let pattern = request.pattern ?? "*"
            var matches = entries.filter { Glob.matches(pattern, $0.input) }
            if request.unique {
                var seen = Set<String>()
                matches = matches.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            selected = request.n.map { Array(matches.suffix($0)) } ?? matches
        }
        return request.output ? selected : selected.map {
            HistoryEntry(session: $0.session, line: $0.line, input: $0.input)
        }
    }
}

/// Shell-style glob matching with `*` and `?`, as history search patterns use.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
