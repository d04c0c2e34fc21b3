import ArgumentParser

@main
struct LivyKernelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "livy-kernel",
        abstract: "A Jupyter kernel that runs PySpark, Scala and Spark SQL cells through Apache Livy.",
        version: LivyKernelVersion.current,
        subcommands: [RunCommand.self, InstallCommand.self])
}

extension KernelKindArgument: ExpressibleByArgument {}
