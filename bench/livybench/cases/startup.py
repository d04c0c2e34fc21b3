"""startup: process start (just before fork/exec) → `kernel_info_reply` received, alternating
LivyKernel, sparkmagic, … Neither kernel starts a Livy session here (LivyKernel with
LIVY_KERNEL_EAGER_START=false; sparkmagic is lazy anyway), so ten Spark drivers do not start in the
background of the timings. The same starts measure idle_rss."""
from livybench.cases import idle_rss
from livybench.contenders import BOTH, LABEL, log
from livybench.livy import Livy
from livybench.results import Results
from livybench.runner import Alternation
from livybench.sandbox import Setup


def run(setup: Setup, livy: Livy, results: Results, runs: int) -> None:
    alternation = Alternation(results, ["startup", "idle_rss"], BOTH, series=("startup", *idle_rss.SERIES))

    def once(which: str, round_index: int) -> None:
        kernel = setup.kernel(which, livy.url, eager=False)
        try:
            alternation.add(which, startup=kernel.start())
            idle_rss.measure(kernel, alternation, results, first_run=round_index == 0)
        finally:
            kernel.stop()

    def progress(round_index: int) -> None:
        log(f"startup run {round_index + 1}/{runs}: " + ", ".join(
            f"{LABEL[w]} {alternation.values('startup', w)[-1]:.0f} ms / {alternation.values('idle', w)[-1]:.0f} MB"
            for w in BOTH if alternation.values("startup", w) and w not in alternation.failed))

    alternation.run(runs, once, progress)
    for which in alternation.finish():
        samples = alternation.values("startup", which)
        results.put("startup", which, {"unit": "ms", **alternation.summary("startup", which), "samples": samples})
        idle_rss.report(alternation, results, which)
