import Foundation
import Synchronization

/// Where a gateway's bearer token comes from. The token itself is never part of the settings, so
/// it cannot end up in a log line or an error message that prints them.
public enum BearerTokenSource: Sendable, Equatable, CustomStringConvertible {
    /// An environment variable of the kernel's process, read again at every refresh.
    case environment(String)
    /// A file holding the token (a sidecar or `kubectl` may rewrite it), read again at every refresh.
    case file(String)
    /// A shell command whose standard output is the token (`gcloud auth print-access-token`).
    case command(String)

    public var description: String {
        switch self {
        case .environment(let name): "the environment variable \(name)"
        case .file(let path): "the file \(path)"
        case .command(let command): "the command `\(command)`"
        }
    }
}

/// The current bearer token: read from its source once, kept while it is valid, and read again
/// when it is about to expire (a JWT's `exp`) or when the server refused it (401). Shared by the
/// HTTP threads; reading the source blocks, which is fine there (never the cooperative pool).
final class BearerToken: Sendable {
    let source: BearerTokenSource
    private let cached = Mutex<(token: String, expires: Date?)?>(nil)
    /// A token this close to its `exp` is read again before it is sent.
    static let expiryMargin: TimeInterval = 30

    init(source: BearerTokenSource) {
        self.source = source
    }

    /// The token to send now.
    func current(now: Date = Date()) throws(HTTPTransportError) -> String {
        if let entry = cached.withLock({ $0 }),
           entry.expires.map({ $0.timeIntervalSince(now) > Self.expiryMargin }) ?? true {
            return entry.token
        }
        let token = try read()
        cached.withLock { $0 = (token, Self.expiry(ofJWT: token)) }
        return token
    }

    /// Forgets the token (the server refused it): the next request reads the source again.
    func invalidate() {
        cached.withLock { $0 = nil }
    }

    private func read() throws(HTTPTransportError) -> String {
        let text: String
        switch source {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw failure("it is not set")
            }
            text = value
        case .file(let path):
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw failure("it cannot be read (\((error as NSError).localizedDescription))")
            }
        case .command(let command):
            text = try run(command)
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw failure("it is empty") }
        guard !token.contains(where: { $0.isNewline }) else { throw failure("it has more than one line") }
        return token
    }

    private func run(_ command: String) throws(HTTPTransportError) -> String {
        let result: CommandOutput
        do {
            result = try CommandOutput.run("/bin/sh", ["-c", command])
        } catch {
            throw failure("it cannot be started (\(error))")
        }
        guard result.status == 0 else {
            let why = result.firstErrorLine
            throw failure("it exited with status \(result.status)" + (why.isEmpty ? "" : ": \(why)"))
        }
        return result.output
    }

    private func failure(_ problem: String) -> HTTPTransportError {
        HTTPTransportError(kind: .authentication, message: "no bearer token from \(source): \(problem)")
    }

    /// The `exp` claim of a JWT (header.payload.signature, base64url JSON); nil for other tokens.
    static func expiry(ofJWT token: String) -> Date? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
        guard let data = Data(base64Encoded: payload),
              let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let exp = claims["exp"] as? NSNumber else { return nil }
        return Date(timeIntervalSince1970: exp.doubleValue)
    }
}
