"""driver_load: the requests LivyKernel sends to the driver's REST API for the per-cell Spark jobs
view (issue 15): none for quick cells, at most 2 a second while a Spark job runs. The kernel counts
what it sends to each session's driver and `%%info` shows it; measured on a fresh kernel of
first_result. sparkmagic has no such view (it sends nothing to the driver)."""
import re
import time

from livybench.contenders import LK, SM, log
from livybench.kernel import Kernel
from livybench.results import Results

QUICK_CELLS = 20
# Two tasks of five 1 s rows each: a Spark job that runs ~5 s with tasks to show.
SPARK_CELL = "spark.range(0, 10, 1, 2).foreach(lambda row: __import__('time').sleep(1))"


def requests_so_far(kernel: Kernel) -> int:
    text = kernel.run_ok("%%info").text()
    match = re.search(r"cell Spark jobs\s+the driver's REST API at \S+ \(application [^;]+; (\d+) requests? so far\)", text)
    if not match:
        raise RuntimeError("%%info does not show the driver's REST API in use: "
                           + next((line for line in text.splitlines() if "cell Spark jobs" in line), "no such row"))
    return int(match.group(1))


def measure(kernel: Kernel, results: Results) -> None:
    time.sleep(1.0)  # the session's one application-id request has had time to be answered
    before = requests_so_far(kernel)
    for _ in range(QUICK_CELLS):
        kernel.run_ok("1+1")
    after_quick = requests_so_far(kernel)
    # %%info itself sends nothing to the driver; the only change is the long cell's.
    cell = kernel.run_ok(SPARK_CELL, timeout=120)
    after_long = requests_so_far(kernel)
    long_requests = after_long - after_quick
    seconds = cell.wall_ms / 1000
    figure = {"unit": "requests/s", "value": round(long_requests / seconds, 2), "long_cell_requests": long_requests,
              "long_cell_s": round(seconds, 2), "quick_cells": QUICK_CELLS, "quick_cell_requests": after_quick - before}
    log(f"driver_load (LivyKernel): {figure}")
    results.put("driver_load", LK, figure)
    results.na("driver_load", SM, "no per-cell jobs view")
