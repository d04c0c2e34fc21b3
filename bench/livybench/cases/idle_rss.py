"""idle_rss: the kernel's RSS 2 s after each `startup` start, with its anonymous / file-backed
split; the largest mappings of the first start go into the JSON."""
import statistics
import time

from livybench.kernel import Kernel
from livybench.probes import rss_by_mapping
from livybench.results import Results
from livybench.runner import Alternation

SERIES = ("idle", "parts")


def measure(kernel: Kernel, alternation: Alternation, results: Results, first_run: bool) -> None:
    time.sleep(2.0)
    memory = kernel.memory()
    alternation.add(kernel.which, idle=memory["VmRSS"], parts=memory)
    if first_run:
        results.put("idle_rss_top_mappings", kernel.which, rss_by_mapping(kernel.pid))


def report(alternation: Alternation, results: Results, which: str) -> None:
    idle, parts = alternation.values("idle", which), alternation.values("parts", which)
    results.put("idle_rss", which, {"unit": "MB", **alternation.summary("idle", which), "samples": idle,
                                    "parts_median": {k: statistics.median(m[k] for m in parts) for k in parts[0]}})
