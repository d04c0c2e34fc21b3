"""Measures LivyKernel alone on the dev Livy server (the numbers of issue 5's closing note).

    .venv/bin/python bench/cell_numbers.py --kernel-bin .build/release/livy-kernel

- overhead of a `1+1` cell: execute_request → execute_reply, minus Livy's own statement time
  (completed − started), median and p95 over N cells on a warm session;
- polls per statement, from the kernel's debug log, for `1+1` and for a 5 s statement;
- kernel RSS after the cells.
The side-by-side comparison with sparkmagic is `make bench` (issue 8).
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from devstack import dev_livy  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel-bin", required=True)
    parser.add_argument("--cells", type=int, default=100)
    args = parser.parse_args()

    sandbox = pathlib.Path(tempfile.mkdtemp(prefix="livykernel-bench-"))
    os.environ.update({"JUPYTER_PATH": str(sandbox / "share" / "jupyter"), "LIVY_KERNEL_LOG_LEVEL": "debug",
                       "LIVY_KERNEL_CONFIG": str(sandbox / "none.json"), "LIVY_KERNEL_RUNTIME_DIR": str(sandbox / "ui")})
    subprocess.run([args.kernel_bin, "install", "--prefix", str(sandbox)], check=True, capture_output=True)
    from jupyter_client.manager import KernelManager

    with dev_livy() as url:
        os.environ["LIVY_URL"] = url
        log_path = sandbox / "kernel.log"
        km = KernelManager(kernel_name="livy-pyspark")
        with open(log_path, "w") as log:
            km.start_kernel(stderr=log)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive("1+1", timeout=300)  # session start, warm-up
        app = kc.execute_interactive("spark.sparkContext.applicationId", timeout=60)
        sessions = json.load(urllib.request.urlopen(url + "/sessions"))["sessions"]
        session = sessions[-1]["id"]

        wall = []
        for _ in range(args.cells):
            started = time.perf_counter()
            reply = kc.execute_interactive("1+1", timeout=60)
            wall.append((time.perf_counter() - started) * 1000)
            assert reply["content"]["status"] == "ok"
        statements = json.load(urllib.request.urlopen(f"{url}/sessions/{session}/statements"))["statements"]
        livy_ms = [s["completed"] - s["started"] for s in statements[-args.cells:]]
        overhead = sorted(w - l for w, l in zip(wall, livy_ms))
        rss = rss_mb(km.provisioner.process.pid)
        kc.execute_interactive("import time\ntime.sleep(5)", timeout=60)
        time.sleep(0.5)
        kc.stop_channels()
        km.shutdown_kernel(now=False)

    polls = [int(n) for n in re.findall(r"done after (\d+) polls", log_path.read_text())]
    quick_polls = polls[2:-1]
    print(f"cells: {args.cells} x `1+1` on a warm session")
    print(f"round trip (execute_request → reply): median {statistics.median(wall):.1f} ms")
    print(f"Livy statement time (completed − started): median {statistics.median(livy_ms):.1f} ms")
    print(f"kernel overhead: median {statistics.median(overhead):.1f} ms, "
          f"p95 {overhead[int(len(overhead) * 0.95) - 1]:.1f} ms, max {overhead[-1]:.1f} ms")
    print(f"polls per `1+1` statement: median {statistics.median(quick_polls)}, max {max(quick_polls)} "
          f"(+1 POST); 5 s statement: {polls[-1]} polls (+1 POST)")
    print(f"kernel RSS after {args.cells + 3} cells: {rss:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
