// swift-tools-version:6.1
// Coverage-guided fuzz targets for LivyKernel's parsers (libFuzzer). Not part of the main build:
// `make fuzz` / `make fuzz-ci` (Fuzz/fuzz.mk) build this package with `-sanitize=fuzzer,address`.
// Each target is one executable whose `LLVMFuzzerTestOneInput` feeds a parser and checks its
// properties; its main.swift hands that function to libFuzzer's driver (SwiftPM gives every
// executable its own `main`, so libFuzzer's cannot be used).
// Seeds live in corpus/<target without "fuzz-">/.
import PackageDescription

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

// The parent package's identity is its folder's name, which differs between checkouts.
let parent = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "").lowercased()

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: "fuzz-" + name,
                      dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: parent) },
                      path: "Sources/" + name, swiftSettings: settings)
}

let package = Package(
    name: "LivyKernelFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], swiftSettings: settings),
        fuzzTarget("json", ["JSONValues"]),
        fuzzTarget("wire", ["JupyterWire"]),
        fuzzTarget("protocol", ["JupyterProtocol", "JSONValues"]),
        fuzzTarget("cell", ["Magics"]),
        fuzzTarget("sql", ["Magics"]),
        fuzzTarget("template", ["Magics"]),
        fuzzTarget("parameters", ["Magics"]),
    ]
)
