"""Sessions that end by themselves: per-session ttl (idle timeout), retention
of finished sessions, and the cap on sessions starting at once (docs/livy-rest.md §2.1, §2.8)."""

import time

import pytest

from devlivy.testing import LivyServer, wait_group_gone


def test_ttl_deletes_an_idle_session(server):
    session_id = server.start_session({"kind": "pyspark", "ttl": "3s"})
    pgid = server.driver_pid(session_id)
    for _ in range(3):  # statements are activity: 4.5 s alive with a 3 s ttl
        server.run_ok(session_id, "1")
        time.sleep(1.5)
    idle_since = time.monotonic()
    while server.get(f"/sessions/{session_id}/state").status_code == 200:
        assert time.monotonic() - idle_since < 3 + 1 + 4, "idle session outlived its ttl"
        time.sleep(0.3)
    assert time.monotonic() - idle_since >= 1.4
    assert wait_group_gone(pgid) == []


@pytest.fixture(scope="module")
def strict_server():
    livy = LivyServer("--state-retain", "2", "--max-creation", "1")
    yield livy
    livy.stop()


def test_failed_start_is_error_then_removed_after_retention(strict_server):
    # An invalid driver memory makes spark-submit fail right away.
    session_id = strict_server.create_session({"kind": "pyspark", "driverMemory": "lots"})["id"]
    crowded = strict_server.post("/sessions", {"kind": "pyspark"})
    assert crowded.status_code == 400
    assert crowded.json() == {"msg": "Rejected, too many sessions are being created!"}
    assert strict_server.wait_state(session_id, ("error",), timeout=60) == "error"
    log = strict_server.get(f"/sessions/{session_id}/log?size=-1").json()["log"]
    assert any("failed to start" in line for line in log)
    errored_at = time.monotonic()
    while strict_server.get(f"/sessions/{session_id}").status_code == 200:
        assert time.monotonic() - errored_at < 2 + 1 + 3
        time.sleep(0.2)
