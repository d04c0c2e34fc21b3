"""Lighter's sessions and statements, kept on top of devlivy's sessions and Spark drivers.

Paths below are under server/src/main/java/com/exacaster/lighter/ in github.com/exacaster/lighter
unless they name resources/. devlivy's Session runs the driver (its int id stays internal); this module
keeps what Lighter stores (application/Application.java, application/sessions/Statement.java) and
plays the part of Lighter's Python shell loop (resources/shell_wrapper.py main()) and of its
schedulers (application/sessions/SessionHandler.java).

Statements (application/sessions/processors/python/PythonSessionIntegration.java):
* A new statement is "waiting" (JdbcStatementStorage.create) and has no output.
* The shell reads every "waiting" statement at once (statementsToProcess), runs them one after the
  other and answers each (handleResponse: "available", or "error" when the code raised). There is no
  running state: a statement stays "waiting" while it runs.
* Cancel only sets the state to "cancelled" (cancelStatement -> updateState), whatever the state was.
  A statement cancelled before the shell read it never runs; one already read (running, or later in
  the batch being run) runs to the end and its answer overwrites "cancelled".
* A running session is "busy" while some statement is "waiting", else "idle"
  (application/sessions/SessionUtils.adjustState).
* When the session ends on its own, its "waiting" statements become "cancelled"
  (SessionHandler.trackRunning -> cancelStatements). After a DELETE they stay as they are and can still
  be read (the session row is only marked deleted; its statements stay).
"""

import asyncio
import logging
import math
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..config import ServerConfig
from ..kinds import LIGHTER_PYTHON
from ..session import BUSY, IDLE, SHUTTING_DOWN, STARTING, Session
from ..session_manager import SessionManager
from ..session_request import SessionRequest
from .errors import LighterError, bad_request, error, not_found
from .shapes import LOCAL_DATE_TIME_MIN, java_split_lines, local_date_time, output_from_shell, redact

log = logging.getLogger(__name__)

# application/ApplicationState.java (JSON: the lower-case name)
NOT_STARTED = "not_started"
RUNNING_STATES = (STARTING, IDLE, BUSY, SHUTTING_DOWN)  # ApplicationState.runningStates()
# application/ApplicationType.java
SESSION, PERMANENT_SESSION = "SESSION", "PERMANENT_SESSION"
# Statement states (strings in PythonSessionIntegration and JdbcStatementStorage)
WAITING, AVAILABLE, ERROR, CANCELLED = "waiting", "available", "error", "cancelled"
# shell_wrapper.py main(): time.sleep(0.1) when no statement is waiting.
SHELL_POLL_S = 0.1
# backend/local/LocalApp.java: LogCollectingHandler(500), the last 500 lines of the driver's output.
LOG_LINES = 500


@dataclass
class LighterStatement:
    id: str
    code: str
    created_at: datetime
    state: str = WAITING
    output: dict | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "code": self.code, "output": self.output, "state": self.state,
                "createdAt": local_date_time(self.created_at)}


class LighterSession:
    def __init__(self, lighter_id: str, app_type: str, submit_params: dict, session: Session,
                 created_at: datetime, statements: "OrderedDict[str, LighterStatement]"):
        self.id = lighter_id
        self.type = app_type
        self.submit_params = submit_params
        self.session = session
        self.created_at = self.contacted_at = created_at
        self.finished_at: datetime | None = None
        self.app_id: str | None = None
        self.deleted = False
        self.statements = statements  # shared with LighterSessions: outlives a DELETE
        self._pending: dict[int, asyncio.Future] = {}
        session.statement_listener = self._on_statement_done
        self.task = asyncio.create_task(self._shell_loop())

    # ----- views -------------------------------------------------------------

    @property
    def state(self) -> str:
        state = self.session.state  # starting, idle, busy, shutting_down, error, dead or killed
        if state in (IDLE, BUSY):
            return BUSY if self.has_waiting() else IDLE  # SessionUtils.adjustState
        return state

    def has_waiting(self) -> bool:
        return any(statement.state == WAITING for statement in self.statements.values())

    def last_used(self) -> datetime:
        """SessionService.lastUsed: the newest statement's creation, else the session's."""
        return max((s.created_at for s in self.statements.values()), default=self.created_at)

    def observe(self) -> None:
        """Takes note at once of a session that has ended, rather than at the shell loop's next poll,
        so that its state, finishedAt and statements agree in every answer."""
        if self.session.finished and not self.deleted and self.finished_at is None:
            self._on_finished()

    def to_json(self, state: str | None = None) -> dict:
        """application/Application.java after withRedactedConf(). appInfo is never set by any Lighter
        code (it is only copied around), `kind` is always "pyspark" and `log` always []."""
        self.observe()
        return {
            "id": self.id,
            "type": self.type,
            "state": state or self.state,
            "appId": self.app_id,
            "appInfo": None,
            "kind": "pyspark",
            "log": [],
            "submitParams": {**self.submit_params, "conf": redact(self.submit_params["conf"])},
            "createdAt": local_date_time(self.created_at),
            "contactedAt": local_date_time(self.contacted_at),
            "finishedAt": local_date_time(self.finished_at),
        }

    def log_text(self) -> str:
        """backend/local/logger/LogCollectingHandler.getLogs: each line plus a line separator."""
        return "".join(line + "\n" for line in self.session.log.tail(LOG_LINES))

    # ----- the Python shell's loop --------------------------------------------

    async def _shell_loop(self) -> None:
        try:
            while not self.deleted:
                if self.session.finished:
                    self._on_finished()
                    return
                if self.session.state in (IDLE, BUSY):
                    if self.app_id is None:
                        # The Spark application has reported in. backend/local/LocalBackend.getInfo names
                        # the session's own id as its application id; ApplicationStatusHandler.trackStatus
                        # stores it with the contact time.
                        self.app_id = self.id
                        self.contacted_at = datetime.now()
                    batch = [s for s in self.statements.values() if s.state == WAITING]  # statementsToProcess
                    for statement in batch:
                        result = await self._run(statement)
                        if result is None:
                            break
                        # handleResponse overwrites the state, "cancelled" included.
                        statement.state, statement.output = output_from_shell(result)
                    if batch:
                        continue
                await asyncio.sleep(SHELL_POLL_S)
        except Exception:
            log.exception("Lighter session %s: statement loop failed", self.id)

    async def _run(self, statement: LighterStatement) -> dict | None:
        """Runs one statement in the driver; None if the session ended or was deleted meanwhile."""
        try:
            internal_id = self.session.submit(statement.code, LIGHTER_PYTHON)["id"]
        except Exception:  # no longer ready
            return None
        future = asyncio.get_running_loop().create_future()
        self._pending[internal_id] = future
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=SHELL_POLL_S)
                if done:
                    return future.result()
                if self.deleted or self.session.finished:
                    return None
        finally:
            self._pending.pop(internal_id, None)

    def _on_statement_done(self, internal_id: int, output: dict | None) -> None:
        future = self._pending.get(internal_id)
        if future is not None and not future.done():
            future.set_result(output or {})

    def _on_finished(self) -> None:
        # SessionHandler.trackRunning sees the application complete: trackStatus stores the contact and
        # finish times, then the statements still waiting are cancelled.
        if self.finished_at is None:
            self.finished_at = self.contacted_at = datetime.now()
        for statement in self.statements.values():
            if statement.state == WAITING:
                statement.state = CANCELLED


class LighterSessions:
    """Every Lighter session of the server: application/sessions/SessionService.java plus the REST
    controller's lookups (rest/SessionController.java)."""

    def __init__(self, manager: SessionManager, config: ServerConfig):
        self.manager = manager
        self.config = config
        self.sessions: dict[str, LighterSession] = {}  # deleted ones too: their ids stay taken
        self.statements: dict[str, OrderedDict[str, LighterStatement]] = {}
        self._checks: asyncio.Task | None = None

    # ----- sessions ----------------------------------------------------------

    async def create(self, params: dict, session_id: str | None = None) -> dict:
        """SessionService.createSession: POST gets a random UUID, PUT /sessions/{id} names its own
        (409 when a row with that id exists, deleted or not: JdbcApplicationStorage.insertApplication).
        Answers the Application as inserted, so its state is "not_started"."""
        if session_id is None:
            session_id = str(uuid.uuid4())
        elif session_id in self.sessions:
            raise LighterError(409, error("Application already exists", sessionId=session_id))
        submit_params = self._submit_params(params)
        created_at = datetime.now()
        session = await self.manager.create(_session_request(session_id, submit_params))
        statements = self.statements.setdefault(session_id, OrderedDict())
        app_type = PERMANENT_SESSION if params["permanent"] is True else SESSION
        lighter = LighterSession(session_id, app_type, submit_params, session, created_at, statements)
        self.sessions[session_id] = lighter
        log.info("Lighter session %s is devlivy session %s", session_id, session.id)
        return lighter.to_json(state=NOT_STARTED)

    def _submit_params(self, params: dict) -> dict:
        """application/SubmitParams.java as serialized: the getters' defaults, the generated name
        (SessionService.createSession: "session_" + a random UUID) and the shell as `file`
        (LocalBackend.getSessionJobResources: lighter.url + /lighter/jobs/shell_wrapper.py)."""

        def default(key, value):
            return value if params[key] is None else params[key]

        return {
            "name": params["name"] if params["name"] is not None else f"session_{uuid.uuid4()}",
            "file": f"http://{self.config.host}:{self.config.port}/lighter/jobs/shell_wrapper.py",
            "master": params["master"],
            "mainClass": params["mainClass"],
            "numExecutors": default("numExecutors", 1),
            "executorCores": default("executorCores", 1),
            "executorMemory": default("executorMemory", "1000M"),
            "driverCores": default("driverCores", 1),
            "driverMemory": default("driverMemory", "1000M"),
            "args": params["args"],
            "pyFiles": params["pyFiles"],
            "files": params["files"],
            "jars": params["jars"],
            "archives": params["archives"],
            "conf": params["conf"],
        }

    def _observe(self, session_id: str) -> None:
        session = self.sessions.get(session_id)
        if session is not None:
            session.observe()

    def find(self, session_id: str) -> LighterSession | None:
        session = self.sessions.get(session_id)
        return session if session is not None and not session.deleted else None

    def get(self, session_id: str) -> LighterSession:
        session = self.find(session_id)
        if session is None:
            raise not_found()
        return session

    def page(self, start: int, size: int) -> list[LighterSession]:
        """JdbcApplicationStorage.findApplications: not deleted, newest first, OFFSET/LIMIT."""
        visible = sorted((s for s in self.sessions.values() if not s.deleted),
                         key=lambda s: s.created_at, reverse=True)
        return visible[max(start, 0):][:size] if size >= 0 else visible[max(start, 0):]

    async def delete(self, session_id: str) -> None:
        """SessionService.deleteOne: kill and mark deleted; nothing happens for an unknown id."""
        session = self.find(session_id)
        if session is None:
            return
        session.deleted = True
        await self.manager.delete(session.session)

    # ----- statements --------------------------------------------------------

    def create_statement(self, session_id: str, code: str) -> dict:
        """SessionService.createStatement: 404 for an unknown session, 400 once it is complete
        (InvalidSessionStateException); a session still starting takes statements, they wait."""
        session = self.get(session_id)
        session.observe()
        if session.session.finished:
            state = session.state
            raise bad_request(f"Invalid session state: {state.upper()}", sessionState=state)
        statement = LighterStatement(id=str(uuid.uuid4()), code=code, created_at=datetime.now())
        session.statements[statement.id] = statement
        return statement.to_json()

    def statement_page(self, session_id: str, start: int, size: int) -> list[LighterStatement]:
        """SessionService.getStatements: newest first, any session id (an unknown one has none)."""
        self._observe(session_id)
        statements = list(self.statements.get(session_id, {}).values())
        statements.sort(key=lambda s: s.created_at, reverse=True)
        return statements[max(start, 0):][:size] if size >= 0 else statements[max(start, 0):]

    def statement(self, session_id: str, statement_id: str) -> LighterStatement:
        self._observe(session_id)
        statement = self.statements.get(session_id, {}).get(statement_id)
        if statement is None:
            raise not_found()
        return statement

    def cancel(self, session_id: str, statement_id: str) -> dict:
        statement = self.statement(session_id, statement_id)
        statement.state = CANCELLED
        return statement.to_json()

    # ----- log -----------------------------------------------------------------

    def log_json(self, session_id: str, sparkmagic: bool):
        """SessionController.getLog. With `X-Compatibility-Mode: sparkmagic`: {"id", "log": lines}, or {}
        for an unknown session; without it the Log object (log/Log.java), or 404."""
        session = self.find(session_id)
        text = session.log_text() if session is not None else None
        if sparkmagic:
            return {} if text is None else {"id": session_id, "log": java_split_lines(text)}
        if text is None:
            raise not_found()
        return {"id": session_id, "log": text, "createdAt": LOCAL_DATE_TIME_MIN}

    # ----- schedules (SessionHandler) ------------------------------------------

    def start_background_checks(self) -> None:
        self._checks = asyncio.create_task(self._every(self.config.gc_interval_s))

    async def _every(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self._handle_timeout()
                await self._cleanup_finished()
            except Exception:
                log.exception("Lighter session checks failed")

    async def _handle_timeout(self) -> None:
        """SessionHandler.handleTimeout with timeout-active false: a running session without waiting
        statements, unused for the timeout, is killed (SessionService.killOne): state killed, finishedAt
        set, still listed."""
        timeout = self.config.session_timeout_s
        if not timeout or math.isinf(timeout):
            return
        cutoff = datetime.now() - timedelta(seconds=timeout)
        for session in list(self.sessions.values()):
            if session.deleted or session.state not in RUNNING_STATES or session.has_waiting():
                continue
            if session.last_used() < cutoff:
                log.info("Lighter session %s: killing because of timeout %ss", session.id, timeout)
                session.finished_at = datetime.now()
                await session.session.stop()

    async def _cleanup_finished(self) -> None:
        """SessionHandler.cleanupFinishedSessions: sessions finished for longer than
        lighter.state-retain-interval (--state-retain) are removed with their statements."""
        retain = self.config.state_retain_s
        if math.isinf(retain):
            return
        cutoff = datetime.now() - timedelta(seconds=retain)
        for session in list(self.sessions.values()):
            if session.deleted or not session.session.finished or session.finished_at is None:
                continue
            if session.finished_at < cutoff:
                log.info("Lighter session %s: removed, finished for more than %ss", session.id, retain)
                del self.sessions[session.id]
                self.statements.pop(session.id, None)
                await self.manager.delete(session.session)

    async def shutdown(self) -> None:
        tasks = [s.task for s in self.sessions.values()] + ([self._checks] if self._checks else [])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.manager.shutdown()


def _session_request(session_id: str, params: dict) -> SessionRequest:
    """What backend/SparkApp.buildLauncher gives spark-submit, as devlivy's driver request:
    archives as spark.yarn.dist.archives, the typed fields with their defaults, then the conf without
    `lighter.*` keys; LocalBackend's own settings (master, client deploy mode) come last, so a
    `spark.master` in the conf does not count. The Spark application is named after the session id:
    shell_wrapper.py's init_globals builds its SparkSession with appName(<session id>)."""
    conf: dict[str, str] = {}
    if params["archives"]:
        conf["spark.yarn.dist.archives"] = ",".join(params["archives"])
    conf.update({key: value for key, value in params["conf"].items() if not key.startswith("lighter.")})
    for key in ("spark.master", "spark.submit.deployMode"):
        conf.pop(key, None)
    conf["spark.app.name"] = session_id
    return SessionRequest(
        kind="pyspark", jars=list(params["jars"]), py_files=list(params["pyFiles"]), files=list(params["files"]),
        driver_memory=params["driverMemory"], driver_cores=params["driverCores"],
        executor_memory=params["executorMemory"], executor_cores=params["executorCores"],
        num_executors=params["numExecutors"], conf=conf,
    )
