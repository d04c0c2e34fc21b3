// Fuzz target: SQLSplitter.split (the statements of %%sql cells and SQL-kernel cells).
//
// Properties:
// - never crashes; statements are non-empty, trimmed, and their lines lie within the cell,
//   in order;
// - split-then-join: the statements joined with "\n;\n" split back into the same statements
//   (a newline before the `;` because a statement may end in a `-- comment`);
// - firstLine never crashes and is a line of the statement.
import FuzzSupport
import Magics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let firstLine = Int(input.first ?? 0) % 4 + 1
    let sql = String(decoding: input, as: UTF8.self)
    guard let statements = try? SQLSplitter.split(sql, firstLine: firstLine) else { return 0 }

    let lastLine = firstLine + sql.unicodeScalars.count(where: { $0 == "\n" })
    var previous = firstLine
    for statement in statements {
        check(!statement.text.isEmpty, "empty statement from \(show(sql))")
        check(statement.text.first?.isWhitespace == false && statement.text.last?.isWhitespace == false,
              "untrimmed statement \(show(statement.text))")
        check(statement.line >= previous && statement.line <= lastLine,
              "statement line \(statement.line) outside \(previous)...\(lastLine) in \(show(sql))")
        previous = statement.line
        let line = statement.firstLine
        check(statement.text.contains(line), "firstLine \(show(line)) not in \(show(statement.text))")
    }

    let texts = statements.map(\.text)
    let joined = texts.joined(separator: "\n;\n")
    let again = try? SQLSplitter.split(joined).map(\.text)
    check(again == texts, "\(texts.map(show)) joined split into \(again.map { $0.map(show) } ?? ["error"])")
    return 0
}
