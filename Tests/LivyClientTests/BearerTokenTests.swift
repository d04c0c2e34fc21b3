import Foundation
import Testing
@testable import LivyClient

/// A gateway's bearer token: read from its source, kept while valid, read again when it expires.
@Suite struct BearerTokenTests {
    func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A JWT whose payload is `claims` (the signature is not checked by a client).
    func jwt(_ claims: String) -> String {
        let payload = Data(claims.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "eyJhbGciOiJIUzI1NiJ9.\(payload).c2lnbmF0dXJl"
    }

    @Test func aFileTokenIsTrimmedAndKeptUntilInvalidated() throws {
        let path = try temporaryFile("first-token\n")
        let token = BearerToken(source: .file(path))
        #expect(try token.current() == "first-token")
        try "second-token".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try token.current() == "first-token", "kept while valid")
        token.invalidate()
        #expect(try token.current() == "second-token", "read again after the server refused it")
    }

    @Test func aCommandsOutputIsTheToken() throws {
        #expect(try BearerToken(source: .command("printf 'from-a-command\\n'")).current() == "from-a-command")
    }

    @Test func aFailingCommandSaysWhy() {
        do {
            _ = try BearerToken(source: .command("echo 'login expired' >&2; exit 3")).current()
            Issue.record("must fail")
        } catch {
            #expect(error.kind == .authentication)
            #expect(error.message == "no bearer token from the command `echo 'login expired' >&2; exit 3`: it exited with status 3: login expired")
        }
    }

    @Test func aMissingSourceSaysWhichOne() {
        #expect(throws: HTTPTransportError(kind: .authentication,
                                           message: "no bearer token from the environment variable LK_NO_SUCH_TOKEN_VAR: it is not set")) {
            try BearerToken(source: .environment("LK_NO_SUCH_TOKEN_VAR")).current()
        }
        #expect(throws: HTTPTransportError.self) { try BearerToken(source: .file("/nonexistent/token")).current() }
        #expect(throws: HTTPTransportError.self) { try BearerToken(source: .command("true")).current() }
    }

    @Test func aJWTIsReadAgainJustBeforeItExpires() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let soon = jwt(#"{"sub":"alice","exp":1800000020}"#)
        let later = jwt(#"{"sub":"alice","exp":1800003600}"#)
        #expect(BearerToken.expiry(ofJWT: soon) == Date(timeIntervalSince1970: 1_800_000_020))
        #expect(BearerToken.expiry(ofJWT: "not-a-jwt") == nil)
        let path = try temporaryFile(soon)
        let token = BearerToken(source: .file(path))
        #expect(try token.current(now: now.addingTimeInterval(-3600)) == soon)
        try later.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try token.current(now: now) == later, "within the margin before exp: read again")
    }
}

/// A 401 is explained for the scheme in use, naming the setting or command that fixes it.
@Suite struct AuthenticationDiagnosisTests {
    @Test func eachSchemeNamesItsOwnFix() {
        #expect(AuthenticationDiagnosis.explain(.none).contains("set livy.auth (LIVY_AUTH)"))
        let basic = AuthenticationDiagnosis.explain(.basic(username: "bob", password: "s3cret"))
        #expect(basic.contains("'bob'") && basic.contains("livy.password") && !basic.contains("s3cret"))
        #expect(AuthenticationDiagnosis.explain(.bearer(.file("/run/token"))).contains("the file /run/token"))
        let keytab = AuthenticationDiagnosis.explain(.kerberos, keytab: KerberosKeytab(path: "/k/alice.keytab", principal: "alice@R"))
        #expect(keytab.contains("/k/alice.keytab") && keytab.contains("alice@R") && keytab.contains("klist -kt"))
    }

    @Test func theSchemeTheServerAsksForIsNamed() {
        let unconfigured = AuthenticationDiagnosis.explain(.none, challenges: ["Negotiate"])
        #expect(unconfigured.hasPrefix("HTTP 401, the server asks for Negotiate (Kerberos): "))
        #expect(unconfigured.contains("set livy.auth (LIVY_AUTH) to kerberos"))
        let mismatch = AuthenticationDiagnosis.explain(.basic(username: "bob", password: "s3cret"),
                                                       challenges: [#"Bearer realm="gw", error="invalid_token""#])
        #expect(mismatch.contains("livy.auth is basic, which it does not accept; set livy.auth (LIVY_AUTH) to bearer"))
        #expect(!mismatch.contains("s3cret"))
        let both = AuthenticationDiagnosis.explain(.none, challenges: [#"Basic realm="Livy", charset="UTF-8""#, "Negotiate"])
        #expect(both.contains("asks for Basic or Negotiate (Kerberos)") && both.contains("to basic or kerberos"))
        // The configured scheme is among those asked for: the credential is what to fix.
        let refused = AuthenticationDiagnosis.explain(.basic(username: "bob", password: "x"), challenges: [#"Basic realm="Livy""#])
        #expect(refused.contains("Livy refused user 'bob'"))
        #expect(AuthenticationScheme.asked(in: ["NEGOTIATE abc==", "Digest realm=x"]) == [.kerberos])
    }

    @Test func withoutKlistTheAdviceIsStillKinit() {
        let text = AuthenticationDiagnosis.explain(.kerberos, kerberos: KerberosTicketCheck(klist: "/nonexistent/klist"))
        #expect(text.contains("run kinit"))
    }
}
