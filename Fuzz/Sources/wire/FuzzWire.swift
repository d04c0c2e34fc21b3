// Fuzz target: JupyterWire's framing (WireMessage(frames:)) and MessageAuthenticator.accept.
//
// Input: one flags byte, then the frames separated by 0xFE.
//   bit 0: a connection key is set (signatures are checked), else authentication is off;
//   bit 1: replace the signature frame by the correct HMAC of the four JSON frames;
//   bit 2: with bit 1, write that HMAC in upper-case hex (also valid).
// Properties:
// - the split is exactly "identities, <IDS|MSG>, signature, 4 JSON frames, buffers" at the
//   first delimiter, and `frames` gives back the input frames;
// - accept() succeeds exactly when the frames split and (with a key) the signature is the
//   HMAC in hex of either case; errors say which of those failed;
// - a message accepted once is refused as a replay when it comes again, whatever the case of
//   its signature's hex digits.
import Foundation
import FuzzSupport
import JupyterWire

let key = "a0436f6c-1916-498b-8eb9-e81ab9368e84"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard let flags = input.first else { return 0 }
    var frames = parts(Array(input.dropFirst())).map { Data($0) }
    let signer = MessageSigner(key: flags & 1 != 0 ? key : "")
    var authenticator = MessageAuthenticator(signer: signer)

    let delimiter = frames.firstIndex(of: WireMessage.delimiter)
    if let delimiter, flags & 2 != 0, frames.count - delimiter > 5 {
        let signature = signer.signature(of: Array(frames[(delimiter + 2)...(delimiter + 5)]))
        frames[delimiter + 1] = Data((flags & 4 != 0 ? signature.uppercased() : signature).utf8)
    }

    // Framing, against the split written out by hand.
    let message: WireMessage
    do {
        message = try WireMessage(frames: frames)
    } catch {
        guard let delimiter else {
            check(error == .missingDelimiter, "no delimiter, yet \(error)")
            return 0
        }
        check(error == .tooFewFrames(count: frames.count - delimiter - 1), "\(frames.count) frames: \(error)")
        return 0
    }
    guard let delimiter else {
        check(false, "split frames without a delimiter")
        return 0
    }
    check(message.identities == Array(frames[..<delimiter]), "identities")
    check(message.signature == frames[delimiter + 1], "signature frame")
    check(message.signedParts == Array(frames[(delimiter + 2)...(delimiter + 5)]), "JSON frames")
    check(message.buffers == Array(frames[(delimiter + 6)...]), "buffers")
    check(message.frames == frames, "frames do not round-trip")

    // Authentication, against the HMAC computed here.
    let expected = Data(signer.signature(of: message.signedParts).utf8)
    let valid = !signer.isEnabled || asciiLowercased(message.signature) == expected
    do {
        let accepted = try authenticator.accept(frames: frames)
        check(valid, "accepted a bad signature \(show(message.signature))")
        check(accepted == message, "accept() split differently")
    } catch {
        check(!valid, "refused a good message: \(error)")
        check(error == .badSignature, "bad signature reported as \(error)")
        return 0
    }
    guard signer.isEnabled else { return 0 }
    for variant in [message.signature, asciiLowercased(message.signature), asciiUppercased(message.signature)] {
        var replay = message
        replay.signature = variant
        do {
            _ = try authenticator.accept(frames: replay.frames)
            check(false, "replay accepted with signature \(show(variant))")
        } catch {
            check(error == .replayedSignature, "replay refused as \(error)")
        }
    }
    check(authenticator.sign(message).signature == expected, "sign() differs from the HMAC")
    return 0
}

func asciiLowercased(_ data: Data) -> Data {
    Data(data.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 })
}

func asciiUppercased(_ data: Data) -> Data {
    Data(data.map { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) ? $0 - 32 : $0 })
}
