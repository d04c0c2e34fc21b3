import Dispatch
import Foundation
import KernelCore
import Logging

/// SIGINT interrupts the running cell and never kills the kernel (Jupyter sends one before every
/// shutdown, and consoles send it on Ctrl-C); SIGTERM shuts down cleanly, releasing the Livy session.
struct SignalHandlers {
    private let sources: [any DispatchSourceSignal]

    init(kernel: Kernel, logger: Logger) {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            logger.info("SIGINT received")
            Task { await kernel.interrupt() }
        }
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        terminate.setEventHandler {
            logger.info("SIGTERM received: shutting down")
            Task { await kernel.shutDown() }
        }
        sources = [interrupt, terminate]
        sources.forEach { $0.resume() }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
    }
}
