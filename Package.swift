// swift-tools-version:6.1
// LivyKernel: a Jupyter kernel that runs Spark through Apache Livy.
//
// Layers, dependencies pointing one way:
//   LivyKernel (executable) → JupyterWire → CZeroMQ, swift-crypto          (transport)
//   LivyKernel → KernelCore → JupyterProtocol                               (protocol, kernel)
//   LivyKernel → LivyBackend → KernelCore, Magics, LivyClient → CCurl      (backend)
// JSONValues, JupyterProtocol and Magics are pure (no I/O).
//
// Platforms: Linux is where CI builds and tests. The macOS floor is the one `Synchronization`'s
// `Mutex` needs; the sources use no Linux-only module without a Darwin branch.
import PackageDescription

/// Every target: Swift 6, explicit existentials, imports internal unless marked `public import`,
/// and members visible only through modules a file imports itself (so every dependency a target
/// uses is declared below).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LivyKernel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "livy-kernel", targets: ["LivyKernel"]),
        // The parsers as libraries, for the fuzz package in Fuzz/.
        .library(name: "JSONValues", targets: ["JSONValues"]),
        .library(name: "JupyterWire", targets: ["JupyterWire"]),
        .library(name: "JupyterProtocol", targets: ["JupyterProtocol"]),
        .library(name: "Magics", targets: ["Magics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The C surface of libzmq (Debian: libzmq3-dev).
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),

        // Transport: ZeroMQ sockets with one owner thread each, multipart framing, HMAC signing.
        .target(
            name: "JupyterWire",
            dependencies: ["CZeroMQ", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),

        // A JSON value type shared by the protocol and the Livy client. Pure.
        .target(name: "JSONValues", swiftSettings: strictSettings),

        // Protocol: typed Jupyter messages and their JSON encoding. Pure.
        .target(name: "JupyterProtocol", dependencies: ["JSONValues"], swiftSettings: strictSettings),

        // Cell and magic parsing, SQL splitting, templating (on swift-mustache). Pure.
        .target(name: "Magics", dependencies: [.product(name: "Mustache", package: "swift-mustache")],
                swiftSettings: strictSettings),

        // Kernel core: dispatch, busy/idle, execution counter, stop-on-error, history,
        // and the ExecutionBackend seam the Livy backend plugs into.
        .target(
            name: "KernelCore",
            dependencies: ["JupyterProtocol", "JSONValues", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),

        // libcurl plus typed wrappers for its variadic calls (Debian: libcurl4-openssl-dev).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),

        // Livy's REST API: models, one async method per endpoint, retries for idempotent calls
        // only, typed errors. Knows nothing of Jupyter.
        .target(
            name: "LivyClient",
            dependencies: ["CCurl", "JSONValues", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),

        // The kernel's Livy backend: configuration, session lifecycle, statements, rendering.
        .target(
            name: "LivyBackend",
            dependencies: ["KernelCore", "LivyClient", "JupyterProtocol", "JSONValues", "Magics",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),

        .executableTarget(
            name: "LivyKernel",
            dependencies: ["JupyterWire", "JupyterProtocol", "JSONValues", "KernelCore", "LivyBackend", "LivyClient",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),

        // Helpers several test targets share: an in-memory Livy speaking Livy's REST shapes, a
        // recorder of what the kernel sends, waiting on conditions without sleeping.
        .target(
            name: "TestSupport",
            dependencies: ["KernelCore", "LivyClient", "JupyterProtocol", "JSONValues"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings),

        .testTarget(name: "JSONValuesTests", dependencies: ["JSONValues"], swiftSettings: strictSettings),
        .testTarget(name: "JupyterWireTests", dependencies: ["JupyterWire"], swiftSettings: strictSettings),
        .testTarget(name: "JupyterProtocolTests", dependencies: ["JupyterProtocol", "JSONValues"], swiftSettings: strictSettings),
        .testTarget(name: "LivyClientTests", dependencies: ["LivyClient", "JSONValues", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "LivyBackendTests",
            dependencies: ["LivyBackend", "LivyClient", "KernelCore", "JupyterProtocol", "JSONValues", "Magics", "TestSupport",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),
        .testTarget(name: "MagicsTests", dependencies: ["Magics"], swiftSettings: strictSettings),
        .testTarget(
            name: "KernelCoreTests",
            dependencies: ["KernelCore", "JupyterProtocol", "JSONValues", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings),
    ]
)
