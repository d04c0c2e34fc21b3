"""rss_growth: RSS after `total_cells` cells minus RSS after the `warm_cells` warm-up (the
cell_overhead cells are among them; full run only). The cells after cell_overhead are not timed,
so both kernels run them at once."""
import time

from livybench.contenders import LABEL, log
from livybench.kernel import Kernel
from livybench.results import Results
from livybench.runner import concurrently, reason_of


def run_plain_cells(kernel: Kernel, until: int) -> None:
    while kernel.cells < until:
        kernel.run_ok("1+1", timeout=120)


def baseline(kernel: Kernel, warm_cells: int) -> float:
    """Runs the warm-up cells; the RSS after them."""
    run_plain_cells(kernel, warm_cells)
    time.sleep(0.5)
    return kernel.rss()


def finish(kernels: dict[str, Kernel], results: Results, whiches: list[str], rss_at_warm: dict[str, float],
           warm_cells: int, total_cells: int) -> None:
    rss_at_end, errors = {}, {}

    def rest(which: str) -> None:
        try:
            run_plain_cells(kernels[which], total_cells)
            time.sleep(0.5)
            rss_at_end[which] = kernels[which].rss()
        except Exception as error:  # noqa: BLE001
            errors[which] = error

    concurrently(whiches, rest)
    for which in whiches:
        if which in errors:
            results.na("rss_growth", which, reason_of(errors[which]))
        elif which in rss_at_end:
            results.put("rss_growth", which, {
                "unit": "MB", "value": rss_at_end[which] - rss_at_warm[which],
                f"rss_after_{warm_cells}": rss_at_warm[which], f"rss_after_{total_cells}": rss_at_end[which]})
            log(f"rss_growth {LABEL[which]}: {rss_at_warm[which]:.1f} → {rss_at_end[which]:.1f} MB")
