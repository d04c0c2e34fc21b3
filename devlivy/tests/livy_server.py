"""Test helpers: a devlivy server in a subprocess and a small Livy client.

The client is deliberately plain `requests` calls: tests should see exactly
the status codes and bodies a real Livy client would.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

DEVLIVY_DIR = Path(__file__).resolve().parent.parent
FINAL_STATEMENT_STATES = ("available", "cancelled")
# livy.rsc.job-cancel.timeout of the test servers (Livy's default is 30 s).
JOB_CANCEL_TIMEOUT_S = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LivyServer:
    def __init__(self, *extra_args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.work_dir = tempfile.mkdtemp(prefix="devlivy-test-")
        self.log_path = os.path.join(self.work_dir, "server.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devlivy", "--port", str(self.port),
             "--work-dir", os.path.join(self.work_dir, "sessions"),
             "--heartbeat-watchdog-interval", "1", "--gc-interval", "1",
             "--job-cancel-timeout", str(JOB_CANCEL_TIMEOUT_S), *extra_args],
            cwd=DEVLIVY_DIR, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self.http = requests.Session()
        deadline = time.monotonic() + 30
        while True:
            try:
                self.http.get(self.url + "/sessions", timeout=1)
                break
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("devlivy did not start:\n" + self.server_log())
                time.sleep(0.1)

    def server_log(self) -> str:
        return Path(self.log_path).read_text()

    def stop(self, timeout: float = 60, cleanup: bool = True) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        if cleanup and self.process.returncode == 0:  # keep the log of a server that failed
            shutil.rmtree(self.work_dir, ignore_errors=True)
        return self.process.returncode

    # ----- HTTP --------------------------------------------------------------

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.url + path, timeout=30, **kw)

    def post(self, path: str, body=None, **kw) -> requests.Response:
        if body is not None and "data" not in kw:
            kw["json"] = body
        return self.http.post(self.url + path, timeout=60, **kw)

    def delete(self, path: str, **kw) -> requests.Response:
        return self.http.delete(self.url + path, timeout=60, **kw)

    # ----- sessions ----------------------------------------------------------

    def create_session(self, body: dict | None = None) -> dict:
        response = self.post("/sessions", body or {})
        assert response.status_code == 201, response.text
        return response.json()

    def wait_state(self, session_id, states=("idle",), timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            response = self.get(f"/sessions/{session_id}/state")
            if response.status_code == 404:
                state = "<gone>"
            else:
                state = response.json()["state"]
            if state in states:
                return state
            if state in ("error", "dead", "killed", "<gone>") and state not in states:
                break
            time.sleep(0.1)
        log = self.get(f"/sessions/{session_id}/log?size=-1")
        raise AssertionError(f"session {session_id} is {state}, wanted {states}; log:\n"
                             + ("\n".join(log.json()["log"]) if log.status_code == 200 else log.text))

    def start_session(self, body: dict | None = None) -> int:
        session_id = self.create_session(body)["id"]
        self.wait_state(session_id)
        return session_id

    def driver_pid(self, session_id) -> int:
        lines = self.get(f"/sessions/{session_id}/log?from=0&size=-1").json()["log"]
        for line in lines:
            match = re.search(r"driver pid (\d+)", line)
            if match:
                return int(match.group(1))
        raise AssertionError(f"no driver pid in the log of session {session_id}")

    # ----- statements --------------------------------------------------------

    def submit(self, session_id, code: str, kind: str | None = "pyspark") -> dict:
        body = {"code": code} if kind is None else {"code": code, "kind": kind}
        response = self.post(f"/sessions/{session_id}/statements", body)
        assert response.status_code == 201, response.text
        return response.json()

    def wait_statement(self, session_id, statement_id, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            statement = self.get(f"/sessions/{session_id}/statements/{statement_id}").json()
            if statement["state"] in FINAL_STATEMENT_STATES:
                return statement
            time.sleep(0.02)
        raise AssertionError(f"statement {statement_id} of session {session_id} did not finish: {statement}")

    def run(self, session_id, code: str, kind: str | None = "pyspark") -> dict:
        return self.wait_statement(session_id, self.submit(session_id, code, kind)["id"])

    def run_ok(self, session_id, code: str, kind: str | None = "pyspark") -> dict:
        statement = self.run(session_id, code, kind)
        assert statement["output"]["status"] == "ok", statement["output"]
        return statement["output"]["data"]


def group_processes(pgid: int) -> list[str]:
    """Processes (pid and command) still alive in a process group."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,pgid=,stat=,args="], capture_output=True, text=True).stdout
    alive = []
    for line in out.splitlines():
        pid, group, stat, args = line.split(None, 3)
        if int(group) == pgid and not stat.startswith("Z"):
            alive.append(f"{pid} {args[:120]}")
    return alive


def wait_group_gone(pgid: int, timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while (alive := group_processes(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def java_children(pgid: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,pgid=,comm="], capture_output=True, text=True).stdout
    return [int(pid) for pid, group, comm in (l.split(None, 2) for l in out.splitlines())
            if int(group) == pgid and comm.strip() == "java"]
