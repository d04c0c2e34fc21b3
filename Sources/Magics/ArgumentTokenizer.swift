/// Splits a magic's argument string into words the way a shell user expects: whitespace separates,
/// 'single quotes' are literal, "double quotes" allow backslash escapes, and a backslash outside
/// quotes escapes the next character. It reads Unicode scalars, as a shell reads bytes, so a quote
/// or space followed by a combining mark still counts as one.
public enum ArgumentTokenizer {
    public static func split(_ text: Substring) throws(MagicError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.unicodeScalars.makeIterator()
        while let char = iterator.next() {
            switch char {
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    current.unicodeScalars.append(next)
                }
                guard closed else { throw .unterminatedQuote(quote: "'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\", let escaped = iterator.next() {
                        if escaped != "\"" && escaped != "\\" { current.append("\\") }
                        current.unicodeScalars.append(escaped)
                    } else {
                        current.unicodeScalars.append(next)
                    }
                }
                guard closed else { throw .unterminatedQuote(quote: "\"") }
            case "\\":
                inWord = true
                if let escaped = iterator.next() { current.unicodeScalars.append(escaped) }
            default:
                inWord = true
                current.unicodeScalars.append(char)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
