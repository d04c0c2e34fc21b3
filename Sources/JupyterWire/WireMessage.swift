public import Foundation

/// One Jupyter message as it travels over ZeroMQ, before any JSON is parsed.
///
/// Frames: routing identities, the `<IDS|MSG>` delimiter, the signature, four JSON frames
/// (header, parent header, metadata, content), then zero or more binary buffers.
public struct WireMessage: Sendable, Equatable {
    public static let delimiter = Data("<IDS|MSG>".utf8)

    public var identities: [Data]
    public var signature: Data
    public var header: Data
    public var parentHeader: Data
    public var metadata: Data
    public var content: Data
    public var buffers: [Data]

    public init(identities: [Data] = [], signature: Data = Data(), header: Data, parentHeader: Data,
                metadata: Data, content: Data, buffers: [Data] = []) {
        self.identities = identities
        self.signature = signature
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// The four frames the signature covers, in order. Buffers are not signed.
    public var signedParts: [Data] { [header, parentHeader, metadata, content] }

    /// Splits received frames at the first delimiter.
    public init(frames: [Data]) throws(WireError) {
        guard let split = frames.firstIndex(of: Self.delimiter) else { throw .missingDelimiter }
        let rest = frames[(split + 1)...]
        guard rest.count >= 5 else { throw .tooFewFrames(count: rest.count) }
        let start = rest.startIndex
        identities = Array(frames[..<split])
        signature = rest[start]
        header = rest[start + 1]
        parentHeader = rest[start + 2]
        metadata = rest[start + 3]
        content = rest[start + 4]
        buffers = Array(rest[(start + 5)...])
    }

    /// The frames to send, identities first.
    public var frames: [Data] {
        identities + [Self.delimiter, signature, header, parentHeader, metadata, content] + buffers
    }
}
