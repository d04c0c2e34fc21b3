"""Drivers that die, start-ups that fail, and servers that stop must never
leave a session hanging in `busy` or a JVM running."""

import os
import shutil
import signal
import socket
import time

import pytest

from devlivy.testing import LivyServer, group_processes, java_children, wait_group_gone


@pytest.fixture(scope="module")
def victims(server):
    """Two sessions started together, to be killed by the tests below."""
    ids = [server.create_session({"kind": "pyspark"})["id"] for _ in range(2)]
    for session_id in ids:
        server.wait_state(session_id)
    yield ids
    for session_id in ids:
        server.delete(f"/sessions/{session_id}")


def _wait_dead(server, session_id, limit_s: float) -> float:
    started = time.monotonic()
    server.wait_state(session_id, ("dead",), timeout=limit_s)
    return time.monotonic() - started


def test_kill_9_of_the_python_driver_makes_the_session_dead(server, victims):
    session_id = victims[0]
    pgid = server.driver_pid(session_id)
    running = server.submit(session_id, "import time\ntime.sleep(60)")
    time.sleep(0.3)
    os.kill(pgid, signal.SIGKILL)  # the driver's pid is its process group id
    assert _wait_dead(server, session_id, limit_s=5) < 5
    assert wait_group_gone(pgid, timeout=10) == [], "JVM or workers outlived the driver"

    statement = server.post(f"/sessions/{session_id}/statements", {"code": "1"})
    assert statement.status_code == 500
    assert statement.json() == "java.lang.IllegalStateException: Session is in state dead"
    listed = server.get(f"/sessions/{session_id}/statements/{running['id']}")
    assert listed.status_code == 400 and listed.json() == {"msg": "requirement failed: Session isn't active."}
    log = server.get(f"/sessions/{session_id}/log").json()["log"]
    assert any("exited unexpectedly" in line for line in log)
    deleted = server.delete(f"/sessions/{session_id}")
    assert deleted.status_code == 200 and deleted.json() == {"msg": "deleted"}


def test_kill_9_of_the_driver_jvm_makes_the_session_dead(server, victims):
    session_id = victims[1]
    pgid = server.driver_pid(session_id)
    jvms = java_children(pgid)
    assert len(jvms) == 1, group_processes(pgid)
    server.submit(session_id, "import time\nspark.sparkContext.parallelize(range(2), 2).foreach(lambda x: time.sleep(60))")
    time.sleep(1)
    os.kill(jvms[0], signal.SIGKILL)
    assert _wait_dead(server, session_id, limit_s=5) < 5
    assert wait_group_gone(pgid, timeout=10) == []


def test_taken_ui_port_fails_the_start_clearly(server):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        session_id = server.create_session({"kind": "pyspark", "conf": {"spark.ui.port": str(port)}})["id"]
        pgid = server.driver_pid(session_id)
        assert server.wait_state(session_id, ("error",), timeout=90) == "error"
    log = "\n".join(server.get(f"/sessions/{session_id}/log?size=-1").json()["log"])
    assert "failed to start" in log and str(port) in log
    assert "SparkUI" in log
    assert wait_group_gone(pgid) == []
    assert server.post(f"/sessions/{session_id}/statements", {"code": "1"}).status_code == 500
    assert server.delete(f"/sessions/{session_id}").status_code == 200


def test_server_sigterm_stops_every_driver():
    livy = LivyServer()
    try:
        session_id = livy.start_session({"kind": "pyspark"})
        pgid = livy.driver_pid(session_id)
        assert java_children(pgid)
    finally:
        code = livy.stop(cleanup=False)
    assert code == 0, livy.server_log()
    assert group_processes(pgid) == [], "orphaned driver processes"
    assert not os.path.exists(os.path.join(livy.work_dir, "sessions")), "scratch directories left behind"
    shutil.rmtree(livy.work_dir)


def test_server_killed_with_sigkill_takes_its_drivers_along():
    """Drivers leave when the server's end of their socket closes."""
    livy = LivyServer()
    try:
        session_id = livy.start_session({"kind": "pyspark"})
        pgid = livy.driver_pid(session_id)
        livy.process.kill()
        livy.process.wait()
        assert wait_group_gone(pgid, timeout=15) == [], "driver outlived a killed server"
    finally:
        livy.stop()
    shutil.rmtree(livy.work_dir, ignore_errors=True)  # a killed server cleans nothing
