public import Foundation

/// Turns received frames into an authenticated `WireMessage`, and signs outgoing ones.
///
/// Holds the replay history, so it is mutable state: exactly one owner (the wire thread) uses it.
public struct MessageAuthenticator: Sendable {
    private let signer: MessageSigner
    private var history: SignatureHistory

    public init(signer: MessageSigner, historyCapacity: Int = 1 << 16) {
        self.signer = signer
        self.history = SignatureHistory(capacity: historyCapacity)
    }

    /// Parses and verifies received frames; throws the reason to drop them.
    public mutating func accept(frames: [Data]) throws(WireError) -> WireMessage {
        let message = try WireMessage(frames: frames)
        guard signer.isEnabled else { return message }
        guard signer.isValid(signature: message.signature, for: message.signedParts) else {
            throw .badSignature
        }
        // Remembered as lower-case hex: the same signature in other letter cases is the same replay.
        guard history.insert(Self.lowercasedHex(message.signature)) else { throw .replayedSignature }
        return message
    }

    private static func lowercasedHex(_ signature: Data) -> Data {
        Data(signature.map { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) ? $0 + 0x20 : $0 })
    }

    /// Fills in the signature of a message about to be sent.
    public func sign(_ message: WireMessage) -> WireMessage {
        var signed = message
        signed.signature = Data(signer.signature(of: message.signedParts).utf8)
        return signed
    }
}
