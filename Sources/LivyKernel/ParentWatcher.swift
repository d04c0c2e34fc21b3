import Dispatch
import Foundation
import KernelCore
import Logging

/// Shuts the kernel down when the process that launched it goes away, so an orphaned kernel does
/// not keep a Livy session (and cluster resources) alive. Jupyter marks its kernels with
/// `JPY_PARENT_PID`; like ipykernel, we watch for our parent changing.
enum ParentWatcher {
    static func startIfLaunchedByJupyter(kernel: Kernel, logger: Logger,
                                         environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (any DispatchSourceTimer)? {
        guard environment["JPY_PARENT_PID"] != nil else { return nil }
        let parent = getppid()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler {
            guard getppid() != parent else { return }
            logger.warning("the process that launched this kernel (pid \(parent)) is gone: shutting down")
            timer.cancel()
            Task { await kernel.shutDown() }
        }
        timer.resume()
        return timer
    }
}
