"""concurrency: 8 LivyKernel kernels × 100 cells at once, each on its own Livy session (issue 17
item 5): the kernel's own CPU time per cell (user + system, from /proc), so the figure is the
kernel's cost, not Spark's. All kernels start and warm up together (untimed), then every kernel runs
its cells one after another while the others do the same. sparkmagic is not run here: eight more
Python kernels and Spark sessions would not fit beside these on a 2-core machine."""
import os
import time

from livybench.contenders import LK, SM, log
from livybench.livy import Livy
from livybench.results import Results
from livybench.runner import concurrently
from livybench.sandbox import Setup
from livybench.stats import summary

KERNELS = 8
TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S  # utime, stime (fields 14 and 15 of stat)


def run(setup: Setup, livy: Livy, results: Results, cells: int) -> None:
    kernels = [setup.kernel(LK, livy.url, eager=True) for _ in range(KERNELS)]
    measured: dict[int, dict] = {}
    try:
        def warm(index: int) -> None:
            kernels[index].start()
            kernels[index].settle_iopub()
            kernels[index].run_ok("1+1", timeout=600)

        concurrently(range(KERNELS), warm)

        def drive(index: int) -> None:
            kernel = kernels[index]
            before, started = cpu_seconds(kernel.pid), time.perf_counter()
            for i in range(cells):
                kernel.run_ok(f"{i} + 1", timeout=300)
            measured[index] = {"cpu_ms_per_cell": (cpu_seconds(kernel.pid) - before) * 1000 / cells,
                               "wall_s": time.perf_counter() - started}

        concurrently(range(KERNELS), drive)
    finally:
        for kernel in kernels:
            kernel.stop()
        livy.delete_live_sessions()
    if len(measured) < KERNELS:
        raise RuntimeError(f"only {len(measured)} of {KERNELS} kernels finished their cells")
    per_cell = [m["cpu_ms_per_cell"] for m in measured.values()]
    figure = {"unit": "ms", **summary(per_cell), "kernels": KERNELS, "cells_each": cells,
              "wall_s": summary([m["wall_s"] for m in measured.values()]),
              "clock_tick_ms": TICK_S * 1000}
    log(f"concurrency (LivyKernel): {figure}")
    results.put("concurrency", LK, figure)
    results.na("concurrency", SM, "not run: 8 more kernels and Spark sessions do not fit beside these on 2 cores")
