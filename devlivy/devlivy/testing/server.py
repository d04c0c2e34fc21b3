"""A devlivy server in a subprocess, with short timers for tests, and a small Livy client.

The client is deliberately plain `requests` calls: tests should see exactly
the status codes and bodies a real Livy client would.
"""

import re
import time

import requests

from devlivy.launcher import DevLivyProcess

FINAL_STATEMENT_STATES = ("available", "cancelled")
# livy.rsc.job-cancel.timeout of the test servers (Livy's default is 30 s).
JOB_CANCEL_TIMEOUT_S = 5


class LivyServer(DevLivyProcess):
    """Started and ready on construction; `port` pins the port (default: a free one); `ready_path`
    is what answers once the server is up (/lighter/api/sessions with --dialect lighter, whose
    sessions the Livy helpers below do not speak to)."""

    def __init__(self, *extra_args: str, port: int | None = None, ready_path: str = "/sessions"):
        super().__init__("--heartbeat-watchdog-interval", "1", "--gc-interval", "1",
                         "--job-cancel-timeout", str(JOB_CANCEL_TIMEOUT_S), *extra_args,
                         port=port, work_prefix="devlivy-test-", ready_path=ready_path)
        self.http = requests.Session()
        self.wait_ready(30)

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

    def progress_seen(self, session_id, statement_id, timeout: float = 60) -> tuple[dict, set]:
        """Polls a statement every 50 ms until it is available: the final statement, and every
        `progress` value seen while it ran."""
        seen = set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.get(f"/sessions/{session_id}/statements/{statement_id}").json()
            if current["state"] == "available":
                break
            seen.add(current["progress"])
            time.sleep(0.05)
        return current, seen

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
