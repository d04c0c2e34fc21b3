"""Measures the Scala interpreter's cost; not part of the pytest run.

    cd devlivy && ../.venv/bin/python tests/measure_scala.py

Prints: the Scala interpreter's start-up (the driver logs it), what the first
Scala statement of a pyspark session waits (start-up included), the median
time of a trivial statement (`1`) in Scala and in PySpark, both end to end
(client polling every 1 ms) and inside the driver, and the driver's RSS
before and after the interpreter started.
"""

import re
import statistics
import subprocess
import time

from devlivy.testing import LivyServer, group_processes


def rss_mb(pgid: int) -> float:
    pids = [p.split()[0] for p in group_processes(pgid)]
    out = subprocess.run(["ps", "-o", "rss=", "-p", ",".join(pids)], capture_output=True, text=True).stdout
    return sum(int(v) for v in out.split()) / 1024


def end_to_end_ms(livy: LivyServer, session_id: int, code: str, kind: str) -> float:
    t0 = time.perf_counter()
    statement = livy.submit(session_id, code, kind=kind)
    path = f"/sessions/{session_id}/statements/{statement['id']}"
    while (current := livy.get(path).json())["state"] != "available":
        time.sleep(0.001)
    assert current["output"]["status"] == "ok", current["output"]
    return (time.perf_counter() - t0) * 1000


def main(samples: int = 30) -> None:
    livy = LivyServer()
    try:
        session_id = livy.start_session({"kind": "pyspark"})  # Scala starts lazily here
        livy.run_ok(session_id, "1")
        time.sleep(2)
        rss_before = rss_mb(livy.driver_pid(session_id))
        first_scala_s = end_to_end_ms(livy, session_id, "1", "spark") / 1000
        rss_after = rss_mb(livy.driver_pid(session_id))
        log = "\n".join(livy.get(f"/sessions/{session_id}/log?size=-1").json()["log"])
        start_s = float(re.search(r"Scala interpreter started in ([\d.]+) s", log).group(1))
        times = {}
        for kind in ("spark", "pyspark"):
            end_to_end_ms(livy, session_id, "1", kind)  # warm-up
            times[kind] = [end_to_end_ms(livy, session_id, "1", kind) for _ in range(samples)]
        server_log = livy.server_log()
    finally:
        livy.stop()
    in_driver = [float(ms) for ms in re.findall(r"([\d.]+) ms in the driver", server_log)]
    # The last 2 * (samples + 1) statements: Scala block, then PySpark block.
    scala_driver = in_driver[-2 * (samples + 1):-(samples + 1)][1:]
    python_driver = in_driver[-(samples + 1):][1:]
    print(f"Scala interpreter start-up (driver log): {start_s:.1f} s")
    print(f"first Scala statement of a pyspark session, end to end: {first_scala_s:.1f} s")
    print(f"trivial statement `1`, median end to end: Scala {statistics.median(times['spark']):.0f} ms, "
          f"PySpark {statistics.median(times['pyspark']):.1f} ms")
    print(f"  in the driver: Scala {statistics.median(scala_driver):.0f} ms, PySpark {statistics.median(python_driver):.2f} ms")
    print(f"driver RSS (Python + JVM): {rss_before:.0f} MB before the interpreter, {rss_after:.0f} MB after")


if __name__ == "__main__":
    main()
