import Crypto
public import Foundation

/// Signs and verifies Jupyter messages: HMAC over the four JSON frames exactly as they travel.
///
/// An empty key turns authentication off, as the protocol specifies: signatures are empty and
/// nothing is verified.
public struct MessageSigner: Sendable {
    private let key: SymmetricKey?

    public init(key: String, scheme: SignatureScheme = .hmacSHA256) {
        // The key is used as its UTF-8 bytes, never hex-decoded.
        self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8))
        _ = scheme  // one scheme today; the parameter keeps call sites honest when more arrive
    }

    public var isEnabled: Bool { key != nil }

    /// Lower-case hex HMAC-SHA256 of the parts, or "" when signing is off.
    public func signature(of parts: [Data]) -> String {
        guard let key else { return "" }
        return Self.hex(Self.mac(parts, key: key))
    }

    /// True when `signature` (lower- or upper-case hex) is the HMAC of the parts.
    /// Compared in constant time through swift-crypto's authentication-code check.
    public func isValid(signature: Data, for parts: [Data]) -> Bool {
        guard let key else { return true }
        guard let digest = Self.bytes(fromHex: signature) else { return false }
        let signed = parts.reduce(into: Data()) { $0.append($1) }
        return HMAC<SHA256>.isValidAuthenticationCode(digest, authenticating: signed, using: key)
    }

    private static func mac(_ parts: [Data], key: SymmetricKey) -> HMAC<SHA256>.MAC {
        var hmac = HMAC<SHA256>(key: key)
        for part in parts { hmac.update(data: part) }
        return hmac.finalize()
    }

    private static func hex(_ mac: HMAC<SHA256>.MAC) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in mac {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex; nil for odd lengths or non-hex characters.
    private static func bytes(fromHex hex: Data) -> Data? {
        guard hex.count % 2 == 0 else { return nil }
        var out = Data(capacity: hex.count / 2)
        var high: UInt8 = 0
        for (index, char) in hex.enumerated() {
            let value: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = char - UInt8(ascii: "A") + 10
            default: return nil
            }
            if index % 2 == 0 { high = value << 4 } else { out.append(high | value) }
        }
        return out
    }
}
