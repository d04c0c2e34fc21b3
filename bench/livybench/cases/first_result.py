"""first_result: kernel start → the `1+1` result, the cell being sent 10 s after start, on fresh
kernels pointed at the counting proxy (alternated per fresh kernel; a failed run is dropped and
noted). The same kernels then measure poll_load; the first LivyKernel one measures driver_load and
runs the diagnosis."""
import time

from livybench.cases import diagnosis, driver_load, poll_load
from livybench.contenders import BOTH, LABEL, LK, log
from livybench.kernel import CellResult
from livybench.livy import Livy
from livybench.results import Results
from livybench.runner import Alternation, guarded
from livybench.sandbox import Setup
from livybench.stats import summary

SEND_AFTER_MS = 10000


def run(setup: Setup, livy: Livy, proxy_url: str, results: Results, reps: int, diagnose: bool) -> None:
    alternation = Alternation(results, ["first_result", "poll_load"], BOTH, series=("first", "polls", "requests"),
                              retry=True)

    def once(which: str, rep: int) -> None:
        kernel = setup.kernel(which, proxy_url, eager=True)
        try:
            kernel.start()
            kernel.settle_iopub()
            time.sleep(max(0.0, kernel.started_at + SEND_AFTER_MS / 1000 - time.perf_counter()))
            cell = kernel.run_ok("1+1", timeout=300)
            result_at = next((o[0] for o in cell.outputs if "2" in CellResult.text_of(o)), cell.reply_at)
            first_ms = (result_at - kernel.started_at) * 1000
            alternation.add(which, first=first_ms)
            time.sleep(0.5)
            polls, kinds = poll_load.measure(kernel, proxy_url)
            alternation.add(which, polls=polls, requests=kinds)
            log(f"first_result {LABEL[which]}: {first_ms / 1000:.2f} s; poll_load {polls} requests {kinds}")
            if which == LK and rep == 0:
                with guarded(results, ["driver_load"], which):
                    driver_load.measure(kernel, results)
            if diagnose and which == LK and rep == 0:
                with guarded(results, ["diagnosis"], which):
                    diagnosis.run(kernel, livy, proxy_url, results)
        finally:
            kernel.stop()
            livy.delete_live_sessions()

    alternation.run(reps, once)
    for which in alternation.finish():
        first = alternation.values("first", which)
        results.put("first_result", which, {"unit": "ms", **summary(first), "sent_after_ms": SEND_AFTER_MS,
                                            "after_send": summary([f - SEND_AFTER_MS for f in first])})
        poll_load.report(alternation, results, which)
