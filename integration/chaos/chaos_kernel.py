"""A kernel under chaos: started with its own config file, cells that count their own executions,
and a cell runner that keeps asking `kernel_info` (on the control channel) while the cell waits.

Counting: every counted cell first appends its tag to a file (`open(PATH, 'a').write(TAG)`), so a
statement that ran twice shows as two lines, whatever the server or the kernel say.
"""
from __future__ import annotations

import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import KernelManager

from cell_output import session_id_of, stdout
from kernel_setup import stop_kernel

# A kernel_info request must be answered within this, whatever the cell is waiting on.
KERNEL_INFO_LIMIT_S = 1.0
# The kernel's livy.request_timeout_seconds in these tests: a stalled answer is given up after it.
REQUEST_TIMEOUT_S = 3

# Every kernel these tests start, so the session-end fixture can kill what a failure left behind.
STARTED: list[KernelManager] = []
# Slowest kernel_info answer per test (the conftest names the running test), for the summary.
SLOWEST_KERNEL_INFO: dict[str, float] = {}
CURRENT_TEST = [""]


@dataclass
class CellRun:
    msg_id: str
    reply: dict | None = None
    messages: list[dict] = field(default_factory=list)
    kernel_info_s: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def content(self) -> dict:
        return self.reply["content"]

    @property
    def status(self) -> str:
        return self.content["status"]

    @property
    def stdout(self) -> str:
        return stdout(self.messages)

    @property
    def stderr(self) -> str:
        return "".join(m["content"]["text"] for m in self.messages
                       if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")

    @property
    def error_text(self) -> str:
        """ename, evalue and traceback of the reply, one string (what the notebook shows)."""
        c = self.content
        return "\n".join([c.get("ename", ""), c.get("evalue", ""), *c.get("traceback", [])])

    @property
    def slowest_kernel_info(self) -> float:
        return max(self.kernel_info_s, default=0.0)

    def announced_session(self) -> int | None:
        try:
            return session_id_of(self.messages)
        except AssertionError:
            return None


class ChaosKernel:
    """A `livy-pyspark` kernel whose config file points it at `livy_url` with a short request
    timeout, and the file its counted cells write to."""

    def __init__(self, livy_url: str, work: Path, **livy_settings):
        self.work = work
        self.count_file = work / f"executions-{uuid.uuid4().hex[:8]}.txt"
        self.count_file.touch()
        config = work / f"config-{uuid.uuid4().hex[:8]}.json"
        config.write_text(json.dumps({"livy": {"url": livy_url, "request_timeout_seconds": REQUEST_TIMEOUT_S,
                                               **livy_settings}}))
        self.km = KernelManager(kernel_name="livy-pyspark")
        STARTED.append(self.km)
        env = {**os.environ, "LIVY_KERNEL_CONFIG": str(config)}
        env.pop("LIVY_URL", None)
        self.km.start_kernel(env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=30)
        self.session_id: int | None = None
        self._tags = 0

    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid

    def stop(self) -> None:
        stop_kernel(self.km, self.kc)

    # ----- cells -------------------------------------------------------------------------------

    def tag(self, name: str) -> str:
        self._tags += 1
        return f"{name}-{self._tags}-{uuid.uuid4().hex[:6]}"

    def counted(self, tag: str, body: str = "") -> str:
        """A cell that records its execution, runs `body`, then prints `<tag> done`."""
        return (f"open({str(self.count_file)!r}, 'a').write({tag!r} + '\\n')\n"
                + (body + "\n" if body else "") + f"print({tag!r} + ' done')")

    def executions(self, tag: str) -> int:
        return self.count_file.read_text().split().count(tag)

    def wait_executions(self, tag: str, n: int = 1, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while (count := self.executions(tag)) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return count

    def run(self, code: str, timeout: float = 180, probe_every: float = 0.4, hooks=()) -> CellRun:
        """Runs a cell; while it waits, asks `kernel_info` on the control channel every
        `probe_every` s and records how long each answer took. `hooks` are (condition, action)
        pairs: each action runs once, on the first poll where its condition holds."""
        started = time.monotonic()
        run = CellRun(self.kc.execute(code))
        pending = list(hooks)
        idle = False
        next_probe = started  # the first probe right away: some faults end the cell at once
        deadline = started + timeout
        while run.reply is None or not idle:
            now = time.monotonic()
            if now > deadline:
                raise TimeoutError(f"no reply to the cell within {timeout} s; stdout so far: {run.stdout!r}")
            for hook in [h for h in pending if h[0]()]:
                pending.remove(hook)
                hook[1]()
            if run.reply is None and now >= next_probe:
                run.kernel_info_s.append(self.kernel_info_latency())
                next_probe = time.monotonic() + probe_every
            while (msg := self._get(self.kc.get_iopub_msg, 0.02)) is not None:
                if msg["parent_header"].get("msg_id") != run.msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                else:
                    run.messages.append(msg)
            while (msg := self._get(self.kc.get_shell_msg, 0.02)) is not None:
                if msg["parent_header"].get("msg_id") == run.msg_id:
                    run.reply = msg
        run.seconds = time.monotonic() - started
        if (announced := run.announced_session()) is not None:
            self.session_id = announced
        return run

    def kernel_info_latency(self, limit: float = 10) -> float:
        """Seconds until the kernel answers kernel_info on the control channel (`limit` if never)."""
        latency = self._control_kernel_info(limit)
        test = CURRENT_TEST[0]
        SLOWEST_KERNEL_INFO[test] = max(SLOWEST_KERNEL_INFO.get(test, 0.0), latency)
        return latency

    def _control_kernel_info(self, limit: float) -> float:
        msg = self.kc.session.msg("kernel_info_request", {})
        sent = time.monotonic()
        self.kc.control_channel.send(msg)
        while (left := limit - (time.monotonic() - sent)) > 0:
            reply = self._get(self.kc.get_control_msg, left)
            if reply is not None and reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return time.monotonic() - sent
        return limit

    def shell_kernel_info_latency(self, limit: float = 10) -> float:
        """The same on the shell channel (meaningful when no cell is running)."""
        sent = time.monotonic()
        msg_id = self.kc.kernel_info()
        while (left := limit - (time.monotonic() - sent)) > 0:
            reply = self._get(self.kc.get_shell_msg, left)
            if reply is not None and reply["parent_header"].get("msg_id") == msg_id:
                return time.monotonic() - sent
        return limit

    @staticmethod
    def _get(getter, timeout: float):
        try:
            return getter(timeout=timeout)
        except Exception:  # queue.Empty
            return None

    # ----- sessions ----------------------------------------------------------------------------

    def current_session(self, livy) -> int:
        """The Livy session the kernel's cells run in, found by its Spark application id."""
        run = self.run("spark.sparkContext.applicationId", timeout=240)
        assert run.status == "ok", run.error_text
        app_id = run.stdout.strip().strip("'")
        self.session_id = next(s["id"] for s in livy.get("/sessions").json()["sessions"] if s["appId"] == app_id)
        return self.session_id


# ----- what the tests check ----------------------------------------------------------------------

def server_statements(livy, session_id: int, tag: str) -> list[dict]:
    """The statements of a session (asked of the server directly) whose code carries `tag`."""
    response = livy.get(f"/sessions/{session_id}/statements")
    assert response.status_code == 200, response.text
    return [s for s in response.json()["statements"] if tag in s["code"]]


def wait_statements_final(livy, session_id: int, timeout: float = 60) -> None:
    """Waits until no statement of the session is waiting or running (a duplicate would be)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = livy.get(f"/sessions/{session_id}/statements")
        if response.status_code != 200:
            return
        if all(s["state"] in ("available", "cancelled") for s in response.json()["statements"]):
            return
        time.sleep(0.1)


def assert_responsive(run: CellRun, kernel: ChaosKernel) -> None:
    """kernel_info answered within the limit while the cell waited, and once it was over."""
    assert run.kernel_info_s, "no kernel_info probe ran while the cell waited"
    assert run.slowest_kernel_info < KERNEL_INFO_LIMIT_S, (
        f"kernel_info took {run.slowest_kernel_info:.2f} s while the cell waited "
        f"(probes: {[round(s, 2) for s in run.kernel_info_s]})")
    after = max(kernel.kernel_info_latency(), kernel.shell_kernel_info_latency())
    assert after < KERNEL_INFO_LIMIT_S, f"kernel_info took {after:.2f} s after the fault"


def assert_error_names(run: CellRun, ename: str | tuple[str, ...], cause: str, next_step: str) -> None:
    """The cell failed with `ename`; `cause` (regex) is in ename/evalue, `next_step` (regex) in
    what the notebook shows."""
    assert run.status == "error", f"the cell did not fail: {run.stdout!r}"
    enames = (ename,) if isinstance(ename, str) else ename
    content = run.content
    assert content["ename"] in enames, run.error_text
    head = content["ename"] + ": " + content["evalue"]
    assert re.search(cause, head, re.I | re.S), f"the error does not name the cause /{cause}/:\n{run.error_text}"
    assert re.search(next_step, run.error_text, re.I | re.S), (
        f"the error does not name the next step /{next_step}/:\n{run.error_text}")
    assert "<html" not in run.error_text.lower(), f"raw HTML in the error:\n{run.error_text}"
