import Foundation

/// Where kernelspecs go, with the same meaning as `jupyter kernelspec install`'s flags.
enum KernelspecLocation: Equatable {
    case user
    case sysPrefix
    case prefix(String)
    case system

    enum LookupError: Error, CustomStringConvertible {
        case noActivePrefix
        case noHome

        var description: String {
            switch self {
            case .noActivePrefix:
                "--sys-prefix needs an active virtualenv or conda environment (VIRTUAL_ENV or CONDA_PREFIX); use --prefix DIR instead"
            case .noHome:
                "--user needs HOME (or JUPYTER_DATA_DIR) to be set"
            }
        }
    }

    /// The `kernels` directory for this location, following Jupyter's search path rules.
    func kernelsDirectory(environment: [String: String]) throws(LookupError) -> URL {
        func nonEmpty(_ key: String) -> String? {
            environment[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        let base: String
        switch self {
        case .prefix(let prefix):
            base = prefix + "/share/jupyter"
        case .sysPrefix:
            guard let prefix = nonEmpty("VIRTUAL_ENV") ?? nonEmpty("CONDA_PREFIX") else { throw .noActivePrefix }
            base = prefix + "/share/jupyter"
        case .system:
            base = "/usr/local/share/jupyter"
        case .user:
            if let dataDir = nonEmpty("JUPYTER_DATA_DIR") {
                base = dataDir
            } else if let xdg = nonEmpty("XDG_DATA_HOME") {
                base = xdg + "/jupyter"
            } else if let home = nonEmpty("HOME") {
                base = home + "/.local/share/jupyter"
            } else {
                throw .noHome
            }
        }
        return URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent("kernels", isDirectory: true)
    }
}
