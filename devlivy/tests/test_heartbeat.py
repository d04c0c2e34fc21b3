"""Checklist 23: heartbeatTimeoutInSecond. Any request addressing the session
keeps it alive; without them the watchdog (1 s in tests) deletes it."""

import time

from devlivy.testing import wait_group_gone


def test_23_heartbeat_keeps_polled_session_and_expires_silent_one(server):
    session_id = server.create_session({"kind": "pyspark", "heartbeatTimeoutInSecond": 5})["id"]
    pgid = server.driver_pid(session_id)
    polled_until = time.monotonic() + 8
    while True:  # longer than the timeout, polled
        assert server.get(f"/sessions/{session_id}").status_code == 200
        silent_since = time.monotonic()  # the last request that addressed it
        if silent_since >= polled_until:
            break
        time.sleep(1)
    # Listing all sessions is no heartbeat.
    while server.get(f"/sessions").json()["sessions"] and any(
            s["id"] == session_id for s in server.get("/sessions").json()["sessions"]):
        assert time.monotonic() - silent_since < 5 + 1 + 5, "session outlived its heartbeat timeout"
        time.sleep(0.5)
    assert time.monotonic() - silent_since >= 4.5
    assert server.get(f"/sessions/{session_id}").status_code == 404
    assert wait_group_gone(pgid) == []
