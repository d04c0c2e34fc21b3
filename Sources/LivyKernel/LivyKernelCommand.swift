import LivyBackend
public import ArgumentParser
import KernelCore

@main
struct LivyKernelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "livy-kernel",
        abstract: "A Jupyter kernel that runs PySpark, Scala and Spark SQL cells through Apache Livy.",
        version: LivyKernelVersion.current,
        subcommands: [RunCommand.self, InstallCommand.self, DoctorCommand.self])
}

/// `--kind pyspark|scala|sql` on the command line.
extension KernelKind: ExpressibleByArgument {}
