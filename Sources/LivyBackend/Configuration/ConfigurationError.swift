public import KernelCore

/// The configuration cannot be used; names the file (or variable) and the key at fault.
public struct ConfigurationError: Error, Sendable, Equatable, JupyterReportableError {
    /// The config file's path, or `environment variable NAME`.
    public var source: String
    public var key: String
    public var problem: String

    public init(source: String, key: String, problem: String) {
        self.source = source
        self.key = key
        self.problem = problem
    }

    public var ename: String { "LivyKernelConfigError" }
    public var evalue: String { "\(source): '\(key)' \(problem)" }
    public var details: [String] {
        ["The kernel configuration could not be used, so no Livy session was started.",
         "Fix the value and restart the kernel. The config file format is described in the README."]
    }
}
