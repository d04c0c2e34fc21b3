import Foundation

/// The id of a Livy session or statement. Apache Livy numbers them (`0`, `1`, …); Livy-shaped
/// servers such as Lighter use strings (UUIDs). An id is decoded from either JSON shape and
/// encoded back the same way; it prints as its bare value (`7`, `f47ac10b-…`), the way URLs and
/// messages show it.
///
/// Two ids are equal when their printed values are: the server that gave them compares them in
/// its URLs, where `7` and `"7"` are the same id.
public struct LivyID: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The value as the server wrote it.
    public enum Value: Sendable {
        case number(Int)
        case text(String)
    }

    public let value: Value

    public init(_ number: Int) { value = .number(number) }

    public init(integerLiteral number: Int) { value = .number(number) }

    /// A string id exactly as the server gave it.
    public init(text: String) { value = .text(text) }

    /// An id typed by a user or read from text (`%%delete -s ID`, a URL): a number when it is one
    /// written plainly (`12`, not `012`), else the text itself. Nil for an empty or blank text.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let number = Int(trimmed), String(number) == trimmed {
            value = .number(number)
        } else {
            value = .text(trimmed)
        }
    }

    /// The id as a number, for servers that number their ids (Apache Livy); nil for string ids.
    public var number: Int? {
        if case .number(let number) = value { number } else { nil }
    }

    public var description: String {
        switch value {
        case .number(let number): String(number)
        case .text(let text): text
        }
    }

    /// The id as one segment of a URL path (a string id may hold characters a path cannot).
    public var pathSegment: String {
        switch value {
        case .number(let number): String(number)
        case .text(let text): text.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? text
        }
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;"))

    public static func == (lhs: LivyID, rhs: LivyID) -> Bool { lhs.description == rhs.description }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = .number(number)
        } else {
            value = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .number(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }
}
