import Foundation
import Testing
@testable import JupyterWire

@Suite struct WireMessageTests {
    let json = ["{\"h\":1}", "{}", "{\"m\":2}", "{\"c\":3}"].map { Data($0.utf8) }

    @Test func splitsIdentitiesAndBuffersAroundTheDelimiter() throws {
        let identities = [Data([0, 1, 2]), Data("client".utf8)]
        let buffers = [Data([0xff, 0x00]), Data()]
        let frames = identities + [WireMessage.delimiter, Data("sig".utf8)] + json + buffers
        let message = try WireMessage(frames: frames)
        #expect(message.identities == identities)
        #expect(message.signature == Data("sig".utf8))
        #expect(message.signedParts == json)
        #expect(message.buffers == buffers)
        #expect(message.frames == frames, "joining gives back the exact frames")
    }

    @Test func noIdentitiesIsFine() throws {
        let message = try WireMessage(frames: [WireMessage.delimiter, Data()] + json)
        #expect(message.identities.isEmpty)
        #expect(message.buffers.isEmpty)
    }

    @Test func usesTheFirstDelimiterOnly() throws {
        // A content frame that happens to equal the delimiter must not confuse the split.
        let frames = [Data("id".utf8), WireMessage.delimiter, Data()] + json.prefix(3) + [WireMessage.delimiter]
        let message = try WireMessage(frames: frames)
        #expect(message.identities == [Data("id".utf8)])
        #expect(message.content == WireMessage.delimiter)
    }

    @Test func missingDelimiterIsAnError() {
        #expect(throws: WireError.missingDelimiter) { try WireMessage(frames: json) }
        #expect(throws: WireError.missingDelimiter) { try WireMessage(frames: []) }
    }

    @Test(arguments: 0..<5)
    func truncatedMessagesAreErrors(kept: Int) {
        let frames = [WireMessage.delimiter] + Array(([Data()] + json).prefix(kept))
        #expect(throws: WireError.tooFewFrames(count: kept)) { try WireMessage(frames: frames) }
    }
}

@Suite struct MessageAuthenticatorTests {
    let json = ["{\"msg_id\":\"1\"}", "{}", "{}", "{}"].map { Data($0.utf8) }

    func signedFrames(key: String) -> [Data] {
        let signature = MessageSigner(key: key).signature(of: json)
        return [Data("id".utf8), WireMessage.delimiter, Data(signature.utf8)] + json
    }

    @Test func acceptsOnceThenDropsTheReplay() throws {
        var authenticator = MessageAuthenticator(signer: MessageSigner(key: "k"))
        let frames = signedFrames(key: "k")
        _ = try authenticator.accept(frames: frames)
        #expect(throws: WireError.replayedSignature) { try authenticator.accept(frames: frames) }
    }

    /// Found by Fuzz/Sources/wire: the replay history compared signature bytes, while verification
    /// accepts upper-case hex too, so a captured message came through again with its hex upper-cased.
    @Test func dropsTheReplayWhateverTheCaseOfItsHexDigits() throws {
        var authenticator = MessageAuthenticator(signer: MessageSigner(key: "k"))
        let frames = signedFrames(key: "k")
        _ = try authenticator.accept(frames: frames)
        var upper = frames
        upper[2] = Data(String(decoding: frames[2], as: UTF8.self).uppercased().utf8)
        #expect(throws: WireError.replayedSignature) { try authenticator.accept(frames: upper) }
    }

    @Test func dropsAForgedSignature() {
        var authenticator = MessageAuthenticator(signer: MessageSigner(key: "k"))
        #expect(throws: WireError.badSignature) { try authenticator.accept(frames: signedFrames(key: "other")) }
    }

    @Test func signsWhatItSends() throws {
        let authenticator = MessageAuthenticator(signer: MessageSigner(key: "k"))
        let message = WireMessage(header: json[0], parentHeader: json[1], metadata: json[2], content: json[3])
        let signed = authenticator.sign(message)
        #expect(MessageSigner(key: "k").isValid(signature: signed.signature, for: json))
    }
}
