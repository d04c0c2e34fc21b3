"""Cancelling a running statement cancels its Spark jobs (job group); the
session goes back to idle and stays usable."""

import time

SLOW_UDF = """
import time
from pyspark.sql.functions import udf

@udf("long")
def slow(x):
    open({marker!r}, "a").close()  # the task runs: Spark has the job
    time.sleep(120)
    return x

spark.range(4).select(slow("id")).collect()
"""


def test_cancel_running_udf(server, shared, tmp_path):
    marker = tmp_path / "task-started"
    statement = server.submit(shared, SLOW_UDF.format(marker=str(marker)))
    path = f"/sessions/{shared}/statements/{statement['id']}"
    # Wait until a task of the job really runs (a cold driver can take many seconds to submit its
    # first job; a cancel before that only waits for it, up to livy.rsc.job-cancel.timeout).
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the UDF's task never started"
    assert server.get(path).json()["state"] == "running"
    assert server.get(f"/sessions/{shared}/state").json()["state"] == "busy"

    asked = time.monotonic()
    response = server.post(path + "/cancel", {})
    assert response.status_code == 200 and response.json() == {"msg": "canceled"}
    assert server.get(path).json()["state"] in ("cancelling", "cancelled")
    done = server.wait_statement(shared, statement["id"], timeout=60)
    took = time.monotonic() - asked
    assert done["state"] == "cancelled"
    assert took < 20, f"cancel took {took:.1f}s; the UDF sleeps 120 s"
    assert done["progress"] == 1.0 and done["completed"] >= done["started"]
    # Livy keeps what the code returned, here the job-cancelled error.
    assert done["output"]["status"] == "error"
    assert "cancel" in done["output"]["evalue"].lower()

    server.wait_state(shared, ("idle",), timeout=10)
    assert server.run_ok(shared, "spark.range(10).count()") == {"text/plain": "10"}


def test_cancel_of_code_without_spark_jobs_gives_up_after_the_timeout(server, shared):
    """Livy (docs/livy-rest.md §3.5): code that runs no Spark job cannot be interrupted; after
    livy.rsc.job-cancel.timeout the statement is reported cancelled while the
    code goes on, and later statements wait behind it."""
    from devlivy.testing import JOB_CANCEL_TIMEOUT_S

    sleep_s = JOB_CANCEL_TIMEOUT_S + 3
    statement = server.submit(shared, f"import time\ntime.sleep({sleep_s})\n'woke up'")
    submitted = time.monotonic()
    time.sleep(0.5)
    assert server.post(f"/sessions/{shared}/statements/{statement['id']}/cancel", {}).status_code == 200
    path = f"/sessions/{shared}/statements/{statement['id']}"
    assert server.get(path).json()["state"] == "cancelling"
    done = server.wait_statement(shared, statement["id"], timeout=JOB_CANCEL_TIMEOUT_S + 10)
    assert done["state"] == "cancelled" and done["output"] is None
    assert time.monotonic() - submitted < sleep_s, "reported cancelled only when the code ended"
    assert server.get(f"/sessions/{shared}/state").json()["state"] == "busy"  # the code still runs
    after = server.run(shared, "'next'")
    assert after["output"]["data"] == {"text/plain": "'next'"}
    assert time.monotonic() - submitted >= sleep_s
    # The cancelled statement stays cancelled when its code finally returns.
    assert server.get(path).json()["state"] == "cancelled"
