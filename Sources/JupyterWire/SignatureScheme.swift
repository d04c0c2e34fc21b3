/// The message-signing schemes this kernel implements. Jupyter names them `hmac-<hashlib name>`;
/// in practice every client uses `hmac-sha256`, and anything else is refused at start-up
/// rather than guessed at.
public enum SignatureScheme: String, Sendable {
    case hmacSHA256 = "hmac-sha256"

    public init?(_ name: String) {
        self.init(rawValue: name.lowercased())
    }
}
