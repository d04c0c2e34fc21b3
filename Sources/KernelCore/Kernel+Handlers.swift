import Logging
import JupyterProtocol

extension Kernel {
    /// Every request, whatever its channel or type: busy, handling (reply included), idle.
    func handle(_ incoming: IncomingRequest, arrival: UInt64) async {
        let context = ReplyContext(incoming: incoming, encoder: encoder, sink: sink)
        context.status(.busy)
        defer { context.status(.idle) }
        switch incoming.request {
        case .kernelInfo:
            context.reply(kernelInfo)
        case .execute(let request):
            await execute(request, context: context, arrival: arrival)
        case .complete(let request):
            context.reply(await backend.complete(code: request.code, cursorPos: request.cursorPos))
        case .inspect(let request):
            context.reply(await backend.inspect(code: request.code, cursorPos: request.cursorPos,
                                                detailLevel: request.detailLevel))
        case .isComplete(let request):
            context.reply(await backend.isComplete(request.code))
        case .history(let request):
            context.reply(HistoryReply(history: history.answer(request)))
        case .commInfo:
            context.reply(CommInfoReply())
        case .commOpen(let open):
            // No comm targets here: close it at once so the frontend does not wait on it.
            logger.info("closing comm \(open.commID) for unknown target '\(open.targetName)'")
            context.publish("comm_close", CommClose(commID: open.commID))
        case .commMessage, .inputReply:
            break
        case .interrupt:
            interrupt(arrival: arrival)
            context.reply(InterruptReply())
        case .shutdown(let request):
            await prepareShutdown(restart: request.restart)
            context.reply(ShutdownReply(restart: request.restart))
            finishQueues()
        case .unsupported(let msgType):
            logger.warning("no handler for \(msgType); sent busy/idle and no reply")
        }
    }

    var kernelInfo: KernelInfoReply {
        KernelInfoReply(implementation: identity.implementation, implementationVersion: identity.version,
                        languageInfo: backend.languageInfo, banner: identity.banner, helpLinks: identity.helpLinks)
    }
}
