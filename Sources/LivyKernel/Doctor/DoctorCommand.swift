import ArgumentParser
import Foundation
import LivyBackend

/// `livy-kernel doctor`: what to run when something is wrong. Checks, one line each, everything
/// between this host and a working Livy session, with the fix for each failure; exit status 1 when
/// any check fails.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, the connection to Livy and the Spark UI proxy, with the fix for each problem.",
        discussion: """
            Reads the configuration the kernel would use (~/.livykernel/config.json or $LIVY_KERNEL_CONFIG, \
            else sparkmagic's config.json, then LIVY_* environment variables). Creates nothing on the \
            server unless --session is given; that session is deleted at the end.
            """)

    @Flag(help: "Also start a session with the configured settings, run 1+1, reach the driver's UI, then delete it.")
    var session = false

    @Option(help: "The notebook language whose session --session starts: pyspark, scala or sql.")
    var kind: KernelKind = .pyspark

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let doctor = Doctor(environment: environment, kind: kind, startSession: session)
        // Unbuffered, so each line shows as soon as its check ends (a session start takes a while).
        func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
        say("livy-kernel doctor \(LivyKernelVersion.current)")
        let report = await doctor.run { line in say(line.rendered) }
        say(report.summary)
        if report.failed { throw ExitCode.failure }
    }
}
