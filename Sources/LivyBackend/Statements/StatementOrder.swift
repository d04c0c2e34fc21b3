import LivyClient

/// Which of a session's statements came later. Apache Livy numbers statements 0, 1, 2, … in the
/// order it creates them, so a higher number is newer. String ids (Lighter's UUIDs) carry no
/// order: there the position in Livy's statement list, which is in creation order, tells.
enum StatementOrder {
    /// The statements of `list` (Livy's list, oldest first) created after `seen`; all of them
    /// when nothing was seen yet, or when `seen` is a string id no longer listed (Livy keeps the
    /// last statements only, so every listed one came after it).
    static func statements(_ list: [LivyStatement], after seen: LivyID?) -> [LivyStatement] {
        guard let seen else { return list }
        if let seenNumber = seen.number, list.allSatisfy({ $0.id.number != nil }) {
            return list.filter { ($0.id.number ?? .min) > seenNumber }
        }
        guard let position = list.lastIndex(where: { $0.id == seen }) else { return list }
        return Array(list[list.index(after: position)...])
    }

    /// The newer of a session's last seen statement and one just submitted: the higher number
    /// for numbered ids; else the one just submitted (a session's statements are submitted one
    /// at a time, each after the last).
    static func newer(of seen: LivyID?, and submitted: LivyID) -> LivyID {
        if let seenNumber = seen?.number, let submittedNumber = submitted.number {
            return LivyID(max(seenNumber, submittedNumber))
        }
        return submitted
    }
}
