import Foundation
public import JupyterProtocol
public import Logging
import Synchronization

/// The kernel core: routes requests, keeps the protocol's bookkeeping (busy/idle around every
/// request, the execution counter, stop-on-error aborts, history) and hands cells to the backend.
///
/// Shell requests are handled one at a time, in arrival order; control requests on a loop of
/// their own, so an interrupt or shutdown is answered while a cell is running.
public actor Kernel {
    /// What the kernel says about itself in kernel_info_reply.
    public struct Identity: Sendable {
        public var implementation: String
        public var version: String
        public var banner: String
        public var helpLinks: [HelpLink]

        public init(implementation: String, version: String, banner: String, helpLinks: [HelpLink]) {
            self.implementation = implementation
            self.version = version
            self.banner = banner
            self.helpLinks = helpLinks
        }
    }

    /// Items of the shell queue: requests (with their arrival number), and the marker that ends a
    /// stop-on-error abort.
    enum ShellItem: Sendable {
        case request(IncomingRequest, arrival: UInt64)
        case endOfAbort
    }

    /// A request with the order it reached the kernel in, across shell and control.
    struct Arrived: Sendable {
        let incoming: IncomingRequest
        let arrival: UInt64
    }

    let identity: Identity
    let backend: any ExecutionBackend
    let encoder: MessageEncoder
    let sink: any MessageSink
    let logger: Logger

    private let shellQueue: AsyncStream<ShellItem>
    let shellInput: AsyncStream<ShellItem>.Continuation
    private let controlQueue: AsyncStream<Arrived>
    let controlInput: AsyncStream<Arrived>.Continuation
    /// Numbers requests as `receive` sees them (the transport's order), so an interrupt can tell
    /// the cell it was sent for from one that arrived after it.
    private let arrivals = Atomic<UInt64>(0)

    var executionCount = 0
    var history = ExecutionHistory()
    /// The cell being run and its request's arrival number, so an interrupt can cancel it.
    var runningCell: (task: Task<Void, any Error>, arrival: UInt64)?
    /// True between a failed cell and the end-of-abort marker queued behind the requests that
    /// were waiting at that moment.
    var isAborting = false
    var isShuttingDown = false

    public init(identity: Identity, backend: any ExecutionBackend,
                encoder: MessageEncoder, sink: any MessageSink, logger: Logger) {
        self.identity = identity
        self.backend = backend
        self.encoder = encoder
        self.sink = sink
        self.logger = logger
        (shellQueue, shellInput) = AsyncStream.makeStream(of: ShellItem.self)
        (controlQueue, controlInput) = AsyncStream.makeStream(of: Arrived.self)
    }

    /// Queues a request from the transport. Never blocks: safe to call from the I/O thread.
    public nonisolated func receive(_ incoming: IncomingRequest) {
        let arrival = arrivals.add(1, ordering: .relaxed).newValue
        switch incoming.channel {
        case .control:
            controlInput.yield(Arrived(incoming: incoming, arrival: arrival))
        case .shell:
            shellInput.yield(.request(incoming, arrival: arrival))
        case .stdin:
            // No input_request is ever sent, so no input_reply is expected.
            logger.debug("ignoring \(incoming.message.header.msgType) on stdin")
        case .iopub:
            logger.warning("ignoring a message that claims to come from iopub")
        }
    }

    /// Announces the kernel and serves requests until a shutdown request has been answered.
    public func run() async {
        sink.send(encoder.encode(msgType: "status", content: KernelStatus(.starting), parent: nil), to: [], on: .iopub)
        await backend.kernelStarted()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.serveShell() }
            group.addTask { await self.serveControl() }
        }
    }

    /// Cancels the running cell, as SIGINT asks. A no-op when idle.
    public func interrupt() {
        interrupt(arrival: .max)
    }

    /// Cancels the running cell if its request arrived before the interrupt. A cell that arrived
    /// later was sent after the interrupt (nbclient after a timeout, a double click): it runs.
    func interrupt(arrival: UInt64) {
        guard let runningCell, runningCell.arrival < arrival else {
            logger.debug("interrupt with no cell running that arrived before it: nothing to do")
            return
        }
        logger.info("interrupting the running cell")
        runningCell.task.cancel()
    }

    /// Shuts down without a request (the parent process went away, or a signal asked for it).
    public func shutDown(restart: Bool = false) async {
        guard !isShuttingDown else { return }
        await prepareShutdown(restart: restart)
        finishQueues()
    }

    private func serveShell() async {
        for await item in shellQueue {
            switch item {
            case .endOfAbort:
                isAborting = false
            case let .request(incoming, arrival):
                guard !isShuttingDown else { continue }
                await handle(incoming, arrival: arrival)
            }
        }
    }

    private func serveControl() async {
        for await arrived in controlQueue {
            guard !isShuttingDown else { continue }
            await handle(arrived.incoming, arrival: arrived.arrival)
        }
    }

    func prepareShutdown(restart: Bool) async {
        isShuttingDown = true
        runningCell?.task.cancel()
        await backend.shutdown(restart: restart)
    }

    func finishQueues() {
        shellInput.finish()
        controlInput.finish()
    }
}
