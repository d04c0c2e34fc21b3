"""All sessions of the server: ids, names, creation limits, and the
background checks that end sessions (idle timeout, heartbeat watchdog,
retention of finished sessions), as Livy's SessionManager does."""

import asyncio
import logging
import os
import tempfile
import time

from .config import ServerConfig
from .http_errors import msg, session_not_found
from .session import BUSY, IDLE, STARTING, Session
from .session_request import SessionRequest

log = logging.getLogger(__name__)


class SessionManager:
    def __init__(self, config: ServerConfig):
        self.config = config
        self.sessions: dict[int, Session] = {}
        self._next_id = 0
        self._work_dir = config.work_dir or tempfile.mkdtemp(prefix="devlivy-")
        os.makedirs(self._work_dir, exist_ok=True)
        self._tasks: list[asyncio.Task] = []

    # ----- lookups -----------------------------------------------------------

    def find(self, token: str) -> Session | None:
        """A path segment of digits is an id; anything else is a name."""
        if token.isdigit():
            return self.sessions.get(int(token))
        named = [s for s in self.sessions.values() if s.request.name == token]
        # A finished session keeps its name until it is removed, while a new
        # one may already use it: the live one wins.
        named.sort(key=lambda s: (s.finished, -s.id))
        return named[0] if named else None

    def get(self, token: str) -> Session:
        session = self.find(token)
        if session is None:
            raise session_not_found(token)
        return session

    def ordered(self) -> list[Session]:
        return [self.sessions[i] for i in sorted(self.sessions)]

    # ----- create / delete ---------------------------------------------------

    async def create(self, request: SessionRequest) -> Session:
        starting = sum(1 for s in self.sessions.values() if s.state == STARTING)
        if starting >= self.config.max_creation:
            raise msg(400, "Rejected, too many sessions are being created!")
        if request.name is not None:
            for other in self.sessions.values():
                if other.request.name == request.name and not other.finished:
                    raise msg(400, f"Rejected, Reason: Duplicate session name: Some({request.name}) "
                                   f"for session {other.id}")
        session_id = self._next_id
        self._next_id += 1
        # Recreated if a /tmp cleaner removed it while the server was idle.
        os.makedirs(self._work_dir, exist_ok=True)
        scratch = tempfile.mkdtemp(prefix=f"session-{session_id}-", dir=self._work_dir)
        session = Session(session_id, request, self.config, scratch)
        self.sessions[session_id] = session
        await session.start()
        log.info("session %s created (kind %s, driver pid %s)", session_id, request.kind, session.driver.pid)
        return session

    async def delete(self, session: Session) -> None:
        await session.stop()
        self.sessions.pop(session.id, None)
        log.info("session %s deleted", session.id)

    # ----- background checks -------------------------------------------------

    def start_background_checks(self) -> None:
        self._tasks = [
            asyncio.create_task(self._every(self.config.gc_interval_s, self._collect_garbage)),
            asyncio.create_task(self._every(self.config.heartbeat_watchdog_interval_s, self._expire_heartbeats)),
        ]

    async def _every(self, interval_s: float, check) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await check()
            except Exception:
                log.exception("background check %s failed", check.__name__)

    async def _collect_garbage(self) -> None:
        now = time.monotonic()
        for session in list(self.sessions.values()):
            if session.finished:
                if now - session.finished_at > self.config.state_retain_s:
                    log.info("session %s removed after state retention", session.id)
                    await self.delete(session)
            elif session.state in (IDLE, BUSY):
                timeout = session.request.ttl_s or self.config.session_timeout_s
                if now - session.last_activity > timeout:
                    log.info("session %s idle for more than %ss, deleting", session.id, timeout)
                    await self.delete(session)

    async def _expire_heartbeats(self) -> None:
        now = time.monotonic()
        for session in list(self.sessions.values()):
            timeout = session.request.heartbeat_timeout_s
            if timeout > 0 and now - session.last_heartbeat > timeout:
                log.info("session %s missed its heartbeat (%ss), deleting", session.id, timeout)
                await self.delete(session)

    # ----- shutdown ----------------------------------------------------------

    async def shutdown(self) -> None:
        """Server exit: stop every driver (in parallel), leave nothing behind."""
        for task in self._tasks:
            task.cancel()
        sessions = list(self.sessions.values())
        await asyncio.gather(*(s.stop() for s in sessions), return_exceptions=True)
        for session in sessions:
            session.kill_now()
        self.sessions.clear()
        try:
            os.rmdir(self._work_dir)
        except OSError:
            pass

    def kill_all_now(self) -> None:
        for session in self.sessions.values():
            session.kill_now()
