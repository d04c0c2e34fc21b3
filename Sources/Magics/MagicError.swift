/// A cell whose magics cannot be understood; says what is wrong and what is allowed.
public enum MagicError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCellMagic(name: String)
    case unknownLineMagic(name: String)
    case unterminatedQuote(quote: Character)
    case unknownOption(magic: String, option: String)
    case missingValue(magic: String, option: String)
    case invalidValue(magic: String, option: String, value: String, expected: String)
    case unexpectedArgument(magic: String, argument: String)
    case invalidVariableName(String)
    case invalidAssignment(String)

    public var description: String {
        switch self {
        case .unknownCellMagic(let name):
            "unknown cell magic %%\(name); known: " + MagicCatalog.cellMagics.map { "%%" + $0.name }.joined(separator: ", ")
        case .unknownLineMagic(let name):
            "unknown line magic %\(name); known: " + (MagicCatalog.lineMagics.map(\.name) + MagicCatalog.livyLineMagics).map { "%" + $0 }.joined(separator: ", ")
        case .unterminatedQuote(let quote):
            "unterminated \(quote) quote in the magic's arguments"
        case let .unknownOption(magic, option):
            "%%\(magic) has no option \(option)"
        case let .missingValue(magic, option):
            "%%\(magic) \(option) needs a value"
        case let .invalidValue(magic, option, value, expected):
            "%%\(magic) \(option) \(value): expected \(expected)"
        case let .unexpectedArgument(magic, argument):
            "%\(magic) does not take the argument '\(argument)'"
        case .invalidVariableName(let name):
            "'\(name)' is not a variable name (letters, digits and _, not starting with a digit)"
        case .invalidAssignment(let text):
            "%set expects NAME=VALUE, got '\(text)'"
        }
    }
}
