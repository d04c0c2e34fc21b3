"""Measures what the issue's closing note asks for; not part of the pytest run.

    cd devlivy && ../.venv/bin/python tests/measure.py

Prints: session start time (POST -> idle), end-to-end latency of a trivial
statement seen by a client polling every millisecond, the part of it spent
running the code in the driver, the server's HTTP handling time, and idle
RSS of the server and of one session's driver processes (Python + JVM).
"""

import re
import statistics
import subprocess
import time

from devlivy.testing import LivyServer, group_processes


def rss_mb(pid: int) -> float:
    return int(subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True).stdout) / 1024


def main(samples: int = 200) -> None:
    livy = LivyServer()
    try:
        starts = []
        for _ in range(2):
            t0 = time.monotonic()
            session_id = livy.start_session({"kind": "pyspark"})
            starts.append(time.monotonic() - t0)
            if len(starts) == 1:
                livy.delete(f"/sessions/{session_id}")
        livy.run_ok(session_id, "1")  # warm-up
        end_to_end = []
        for _ in range(samples):
            t0 = time.perf_counter()
            statement = livy.submit(session_id, "1")
            path = f"/sessions/{session_id}/statements/{statement['id']}"
            while livy.get(path).json()["state"] != "available":
                time.sleep(0.001)
            end_to_end.append((time.perf_counter() - t0) * 1000)
        gets = []
        for _ in range(samples):
            t0 = time.perf_counter()
            livy.get(f"/sessions/{session_id}/statements/0")
            gets.append((time.perf_counter() - t0) * 1000)
        time.sleep(2)
        pgid = livy.driver_pid(session_id)
        driver_rss = sum(rss_mb(int(p.split()[0])) for p in group_processes(pgid))
        server_rss = rss_mb(livy.process.pid)
        log = livy.server_log()
        timings = [(float(a), float(b)) for a, b in re.findall(r"([\d.]+) ms in the driver, ([\d.]+) ms dispatch to result", log)][-samples:]
    finally:
        livy.stop()
    driver_ms = statistics.median(a for a, _ in timings)
    round_trip_ms = statistics.median(b for _, b in timings)
    print(f"session start (POST -> idle): {', '.join(f'{s:.1f}' for s in starts)} s")
    print(f"trivial statement end to end (client polling every 1 ms): median {statistics.median(end_to_end):.2f} ms")
    print(f"  of which running the code in the driver: median {driver_ms:.2f} ms")
    print(f"  dispatch to result inside the server (socket + driver): median {round_trip_ms:.2f} ms")
    print(f"  server overhead per statement (dispatch->result minus driver): median {round_trip_ms - driver_ms:.2f} ms")
    print(f"GET statement handling (HTTP round trip on loopback): median {statistics.median(gets):.2f} ms")
    print(f"idle RSS: server {server_rss:.0f} MB, one driver (Python + JVM) {driver_rss:.0f} MB")


if __name__ == "__main__":
    main()
