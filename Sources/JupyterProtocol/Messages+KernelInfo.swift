/// `kernel_info_reply` content.
public struct KernelInfoReply: Sendable, Equatable, Encodable {
    public var status = "ok"
    public var protocolVersion = MessageHeader.protocolVersion
    public var implementation: String
    public var implementationVersion: String
    public var languageInfo: LanguageInfo
    public var banner: String
    public var helpLinks: [HelpLink]
    public var supportedFeatures: [String] = []

    public init(implementation: String, implementationVersion: String, languageInfo: LanguageInfo,
                banner: String, helpLinks: [HelpLink]) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageInfo = languageInfo
        self.banner = banner
        self.helpLinks = helpLinks
    }

    enum CodingKeys: String, CodingKey {
        case status, protocolVersion = "protocol_version", implementation
        case implementationVersion = "implementation_version", languageInfo = "language_info"
        case banner, helpLinks = "help_links", supportedFeatures = "supported_features"
    }
}

/// `language_info` of kernel_info_reply: how frontends highlight and save the notebook's code.
public struct LanguageInfo: Sendable, Equatable, Encodable {
    public var name: String
    public var version: String
    public var mimetype: String
    public var fileExtension: String
    public var pygmentsLexer: String
    public var codemirrorMode: String
    public var nbconvertExporter: String?

    public init(name: String, version: String, mimetype: String, fileExtension: String,
                pygmentsLexer: String, codemirrorMode: String, nbconvertExporter: String? = nil) {
        self.name = name
        self.version = version
        self.mimetype = mimetype
        self.fileExtension = fileExtension
        self.pygmentsLexer = pygmentsLexer
        self.codemirrorMode = codemirrorMode
        self.nbconvertExporter = nbconvertExporter
    }

    enum CodingKeys: String, CodingKey {
        case name, version, mimetype, fileExtension = "file_extension", pygmentsLexer = "pygments_lexer"
        case codemirrorMode = "codemirror_mode", nbconvertExporter = "nbconvert_exporter"
    }
}

public struct HelpLink: Sendable, Equatable, Encodable {
    public var text: String
    public var url: String

    public init(text: String, url: String) {
        self.text = text
        self.url = url
    }
}
