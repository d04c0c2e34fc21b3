/// Helpers shared by the fuzz targets: starting libFuzzer, property failures, cutting one input
/// into parts.
import CLibFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// Fails the run when a property does not hold. libFuzzer treats the trap as a crash and saves
/// the input as `crash-*`; the message (printed first) says which property broke.
public func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                  file: StaticString = #fileID, line: UInt = #line) {
    guard condition() else {
        fatalError("property failed: \(message())", file: file, line: line)
    }
}

/// The input as bytes; libFuzzer passes a null pointer for the empty input.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The byte that separates parts of a structured input: 0xFE never occurs in UTF-8, so JSON and
/// text parts of the seeds stay readable and the separator never needs escaping in them.
public let partSeparator: UInt8 = 0xFE

/// Splits at every `partSeparator`, keeping empty parts.
public func parts(_ input: [UInt8]) -> [[UInt8]] {
    input.split(separator: partSeparator, omittingEmptySubsequences: false).map(Array.init)
}

/// Text for messages: printable ASCII as is, everything else escaped.
public func show(_ bytes: some Sequence<UInt8>) -> String {
    var out = ""
    for byte in bytes {
        switch byte {
        case 0x20..<0x7F where byte != UInt8(ascii: "\\"): out.append(Character(Unicode.Scalar(byte)))
        case UInt8(ascii: "\n"): out += "\\n"
        default:
            let hex = String(byte, radix: 16)
            out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return out
}

/// Text for messages: the string's scalars, non-ASCII and control ones escaped.
public func show(_ text: some StringProtocol) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\\" {
            out.unicodeScalars.append(scalar)
        } else if scalar == "\n" {
            out += "\\n"
        } else {
            out += "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }
    return "\"" + out + "\""
}

/// Runs libFuzzer (its flags and corpus folders come from the command line) with `target` as
/// `LLVMFuzzerTestOneInput`, and exits with its status.
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv, target)
    exit(status)
}
