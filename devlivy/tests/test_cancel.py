"""Cancelling a running statement cancels its Spark jobs (job group); the
session goes back to idle and stays usable."""

import time

SLOW_UDF = """
import time
from pyspark.sql.functions import udf

@udf("long")
def slow(x):
    time.sleep(120)
    return x

spark.range(4).select(slow("id")).collect()
"""


def test_cancel_running_udf(server, shared):
    statement = server.submit(shared, SLOW_UDF)
    path = f"/sessions/{shared}/statements/{statement['id']}"
    # Wait until the job really runs inside Spark.
    deadline = time.monotonic() + 60
    while server.get(path).json()["state"] != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(2)
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
