public import Foundation

/// The connection file Jupyter writes before starting a kernel: where to bind and how to sign.
///
/// Extra keys (`kernel_name`, CurveZMQ keys, …) are ignored on purpose: clients add fields over time.
public struct ConnectionInfo: Sendable, Equatable, Decodable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var heartbeatPort: Int
    public var signatureScheme: String
    public var key: String

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", heartbeatPort = "hb_port"
        case signatureScheme = "signature_scheme"
    }

    public init(transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int, iopubPort: Int,
                stdinPort: Int, controlPort: Int, heartbeatPort: Int,
                signatureScheme: String = "hmac-sha256", key: String) {
        self.transport = transport
        self.ip = ip
        self.shellPort = shellPort
        self.iopubPort = iopubPort
        self.stdinPort = stdinPort
        self.controlPort = controlPort
        self.heartbeatPort = heartbeatPort
        self.signatureScheme = signatureScheme
        self.key = key
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try c.decode(String.self, forKey: .ip)
        shellPort = try c.decode(Int.self, forKey: .shellPort)
        iopubPort = try c.decode(Int.self, forKey: .iopubPort)
        stdinPort = try c.decode(Int.self, forKey: .stdinPort)
        controlPort = try c.decode(Int.self, forKey: .controlPort)
        heartbeatPort = try c.decode(Int.self, forKey: .heartbeatPort)
        // An absent scheme means the default one, as in jupyter_client.
        signatureScheme = try c.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
        key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
    }

    /// Reads and validates a connection file, naming the file and the problem on failure.
    public static func load(path: String) throws(ConnectionFileError) -> ConnectionInfo {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Parses connection-file bytes; `path` is only used in error messages.
    public static func parse(_ data: Data, path: String) throws(ConnectionFileError) -> ConnectionInfo {
        let info: ConnectionInfo
        do {
            info = try JSONDecoder().decode(ConnectionInfo.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .missingField(path: path, field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context) {
            throw .invalid(path: path, reason: "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw .invalid(path: path, reason: "not a JSON object with the connection fields")
        }
        guard info.transport == "tcp" || info.transport == "ipc" else {
            throw .unsupportedTransport(path: path, transport: info.transport)
        }
        guard SignatureScheme(info.signatureScheme) != nil else {
            throw .unsupportedSignatureScheme(path: path, scheme: info.signatureScheme)
        }
        return info
    }

    /// The ZeroMQ endpoint for one port: `tcp://IP:PORT`, or `ipc://IP-PORT` as ipykernel binds it.
    public func endpoint(port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

/// Why a connection file could not be used; each case names the file.
public enum ConnectionFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)
    case missingField(path: String, field: String)
    case unsupportedTransport(path: String, transport: String)
    case unsupportedSignatureScheme(path: String, scheme: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read connection file \(path): \(reason)"
        case let .invalid(path, reason):
            "connection file \(path) is invalid: \(reason)"
        case let .missingField(path, field):
            "connection file \(path) has no '\(field)' field"
        case let .unsupportedTransport(path, transport):
            "connection file \(path) asks for transport '\(transport)'; supported: tcp, ipc"
        case let .unsupportedSignatureScheme(path, scheme):
            "connection file \(path) asks for signature scheme '\(scheme)'; supported: hmac-sha256"
        }
    }
}
