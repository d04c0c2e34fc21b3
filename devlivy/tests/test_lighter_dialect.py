"""`--dialect lighter`: Lighter's session API (github.com/exacaster/lighter, rest/SessionController.java)
on a real Spark session. One server and one session serve the whole module; the session is deleted by
the last test."""

import re
import time
import uuid

import pytest

from devlivy.testing import LivyServer

BASE = "/lighter/api/sessions"
SPARKMAGIC = {"X-Compatibility-Mode": "sparkmagic"}
SESSION_FIELDS = {"id", "type", "state", "appId", "appInfo", "kind", "log", "submitParams",
                  "createdAt", "contactedAt", "finishedAt"}
SUBMIT_PARAMS_FIELDS = {"name", "file", "master", "mainClass", "numExecutors", "executorCores",
                        "executorMemory", "driverCores", "driverMemory", "args", "pyFiles", "files",
                        "jars", "archives", "conf"}
STATES = {"not_started", "starting", "idle", "busy", "shutting_down", "error", "dead", "killed", "success"}
LOCAL_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?$")


class Lighter:
    def __init__(self, server: LivyServer):
        self.server = server

    def wait_idle(self, session_id: str, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            session = self.server.get(f"{BASE}/{session_id}").json()
            if session["state"] == "idle":
                return session
            assert session["state"] in ("not_started", "starting", "busy"), session
            time.sleep(0.1)
        raise AssertionError(f"session {session_id} not idle: {session}")

    def submit(self, session_id: str, body: dict) -> dict:
        response = self.server.post(f"{BASE}/{session_id}/statements", body)
        assert response.status_code == 201, response.text
        return response.json()

    def wait_statement(self, session_id: str, statement_id: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            statement = self.server.get(f"{BASE}/{session_id}/statements/{statement_id}").json()
            if statement["state"] != "waiting":
                return statement
            time.sleep(0.02)
        raise AssertionError(f"statement {statement_id} still waiting: {statement}")

    def run(self, session_id: str, code: str, **extra) -> dict:
        return self.wait_statement(session_id, self.submit(session_id, {"code": code, **extra})["id"])


@pytest.fixture(scope="module")
def lighter():
    server = LivyServer("--dialect", "lighter", ready_path=BASE)
    yield Lighter(server)
    server.stop()


@pytest.fixture(scope="module")
def created(lighter):
    """POST /sessions with Livy-style extras Lighter ignores, and a statement sent at once: it waits
    while the session starts."""
    response = lighter.server.post(BASE, {"name": "lighter-test", "kind": "spark", "proxyUser": "ann",
                                          "heartbeatTimeoutInSecond": 60, "ttl": "1h",
                                          "conf": {"spark.lighter.token": "abc", "spark.eventLog.enabled": False}})
    assert response.status_code == 201, response.text
    session_id = response.json()["id"]
    early = lighter.submit(session_id, {"code": "spark.range(4).count()"})
    ready = lighter.wait_idle(session_id)
    yield response, early, ready
    lighter.server.delete(f"{BASE}/{session_id}")


@pytest.fixture(scope="module")
def session_id(created):
    return created[0].json()["id"]


def test_created_session_is_a_lighter_application(created):
    response, _, ready = created
    body = response.json()
    uuid.UUID(body["id"])
    assert set(body) == SESSION_FIELDS  # no name, owner, proxyUser, ttl ... at the top level
    assert body["state"] == "not_started"  # the Application as inserted
    assert body["type"] == "SESSION" and body["kind"] == "pyspark" and body["log"] == []
    assert body["appId"] is None and body["appInfo"] is None and body["finishedAt"] is None
    params = body["submitParams"]
    assert set(params) == SUBMIT_PARAMS_FIELDS
    assert params["name"] == "lighter-test"
    assert params["file"].endswith("/lighter/jobs/shell_wrapper.py")
    assert (params["numExecutors"], params["executorCores"], params["executorMemory"],
            params["driverCores"], params["driverMemory"]) == (1, 1, "1000M", 1, "1000M")
    assert params["args"] == params["jars"] == params["pyFiles"] == params["files"] == params["archives"] == []
    # Utils.redact on the way out; Jackson's coercion of a boolean to a String.
    assert params["conf"] == {"spark.lighter.token": "[redacted]", "spark.eventLog.enabled": "false"}
    assert body["createdAt"] == body["contactedAt"] and LOCAL_DATE_TIME.match(body["createdAt"])

    assert set(ready) == SESSION_FIELDS and ready["id"] == body["id"]
    assert ready["state"] in STATES
    assert ready["appInfo"] is None or isinstance(ready["appInfo"], str)
    assert ready["appId"] == body["id"]  # LocalBackend names the session's id as the application id
    assert LOCAL_DATE_TIME.match(ready["contactedAt"]) and ready["contactedAt"] >= ready["createdAt"]


def test_statement_sent_while_starting_waited_then_ran(lighter, created, session_id):
    early = created[1]
    uuid.UUID(early["id"])
    assert early == {"id": early["id"], "code": "spark.range(4).count()", "output": None, "state": "waiting",
                     "createdAt": early["createdAt"]}
    done = lighter.wait_statement(session_id, early["id"])
    assert done["state"] == "available" and done["output"]["data"] == {"text/plain": "4"}


def test_state_route_and_lookup_answer_the_application(lighter, session_id):
    state = lighter.server.get(f"{BASE}/{session_id}/state").json()
    assert set(state) == SESSION_FIELDS and state["state"] == "idle"
    assert lighter.server.get(f"{BASE}/{uuid.uuid4()}").status_code == 404


def test_list_key_depends_on_the_compatibility_header(lighter, session_id):
    plain = lighter.server.get(BASE).json()
    assert set(plain) == {"from", "total", "applications"}
    assert plain["from"] == 0 and plain["total"] == len(plain["applications"]) >= 1
    assert session_id in [s["id"] for s in plain["applications"]]
    magic = lighter.server.get(BASE, headers=SPARKMAGIC).json()
    assert set(magic) == {"from", "total", "sessions"}
    assert [s["id"] for s in magic["sessions"]] == [s["id"] for s in plain["applications"]]
    assert lighter.server.get(BASE, params={"from": 1}).json() == {"from": 1, "total": 0, "applications": []}


def test_log_shape_depends_on_the_compatibility_header(lighter, session_id):
    plain = lighter.server.get(f"{BASE}/{session_id}/log")
    assert plain.status_code == 200
    body = plain.json()
    assert body["id"] == session_id and isinstance(body["log"], str) and body["log"].endswith("\n")
    magic = lighter.server.get(f"{BASE}/{session_id}/log", headers=SPARKMAGIC).json()
    assert set(magic) == {"id", "log"} and isinstance(magic["log"], list) and magic["log"]
    assert all(isinstance(line, str) for line in magic["log"])
    # Unknown session: 404 without the header, {} with it (SessionController.getLog).
    unknown = f"{BASE}/{uuid.uuid4()}/log"
    assert lighter.server.get(unknown).status_code == 404
    assert lighter.server.get(unknown, headers=SPARKMAGIC).json() == {}


def test_expression_value_is_text_plain(lighter, session_id):
    statement = lighter.run(session_id, "1+1")
    uuid.UUID(statement["id"])
    assert set(statement) == {"id", "code", "output", "state", "createdAt"}  # no progress, started, completed
    assert statement["state"] == "available"
    assert statement["output"] == {"status": "ok", "executionCount": 1, "data": {"text/plain": "2"},
                                   "evalue": None, "traceback": None}


def test_print(lighter, session_id):
    output = lighter.run(session_id, 'print("hi")')["output"]
    assert output["status"] == "ok" and output["data"] == {"text/plain": "hi"}


def test_shell_wrapper_semantics(lighter, session_id):
    # stdout only (stderr is dropped); the last node runs in "single" mode, even a for loop.
    code = "import sys\nsys.stderr.write('err')\nprint('out')\nfor i in range(2):\n    i"
    assert lighter.run(session_id, code)["output"]["data"] == {"text/plain": "out\n0\n1"}
    # The namespace is {"spark": spark}: no sc.
    assert lighter.run(session_id, "sc")["output"]["evalue"] == "NameError"
    assert lighter.run(session_id, "   \n")["output"]["data"] == {"text/plain": ""}
    only_comment = lighter.run(session_id, "# nothing to run")
    assert only_comment["state"] == "error" and only_comment["output"]["evalue"] == "IndexError"


def test_error_statement(lighter, session_id):
    statement = lighter.run(session_id, "print('before')\nundefined_name")
    assert statement["state"] == "error"
    output = statement["output"]
    assert output["status"] == "error" and output["executionCount"] == 1
    assert output["evalue"] == "NameError"  # the type, not the message
    assert output["data"] == {"text/plain": "before"}
    traceback = output["traceback"]
    # String.valueOf of the Python list from traceback.format_exception.
    assert isinstance(traceback, str)
    assert traceback.startswith("[Traceback (most recent call last):\n, ")
    assert traceback.endswith(", NameError: name 'undefined_name' is not defined\n]")
    assert "in _exec_then_eval\n" in traceback and 'File "<string>", line 2, in <module>\n' in traceback


def test_kind_in_statement_body_is_ignored(lighter, session_id):
    assert lighter.run(session_id, "1+1", kind="spark")["output"]["data"] == {"text/plain": "2"}
    assert lighter.run(session_id, "spark.range(3).count()", kind="sql")["output"]["data"] == {"text/plain": "3"}


def test_statement_list_and_lookups(lighter, session_id):
    body = lighter.server.get(f"{BASE}/{session_id}/statements").json()
    assert set(body) == {"from", "statements"} and body["from"] == 0
    created = [s["createdAt"] for s in body["statements"]]
    assert len(created) >= 5 and created == sorted(created, reverse=True)  # newest first
    assert lighter.server.get(f"{BASE}/{session_id}/statements", params={"size": 2}).json()["statements"] == \
        body["statements"][:2]
    assert lighter.server.get(f"{BASE}/{session_id}/statements/{uuid.uuid4()}").status_code == 404
    assert lighter.server.get(f"{BASE}/{uuid.uuid4()}/statements").json() == {"from": 0, "statements": []}
    missing_code = lighter.server.post(f"{BASE}/{session_id}/statements", {"kind": "pyspark"})
    assert missing_code.status_code == 400
    assert lighter.server.post(f"{BASE}/{uuid.uuid4()}/statements", {"code": "1"}).status_code == 404


def test_cancel_marks_the_statement_and_a_running_one_finishes_anyway(lighter, session_id):
    running = lighter.submit(session_id, {"code": "import time\ntime.sleep(3)\n'slept'"})
    time.sleep(1)  # read by the shell loop, which polls every 0.1 s
    queued = lighter.submit(session_id, {"code": "'never'"})  # created after the shell's read
    assert lighter.server.get(f"{BASE}/{session_id}").json()["state"] == "busy"
    for statement in (running, queued):
        response = lighter.server.post(f"{BASE}/{session_id}/statements/{statement['id']}/cancel")
        assert response.status_code == 201 and response.json()["state"] == "cancelled"
    # Nothing waits any more, so the session reads idle although the code still runs.
    assert lighter.server.get(f"{BASE}/{session_id}").json()["state"] == "idle"
    deadline = time.monotonic() + 30
    while lighter.server.get(f"{BASE}/{session_id}/statements/{running['id']}").json()["state"] == "cancelled":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    finished = lighter.server.get(f"{BASE}/{session_id}/statements/{running['id']}").json()
    assert finished["state"] == "available" and finished["output"]["data"] == {"text/plain": "'slept'"}
    time.sleep(0.5)
    never = lighter.server.get(f"{BASE}/{session_id}/statements/{queued['id']}").json()
    assert never["state"] == "cancelled" and never["output"] is None
    unknown = lighter.server.post(f"{BASE}/{session_id}/statements/{uuid.uuid4()}/cancel")
    assert unknown.status_code == 404


def test_rejections_and_routes_lighter_does_not_have(lighter, session_id):
    forbidden = lighter.server.post(BASE, {"conf": {"spark.redaction.regex": ".*"}})
    assert forbidden.status_code == 400
    assert forbidden.json()["message"] == "Bad Request" and forbidden.json()["path"] == BASE
    assert lighter.server.http.put(f"{lighter.server.url}{BASE}/{session_id}", json={}).status_code == 409
    assert lighter.server.post(f"{BASE}/{session_id}/completion", {"code": "sp", "cursor": 2}).status_code == 404
    assert lighter.server.get("/sessions").status_code == 404


def test_delete_then_gone(lighter, session_id):
    response = lighter.server.delete(f"{BASE}/{session_id}")
    assert response.status_code == 200 and response.text == ""
    assert lighter.server.get(f"{BASE}/{session_id}").status_code == 404
    assert session_id not in [s["id"] for s in lighter.server.get(BASE).json()["applications"]]
    # A void controller method: deleting what is not there is 200 too.
    assert lighter.server.delete(f"{BASE}/{session_id}").status_code == 200
    # The statements stay readable (only the session row is marked deleted); new ones are refused.
    assert lighter.server.get(f"{BASE}/{session_id}/statements").json()["statements"]
    assert lighter.server.post(f"{BASE}/{session_id}/statements", {"code": "1"}).status_code == 404
