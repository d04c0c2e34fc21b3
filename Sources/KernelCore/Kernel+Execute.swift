import Foundation
import JupyterProtocol

extension Kernel {
    /// Runs one `execute_request` by the protocol's rules: counter, execute_input, outputs,
    /// one `error` on failure, the reply, and stop-on-error for the requests queued behind it.
    func execute(_ request: ExecuteRequest, context: ReplyContext, arrival: UInt64) async {
        if isAborting {
            context.reply(ExecuteReply(executionCount: executionCount,
                                       outcome: .error(ErrorContent(describing: ExecutionAborted()))))
            return
        }
        let isBlank = request.code.allSatisfy(\.isWhitespace)
        if request.storeHistory && !isBlank { executionCount += 1 }
        let count = executionCount
        if !request.silent {
            context.publish("execute_input", ExecuteInput(code: request.code, executionCount: count))
        }

        var failure: ErrorContent?
        if !isBlank {
            let cell = CellExecution(code: request.code, executionCount: count, silent: request.silent,
                                     allowStdin: request.allowStdin)
            let output = OutputPublisher(context: context, executionCount: count, silent: request.silent)
            let backend = self.backend
            let task = Task { try await backend.execute(cell, output: output) }
            runningCell = (task, arrival)
            do {
                try await task.value
            } catch {
                failure = ErrorContent(describing: error)
            }
            runningCell = nil
        }

        if request.storeHistory && !isBlank {
            history.record(line: count, input: request.code, output: nil)
        }
        guard let failure else {
            context.reply(ExecuteReply(executionCount: count, outcome: .ok))
            return
        }
        if !request.silent {
            context.publish("error", failure)
        }
        context.reply(ExecuteReply(executionCount: count, outcome: .error(failure)))
        if request.stopOnError && !request.silent {
            // Everything already queued is answered without running; the marker goes in behind it.
            isAborting = true
            shellInput.yield(.endOfAbort)
        }
    }
}
