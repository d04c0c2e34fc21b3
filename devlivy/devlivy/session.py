"""One interactive session: its state machine, its statement queue and the
driver process behind it.

Server-side states follow Livy (docs/livy-rest.md §2.8): starting -> idle <-> busy,
shutting_down -> killed on delete, dead when the driver exits on its own,
error when the start fails. Statements queue here and go to the driver one
at a time, so a waiting statement can be cancelled without involving Spark.
"""

import asyncio
import logging
import time
from collections import OrderedDict, deque
from typing import Callable

from . import statement as st
from .config import ServerConfig
from .driver_conf import app_name, rpc_max_bytes, spark_conf, sql_num_rows
from .driver_process import DriverProcess
from .http_errors import bare, msg, not_ready
from .kinds import SHARED
from .log_buffer import LogBuffer
from .session_request import SessionRequest
from .statement import Statement, now_ms

log = logging.getLogger(__name__)

STARTING, IDLE, BUSY, SHUTTING_DOWN = "starting", "idle", "busy", "shutting_down"
ERROR, DEAD, KILLED = "error", "dead", "killed"
# Internal: the driver answered; the visible state is then idle or busy.
READY = "ready"
FINISHED_STATES = (ERROR, DEAD, KILLED)
# Livy waits for a completion without limit; the driver answers within a few
# seconds (a busy Scala interpreter answers []), this only guards against a
# driver that stops answering.
COMPLETION_TIMEOUT_S = 30.0


class Session:
    def __init__(self, session_id: int, request: SessionRequest, config: ServerConfig, scratch: str):
        self.id = session_id
        self.request = request
        self.config = config
        self._state = STARTING
        self.app_id: str | None = None
        self.spark_ui_url: str | None = None
        self.log = LogBuffer(config.cache_log_size)
        self.statements: OrderedDict[int, Statement] = OrderedDict()
        self._next_statement_id = 0
        self._waiting: deque[Statement] = deque()
        self._driver_busy = False  # true from dispatch until the driver reports done
        self._dispatched_at = 0.0
        self.last_activity = time.monotonic()
        self.last_heartbeat = time.monotonic()
        self.finished_at: float | None = None
        self.driver = DriverProcess(scratch, self._on_event, self.log.append)
        self._watch_task: asyncio.Task | None = None
        self._completions: dict[int, asyncio.Future] = {}
        self._next_completion_ref = 0
        # Called with (statement id, output) when the driver reports a statement done; the
        # `--dialect lighter` layer (devlivy/lighter/) keeps its own statements through it.
        self.statement_listener: Callable[[int, dict | None], None] | None = None

    # ----- state -------------------------------------------------------------

    @property
    def state(self) -> str:
        if self._state == READY:
            return BUSY if self._driver_busy or self._waiting else IDLE
        return self._state

    @property
    def finished(self) -> bool:
        return self._state in FINISHED_STATES

    @property
    def active(self) -> bool:
        """Still usable or about to be (Livy's !isFinished, minus shutting down)."""
        return self._state in (STARTING, READY)

    def touch_activity(self) -> None:
        self.last_activity = time.monotonic()

    def touch_heartbeat(self) -> None:
        self.last_heartbeat = time.monotonic()

    # ----- lifecycle ---------------------------------------------------------

    async def start(self) -> None:
        config = {
            "master": self.config.spark_master,
            "kind": self.request.kind,
            "appName": app_name(self.request, self.id),
            "sparkConf": spark_conf(self.request, self.driver.scratch),
            "numRows": sql_num_rows(self.request),
            "maxOutputBytes": rpc_max_bytes(self.request),
            "cancelTimeoutS": self.config.job_cancel_timeout_s,
        }
        try:
            await self.driver.start(config, user=self.request.proxy_user)
        except OSError as exc:
            self._fail_start(f"could not launch the driver process: {exc}")
            self.driver.remove_scratch()
            return
        self.log.append(f"devlivy: session {self.id} driver pid {self.driver.pid} "
                        f"(process group {self.driver.pid}), scratch {self.driver.scratch}")
        self._watch_task = asyncio.create_task(self._watch_driver())

    async def stop(self) -> None:
        """DELETE: stop the driver (and its whole process group), then killed."""
        if self._state in (SHUTTING_DOWN, KILLED):
            return
        previous = self._state
        self._state = SHUTTING_DOWN
        # An idle driver gets time to stop Spark cleanly; a busy or starting
        # one could only answer later, so it is killed at once.
        clean = previous == READY and not self._driver_busy
        await self.driver.stop(self.config.stop_grace_s if clean else 0)
        if self._watch_task is not None:
            await asyncio.gather(self._watch_task, return_exceptions=True)
        self.driver.remove_scratch()
        # A session that had already ended keeps its state (dead, error).
        self._state = previous if previous in FINISHED_STATES else KILLED
        self.finished_at = self.finished_at or time.monotonic()

    def kill_now(self) -> None:
        self.driver.kill_now()
        self.driver.remove_scratch()

    async def _watch_driver(self) -> None:
        code = await self.driver.wait()
        if self._state == SHUTTING_DOWN:
            return
        if self._state == STARTING:
            self._fail_start(f"the driver process exited with code {code} during start-up")
        elif self._state == READY:
            self.log.append(f"devlivy: the driver process exited unexpectedly with code {code}")
            self._state = DEAD
            self._abandon_statements(f"Interpreter died: the Spark driver process exited with code {code}")
        self.finished_at = self.finished_at or time.monotonic()
        self.driver.remove_scratch()
        for future in self._completions.values():
            if not future.done():
                future.set_result([])

    def _fail_start(self, reason: str) -> None:
        if self._state != ERROR:
            self.log.append(f"devlivy: session {self.id} failed to start: {reason}")
            log.warning("session %s failed to start: %s", self.id, reason)
        self._state = ERROR
        self.finished_at = time.monotonic()

    def _abandon_statements(self, reason: str) -> None:
        for statement in self.statements.values():
            if not statement.finished:
                statement.state = st.AVAILABLE
                statement.completed = now_ms()
                statement.output = {
                    "status": "error", "execution_count": statement.id,
                    "ename": "Error", "evalue": reason, "traceback": [],
                }
        self._waiting.clear()
        self._driver_busy = False

    # ----- events from the driver -------------------------------------------

    def _on_event(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "ready":
            if self._state == STARTING:
                self.app_id = event.get("appId")
                self.spark_ui_url = event.get("sparkUiUrl")
                self._state = READY
                self.touch_activity()  # the idle clock starts when the session is usable
                self.log.append(f"devlivy: session {self.id} is ready, Spark UI at {self.spark_ui_url}")
                self._dispatch()
        elif kind == "fatal":
            self._fail_start(event.get("message", "unknown error"))
        elif kind == "progress":
            statement = self.statements.get(event.get("id"))
            if statement is not None and statement.state in (st.RUNNING, st.CANCELLING):
                statement.progress = float(event.get("progress", 0.0))
        elif kind == "completion":
            future = self._completions.get(event.get("ref"))
            if future is not None and not future.done():
                future.set_result(list(event.get("candidates", [])))
        elif kind == "done":
            self._on_done(event["id"], event.get("output"), float(event.get("exec_ms", 0.0)))

    def _on_done(self, statement_id: int, output: dict | None, exec_ms: float) -> None:
        self._driver_busy = False
        round_trip_ms = (time.perf_counter() - self._dispatched_at) * 1000
        # What the server and the socket add on top of running the code.
        log.info("session %s statement %s: %.2f ms in the driver, %.2f ms dispatch to result",
                 self.id, statement_id, exec_ms, round_trip_ms)
        statement = self.statements.get(statement_id)
        if statement is not None and not statement.finished:
            statement.output = output
            statement.completed = now_ms()
            # A cancelled statement keeps what its code returned (often the
            # job-cancelled error), as Livy does.
            statement.state = st.CANCELLED if statement.state == st.CANCELLING else st.AVAILABLE
        if self.statement_listener is not None:
            self.statement_listener(statement_id, output)
        self.touch_activity()  # Livy counts busy -> idle as activity
        self._dispatch()

    # ----- statements --------------------------------------------------------

    def submit(self, code: str, kind: str | None) -> dict:
        """Queues a statement; returns its JSON as created (`waiting`), which
        is what Livy answers since its REPL picks statements up asynchronously."""
        self.require_ready()
        kind = kind or self.request.kind
        if kind == SHARED:
            raise bare(500, "java.lang.IllegalArgumentException: Code type should be specified "
                            "if session kind is shared")
        statement = Statement(id=self._next_statement_id, code=code, kind=kind)
        self._next_statement_id += 1
        self.statements[statement.id] = statement
        self._evict_old_statements()
        self._waiting.append(statement)
        created = statement.to_json()
        self.touch_activity()
        self._dispatch()
        return created

    def cancel(self, statement_id: int) -> None:
        self.require_ready()
        self.touch_activity()
        statement = self.statements.get(statement_id)
        if statement is None or statement.finished or statement.state == st.CANCELLING:
            return  # Livy answers "canceled" for these too
        if statement.state == st.WAITING:
            self._waiting.remove(statement)
            statement.state = st.CANCELLED
            statement.completed = now_ms()
            return
        statement.state = st.CANCELLING
        self.driver.send({"op": "cancel", "id": statement_id})
        asyncio.get_running_loop().call_later(
            self.config.job_cancel_timeout_s, self._give_up_cancel, statement)

    def _give_up_cancel(self, statement: Statement) -> None:
        # livy.rsc.job-cancel.timeout: code that runs no Spark job cannot be
        # stopped; the statement is reported cancelled while the code goes on
        # and later statements keep waiting behind it.
        if statement.state == st.CANCELLING:
            statement.state = st.CANCELLED
            statement.completed = now_ms()

    async def complete(self, code: str, kind: str, cursor: int) -> list[str]:
        """Completion candidates from the driver; it runs them beside any
        running statement, so this never waits in the statement queue."""
        self.require_ready()
        self.touch_activity()
        ref = self._next_completion_ref
        self._next_completion_ref += 1
        future = asyncio.get_running_loop().create_future()
        self._completions[ref] = future
        try:
            self.driver.send({"op": "complete", "ref": ref, "kind": kind, "code": code, "cursor": cursor})
            return await asyncio.wait_for(future, COMPLETION_TIMEOUT_S)
        except (asyncio.TimeoutError, ConnectionError, OSError) as exc:
            log.warning("session %s: completion got no answer from the driver: %r", self.id, exc)
            return []
        finally:
            del self._completions[ref]

    def statement(self, statement_id: int) -> Statement:
        self._require_active_for_read()
        statement = self.statements.get(statement_id)
        if statement is None:
            raise bare(404, "Statement not found")
        return statement

    def statement_list(self) -> list[Statement]:
        self._require_active_for_read()
        return list(self.statements.values())

    def _dispatch(self) -> None:
        if self._state != READY or self._driver_busy or not self._waiting:
            return
        statement = self._waiting.popleft()
        statement.state = st.RUNNING
        statement.started = now_ms()
        self._driver_busy = True
        self._dispatched_at = time.perf_counter()
        try:
            self.driver.send({"op": "run", "id": statement.id, "kind": statement.kind, "code": statement.code})
        except (ConnectionError, OSError) as exc:
            # The driver is going away; _watch_driver will mark the session dead.
            log.warning("session %s: could not send statement %s: %s", self.id, statement.id, exc)

    def _evict_old_statements(self) -> None:
        # livy.rsc.retained-statements: only finished statements are dropped.
        excess = len(self.statements) - self.config.retained_statements
        for statement_id in [s.id for s in self.statements.values() if s.finished][:max(0, excess)]:
            del self.statements[statement_id]

    def require_ready(self) -> None:
        if self._state != READY:
            raise not_ready(self.state)

    def _require_active_for_read(self) -> None:
        if not self.active:
            raise msg(400, "requirement failed: Session isn't active.")

    # ----- JSON views --------------------------------------------------------

    def to_json(self) -> dict:
        proxy_user = self.request.proxy_user
        return {
            "id": self.id,
            "name": self.request.name,
            "appId": self.app_id,
            # Like a Livy with impersonation on: the owner is who asked (without an authenticated
            # user, the requested proxyUser impersonating themself).
            "owner": self.request.owner or proxy_user,
            "proxyUser": proxy_user,
            "state": self.state,
            "kind": self.request.kind,
            "appInfo": self._app_info(),
            "log": self.log.tail(10),
            **self.request.creation_fields(),
        }

    def _app_info(self) -> dict:
        """docs/livy-rest.md §2.3: real Livy fills appInfo only on YARN, and there with the
        ResourceManager's proxy and the NodeManager's log page, never the driver's own UI."""
        mode = self.config.app_info
        if mode == "driver":
            return {"driverLogUrl": None, "sparkUiUrl": self.spark_ui_url}
        if mode == "yarn":
            app = "application_1700000000000_" + f"{self.id:04d}"
            return {"driverLogUrl": f"http://nodemanager.example.invalid:8042/node/containerlogs/"
                                    f"container_1700000000000_{self.id:04d}_01_000001/{self.request.owner or 'livy'}",
                    "sparkUiUrl": f"http://resourcemanager.example.invalid:8088/proxy/{app}/"}
        return {"driverLogUrl": None, "sparkUiUrl": None}

    def state_json(self) -> dict:
        return {"id": self.id, "state": self.state}
