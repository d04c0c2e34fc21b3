"""`python -m livybench` (run from bench/, as `make bench` does): the plan of a full or quick run,
the cases in order against one dev Livy server and the counting proxy, then the report."""
import argparse
import os
import pathlib
import shutil
import signal
import sys
import time

import livybench
from devlivy.launcher import dev_livy
from livybench.cases import big_result, cell_overhead, concurrency, first_result, sql_multi, startup
from livybench.contenders import BOTH, LK, log
from livybench.livy import Livy
from livybench.meta import REPO, meta as run_meta
from livybench.notes import table_notes
from livybench.proxy import start_proxy
from livybench.report import build_report, write_report
from livybench.results import Results
from livybench.runner import guarded
from livybench.sandbox import Setup
from livybench.warm import warm_kernels


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="livybench", description=livybench.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel-bin", required=True)
    parser.add_argument("--sparkmagic-python", default=str(REPO / ".venv-sparkmagic" / "bin" / "python"))
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1",
                        help="the ~2.5 min subset (default when BENCH_QUICK=1); writes quick.{json,md}")
    parser.add_argument("--full", dest="quick", action="store_false", help="the full run; writes latest.{json,md}")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    return parser.parse_args()


def plan_of(quick: bool) -> dict:
    q = quick
    return {"startup_runs": 4 if q else 10, "warm_cells": 5 if q else 100, "overhead_cells": 30 if q else 200,
            "total_cells": None if q else 1000, "sql_multi_reps": 1 if q else 6, "big_result_reps": 1 if q else 4,
            "first_result_reps": 1 if q else 4, "concurrency_cells": 20 if q else 100}


def run_cases(setup: Setup, results: Results, plan: dict, quick: bool) -> None:
    proxy = None
    try:
        with dev_livy() as url:
            livy = Livy(url)
            proxy, proxy_url = start_proxy(url, setup.logs)
            log("startup / idle_rss")
            startup.run(setup, livy, results, plan["startup_runs"])
            log("warm sessions")
            kernels = warm_kernels(setup, livy, results)
            try:
                log("cell_overhead" + (" / rss_growth" if plan["total_cells"] else ""))
                cell_overhead.run(kernels, livy, results, plan["warm_cells"], plan["overhead_cells"], plan["total_cells"])
                log("sql_multi")
                sql_multi.run(kernels, livy, results, plan["sql_multi_reps"])
                log("big_result")
                big_result.run(kernels, livy, results, plan["big_result_reps"])
            finally:
                for kernel in kernels.values():
                    kernel.stop()
                livy.delete_live_sessions()
            if quick:
                for which in BOTH:
                    results.na("rss_growth", which, "skipped in BENCH_QUICK=1 (needs 1,000 cells)")
            log("first_result / poll_load")
            first_result.run(setup, livy, proxy_url, results, plan["first_result_reps"],
                             diagnose=not quick or os.environ.get("BENCH_DIAGNOSE") == "1")
            log("concurrency")
            with guarded(results, ["concurrency"], LK):
                concurrency.run(setup, livy, results, plan["concurrency_cells"])
    finally:
        if proxy is not None:
            proxy.send_signal(signal.SIGTERM)
            proxy.wait(10)


def main() -> int:
    args = parse_args()
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    began = time.monotonic()
    q = args.quick
    plan = plan_of(q)
    log(f"{'quick' if q else 'full'} run: {plan}")
    setup = Setup(args.kernel_bin, args.sparkmagic_python)
    results = Results(q)
    meta = run_meta(q, plan, args.sparkmagic_python)
    run_cases(setup, results, plan, q)
    meta["runtime_s"] = round(time.monotonic() - began, 1)
    meta["notes"] = table_notes(results, meta["runtime_s"])
    data, table = build_report(results, meta)
    write_report(pathlib.Path(args.out), "quick" if q else "latest", data, table)
    shutil.rmtree(setup.root, ignore_errors=True) if os.environ.get("BENCH_KEEP") != "1" else log(f"kept {setup.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
