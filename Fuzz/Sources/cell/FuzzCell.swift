// Fuzz target: CellParser.parse (cells as users type them) and ArgumentTokenizer.split.
//
// Properties:
// - never crashes; parse and split are deterministic (same input, same result or error);
// - the body is the cell from line `bodyLine` on, unchanged;
// - %set / %unset names are identifiers;
// - every line of the cell's arguments splits into words that, quoted back with single quotes
//   (`'` written as '\''), split again into the same words.
import FuzzSupport
import Magics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let cell = String(decoding: bytes(data, size), as: UTF8.self)
    let first = Result { () throws(MagicError) in try CellParser.parse(cell) }
    let second = Result { () throws(MagicError) in try CellParser.parse(cell) }
    check(first == second, "parse is not deterministic for \(show(cell))")

    if case .success(let parsed) = first {
        let lines = cell.split(separator: "\n", omittingEmptySubsequences: false)
        check(parsed.bodyLine >= 1, "bodyLine \(parsed.bodyLine)")
        let expected = parsed.bodyLine - 1 < lines.count ? lines[(parsed.bodyLine - 1)...].joined(separator: "\n") : ""
        check(parsed.body == expected, "body \(show(parsed.body)) is not the cell from line \(parsed.bodyLine)")
        for magic in parsed.lineMagics {
            switch magic {
            case .set(let name, _), .unset(let name):
                check(CellParser.isIdentifier(name), "variable name \(show(name))")
            case .vars: break
            case .sparkUI(let height):
                check((100...4000).contains(height), "%spark_ui height \(height) outside 100-4000")
            }
        }
    }

    for line in cell.split(separator: "\n") {
        let words = Result { () throws(MagicError) in try ArgumentTokenizer.split(line) }
        check(words == Result { () throws(MagicError) in try ArgumentTokenizer.split(line) }, "split is not deterministic")
        guard case .success(let words) = words else { continue }
        let quoted = words.map(singleQuoted).joined(separator: " ")
        let again = try? ArgumentTokenizer.split(quoted[...])
        check(again == words, "words \(words.map(show)) quoted as \(show(quoted)) split into \(again.map { $0.map(show) } ?? ["error"])")
    }
    return 0
}

/// The word in single quotes, each `'` (a scalar, whatever follows it) written as '\''.
func singleQuoted(_ word: String) -> String {
    var out = "'"
    for scalar in word.unicodeScalars {
        if scalar == "'" { out += "'\\''" } else { out.unicodeScalars.append(scalar) }
    }
    return out + "'"
}
