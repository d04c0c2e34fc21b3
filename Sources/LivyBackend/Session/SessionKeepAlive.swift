import Foundation
import JupyterProtocol
import KernelCore
import LivyClient
import Logging

/// Keeping the ready session alive on Livy's own rules (docs/livy-rest.md §2.8): any request that
/// addresses the session by id is a heartbeat, so an idle notebook's session is not reaped by its
/// `heartbeatTimeoutInSecond` while the kernel lives (and is, once the kernel is gone). Only
/// statements count as activity for Livy's idle timeout: the kernel does not fake activity, it
/// warns in the last cell before the server deletes an idle session.
extension SessionManager {
    func startKeepAlive(for session: ActiveSession) {
        keepAlive?.cancel()
        // An attached session's timeout is unknown: beat as for the default one.
        let heartbeatTimeout = session.request.settings.heartbeatTimeoutInSecond ?? Self.defaultHeartbeatTimeout
        let idleTimeout = session.request.settings.sessionIdleTimeout ?? config.session.idleTimeout
        guard heartbeatTimeout > 0 || idleTimeout != nil else { return }
        // Several beats per timeout, so one lost request does not let the session expire.
        let interval: Duration = heartbeatIntervalOverride
            ?? (heartbeatTimeout > 0 ? .seconds(min(30, max(1, heartbeatTimeout / 4))) : .seconds(30))
        keepAlive = Task { [weak self] in
            var warnedFor: ContinuousClock.Instant?
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                guard await self.heartbeat(session) else { return }
                if let idleTimeout, let activity = await self.lastActivity, warnedFor != activity.at {
                    let warnBefore = min(Duration.seconds(300), idleTimeout / 5)
                    if ContinuousClock.now - activity.at >= idleTimeout - warnBefore {
                        warnedFor = activity.at
                        activity.output.stream(.stderr, Self.idleWarning(session.id, timeout: idleTimeout, left: warnBefore))
                    }
                }
            }
        }
    }

    /// One heartbeat; false once the session is found gone (the next cell says so).
    private func heartbeat(_ session: ActiveSession) async -> Bool {
        guard case .ready(let current) = phase, current.id == session.id else { return false }
        do {
            let live = try await api.session(id: session.id)
            if let name = session.request.settings.name, live.name != name {
                logger.warning("Livy session \(session.id) is now '\(live.name ?? "")': Livy restarted and reused the id")
                await sessionLost(session.id, state: "deleted")
                return false
            }
            if live.state.isFinal {
                await sessionLost(session.id, state: live.state.rawValue, discard: live.state == .error)
                return false
            }
            lastConfirmed = .now
        } catch .sessionNotFound {
            await sessionLost(session.id, state: "deleted")
            return false
        } catch {
            // The next beat tries again; the next cell asks first whether the id is still ours.
            logger.debug("heartbeat of session \(session.id) failed: \(error)")
            contactLost(session.id)
        }
        return true
    }

    static func idleWarning(_ id: LivyID, timeout: Duration, left: Duration) -> String {
        "⚠ The Livy server deletes sessions idle for \(timeout.components.seconds / 60) min: Spark session \(id) "
            + "will be deleted in about \(max(1, left.components.seconds / 60)) min unless a cell runs.\n"
    }
}
