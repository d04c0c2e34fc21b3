"""Faults of the session and the server, on the real dev Livy server: the session deleted behind
the kernel's back, the session dead mid-statement (its Spark JVM killed), the driver's whole
process group SIGKILLed mid-statement, and the dev Livy server restarted mid-statement.

Each test checks, as test_http_faults.py does: the error names the cause (the state Livy
reported) and the next step, kernel_info is answered within 1 s throughout, the next cell works
(in a new session), and the cell's code ran at most once.
"""
import os
import re
import signal
import threading
import time

import pytest

from chaos_kernel import ChaosKernel, assert_error_names, assert_responsive, server_statements
from devlivy.testing import LivyServer, java_children, wait_group_gone

SLEEPING = "import time; time.sleep(20)"
NEXT_CELL = r"next cell (starts|runs in) a new (Spark )?session"


def started(kernel, tag):
    return lambda: kernel.executions(tag) >= 1


def next_cell_runs_in_a_new_session(kernel, livy, old_session: int):
    tag = kernel.tag("after")
    run = kernel.run(kernel.counted(tag), timeout=240)
    assert run.status == "ok", run.error_text
    assert f"{tag} done" in run.stdout
    assert kernel.session_id is not None and kernel.session_id != old_session, "no new session was announced"
    assert kernel.executions(tag) == 1
    assert len(server_statements(livy, kernel.session_id, tag)) == 1
    return run


def test_session_deleted_mid_statement(kernel, livy):
    session = kernel.session_id
    tag = kernel.tag("deleted")
    deleted = []
    deleting = threading.Thread(target=lambda: deleted.append(livy.delete(f"/sessions/{session}").status_code))
    run = kernel.run(kernel.counted(tag, SLEEPING), hooks=[(started(kernel, tag), deleting.start)])
    assert_responsive(run, kernel)
    deleting.join(60)
    assert deleted == [200]
    assert_error_names(run, "SparkSessionLost", cause=rf"session {session}\b.*(killed|shutting_down)",
                       next_step=NEXT_CELL)
    assert kernel.executions(tag) == 1
    next_cell_runs_in_a_new_session(kernel, livy, session)


def test_session_deleted_between_cells(kernel, livy):
    """Deleted while no cell ran: the next cell says the state was lost and runs in a new session."""
    session = kernel.session_id
    assert livy.delete(f"/sessions/{session}").status_code == 200
    run = next_cell_runs_in_a_new_session(kernel, livy, session)
    assert re.search(rf"Spark session {session}\b.*lost", run.stderr, re.S), run.stderr
    assert_responsive(run, kernel)


def test_session_dead_mid_statement(kernel, livy):
    """The session's Spark JVM dies (as under the OOM killer); the driver exits with it and Livy
    reports the session `dead`."""
    session = kernel.session_id
    driver = livy.driver_pid(session)
    tag = kernel.tag("dead")

    def kill_jvm():
        jvms = java_children(driver)
        assert jvms, f"no JVM in the driver's process group {driver}"
        for pid in jvms:
            os.kill(pid, signal.SIGKILL)

    run = kernel.run(kernel.counted(tag, SLEEPING), hooks=[(started(kernel, tag), kill_jvm)])
    assert_responsive(run, kernel)
    assert livy.get(f"/sessions/{session}/state").json()["state"] == "dead"
    assert_error_names(run, "SparkSessionLost", cause=rf"session {session}\b.*\bdead\b", next_step=NEXT_CELL)
    assert kernel.executions(tag) == 1
    next_cell_runs_in_a_new_session(kernel, livy, session)


def test_driver_sigkilled_mid_statement(kernel, livy):
    """SIGKILL to the driver's whole process group (Python driver, JVM, workers)."""
    session = kernel.session_id
    driver = livy.driver_pid(session)
    tag = kernel.tag("sigkill")
    run = kernel.run(kernel.counted(tag, SLEEPING),
                     hooks=[(started(kernel, tag), lambda: os.killpg(driver, signal.SIGKILL))])
    assert_responsive(run, kernel)
    assert wait_group_gone(driver) == []
    assert livy.get(f"/sessions/{session}/state").json()["state"] == "dead"
    assert_error_names(run, "SparkSessionLost", cause=rf"session {session}\b.*\bdead\b", next_step=NEXT_CELL)
    assert kernel.executions(tag) == 1
    next_cell_runs_in_a_new_session(kernel, livy, session)


# ----- the server restarted under a running statement --------------------------------------------

class Restart:
    """Stops the server (which kills its drivers), and starts a new one on the same port where
    another client at once takes session id 0 again and runs statements 0 and 1 in it — the ids
    the kernel's session and statement had."""

    def __init__(self, server: LivyServer):
        self.port = server.port
        self.old = server
        self.new: LivyServer | None = None
        self.other_session: int | None = None
        self.stopped_at: float | None = None
        self.starting = False
        self._stopping: threading.Thread | None = None
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def _in_thread(self, target):
        def guarded():
            try:
                target()
            except BaseException as error:  # reported by join()
                self.errors.append(error)
        thread = threading.Thread(target=guarded, daemon=True)
        self.threads.append(thread)
        thread.start()
        return thread

    def stop_server(self):
        def stop():
            self.old.stop()
            self.stopped_at = time.monotonic()
        self._stopping = self._in_thread(stop)

    def start_server(self):
        """Once: waits for the stop, starts the new server, lets the other client take id 0."""
        if self.starting:
            return
        self.starting = True

        def start():
            self._stopping.join(120)
            self.new = LivyServer(port=self.port)
            self.other_session = self.new.start_session({"kind": "pyspark", "name": "someone-else"})
            for i in range(2):
                self.new.run_ok(self.other_session, f"print('OTHER-CLIENT-{i}')")
        self._in_thread(start)

    def down_for(self, seconds: float) -> bool:
        return self.stopped_at is not None and not self.starting and time.monotonic() - self.stopped_at > seconds

    def join(self):
        for thread in self.threads:
            thread.join(240)
        if self.errors:
            raise self.errors[0]


@pytest.fixture
def restart_server():
    server = LivyServer()
    restart = Restart(server)
    yield restart
    for thread in restart.threads:
        thread.join(240)
    server.stop()
    if restart.new is not None:
        restart.new.stop()


def test_server_restarted_mid_statement(restart_server, tmp_path):
    """Livy without recovery restarts while a statement runs: the kernel's session and statement
    are gone, and their ids will denote someone else's. Every problem is collected, then reported."""
    restart = restart_server
    kernel = ChaosKernel(restart.old.url, tmp_path)
    problems = []
    try:
        session = kernel.current_session(restart.old)
        assert session == 0
        tag = kernel.tag("restart")
        # The server goes down while the statement runs and stays down until the cell has given up
        # (or 20 s: a kernel that waits for Livy to come back gets it back).
        run = kernel.run(kernel.counted(tag, SLEEPING), timeout=240, hooks=[
            (started(kernel, tag), restart.stop_server),
            (lambda: restart.down_for(20), restart.start_server)])
        assert_responsive(run, kernel)
        restart.start_server()  # no-op if the hook did
        restart.join()
        assert restart.other_session == session, "the other client did not get the kernel's session id"
        assert kernel.executions(tag) == 1
        if "OTHER-CLIENT" in run.stdout:
            problems.append("the running cell showed another client's statement as its own")
        try:
            assert_error_names(run, ("SparkSessionLost", "LivyUnreachable"),
                               cause=rf"session {session}\b|restart|cannot reach",
                               next_step=rf"{NEXT_CELL}|statement|again")
            if re.search(r"nothing was lost", run.error_text, re.I):
                problems.append(f"the running cell says nothing was lost: {run.content['evalue']}")
        except AssertionError as error:
            problems.append(f"the running cell: {error}")

        after = kernel.tag("after-restart")
        run = kernel.run(kernel.counted(after), timeout=240)
        others = [s["code"] for s in restart.new.get(f"/sessions/{session}/statements").json()["statements"]]
        if [code for code in others if after in code]:
            problems.append("the next cell was sent into another client's session")
        if run.status != "ok" or f"{after} done" not in run.stdout:
            problems.append(f"the next cell did not work: {run.error_text if run.status != 'ok' else run.stdout}")
        if "OTHER-CLIENT" in run.stdout:
            problems.append("the next cell showed another client's output")
        if kernel.session_id == session:
            problems.append(f"the next cell did not start a session of its own (still session {session})")
        if kernel.executions(after) != 1:
            problems.append(f"the next cell ran {kernel.executions(after)} times")
        assert_responsive(run, kernel)
        kernel.stop()
        if restart.new.get(f"/sessions/{session}/state").json().get("state") not in ("idle", "busy"):
            problems.append("the kernel's shutdown deleted the other client's session")
    finally:
        kernel.stop()
    assert not problems, "\n".join(problems)


# ----- the interpreter dies and Livy says `error` (scripted Livy) ---------------------------------

@pytest.fixture
def scripted_livy():
    from scripted_livy import ScriptedLivy
    server = ScriptedLivy()
    yield server
    server.close()


def test_interpreter_died_session_in_error(scripted_livy, tmp_path):
    """Real Livy, when a session's Python interpreter dies, ends the statement with
    `Error: Interpreter died:` and puts the session in state `error`, where it keeps accepting
    statements and failing them. The cell must name that state and the next step, and the next
    cell must run in a new session, not fail again in the broken one."""
    livy = scripted_livy
    kernel = ChaosKernel(livy.url, tmp_path)
    try:
        first = kernel.tag("first")
        run = kernel.run(kernel.counted(first))
        assert run.status == "ok", run.error_text
        session = kernel.session_id
        tag = kernel.tag("dies")
        livy.die_on(tag)
        run = kernel.run(kernel.counted(tag))
        assert_responsive(run, kernel)
        # Livy left the session in `error`; the kernel, whose session it is, deleted it.
        assert livy.sessions[session]["state"] == "killed"
        assert livy.submitted[tag] == 1
        problems = []
        try:
            assert_error_names(run, ("SparkSessionLost", "Error"), cause=r"Interpreter died|\berror\b",
                               next_step=NEXT_CELL)
        except AssertionError as error:
            problems.append(f"the cell: {error}")
        after = kernel.tag("after")
        run = kernel.run(kernel.counted(after))
        assert_responsive(run, kernel)
        assert livy.submitted[after] == 1
        if run.status != "ok" or f"{after} done" not in run.stdout:
            problems.append(f"the next cell failed: {run.error_text}")
        if kernel.session_id == session:
            problems.append(f"the next cell was sent to session {session}, in state 'error'")
        assert not problems, "\n".join(problems)
    finally:
        kernel.stop()
