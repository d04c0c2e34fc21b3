import Foundation
import Testing
@testable import JupyterWire

@Suite struct MessageSignerTests {
    // Computed independently with Python: hmac.new(key, b"".join(parts), hashlib.sha256).hexdigest()
    let key = "a0436f6c-1916-498b-8eb9-e81ab9368e84"
    let parts = [#"{"msg_id":"1","msg_type":"kernel_info_request"}"#, "{}", "{}", "{}"].map { Data($0.utf8) }
    let expected = "23d21ade63d42fc48bbe2721cd9045ceffb260c3521b7d246495f23adfca79a0"

    @Test func signsWithTheKeyAsUTF8Bytes() {
        #expect(MessageSigner(key: key).signature(of: parts) == expected)
    }

    @Test func verifiesAGoodSignatureInEitherCase() {
        let signer = MessageSigner(key: key)
        #expect(signer.isValid(signature: Data(expected.utf8), for: parts))
        #expect(signer.isValid(signature: Data(expected.uppercased().utf8), for: parts))
    }

    @Test func rejectsWrongMissingAndMalformedSignatures() {
        let signer = MessageSigner(key: key)
        var tampered = parts
        tampered[3] = Data(#"{"code":"evil"}"#.utf8)
        #expect(!signer.isValid(signature: Data(expected.utf8), for: tampered))
        #expect(!signer.isValid(signature: Data(), for: parts))
        #expect(!signer.isValid(signature: Data("zz".utf8), for: parts))
        #expect(!signer.isValid(signature: Data(expected.dropLast().utf8), for: parts))
        #expect(!MessageSigner(key: "other").isValid(signature: Data(expected.utf8), for: parts))
    }

    @Test func emptyKeyTurnsAuthenticationOff() {
        let signer = MessageSigner(key: "")
        #expect(!signer.isEnabled)
        #expect(signer.signature(of: parts) == "")
        #expect(signer.isValid(signature: Data(), for: parts))
    }
}

@Suite struct SignatureHistoryTests {
    @Test func rejectsAReplay() {
        var history = SignatureHistory(capacity: 4)
        let first = history.insert(Data("a".utf8))
        let again = history.insert(Data("a".utf8))
        #expect(first && !again)
    }

    @Test func forgetsTheOldestBeyondCapacity() {
        var history = SignatureHistory(capacity: 2)
        let inserted = ["a", "b", "c"].map { history.insert(Data($0.utf8)) }
        #expect(inserted == [true, true, true])
        #expect(history.count == 2)
        let evictedIsNew = history.insert(Data("a".utf8))
        let recentIsReplay = !history.insert(Data("c".utf8))
        #expect(evictedIsNew, "a was evicted, so it is new again")
        #expect(recentIsReplay)
    }
}
