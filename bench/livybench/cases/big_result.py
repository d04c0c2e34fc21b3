"""big_result: `%%sql -n 100000` of a 100,000 × 10 query: Livy's `completed` → last output message
received (after the client decoded it), and the kernel's peak RSS growth; alternated per repetition."""
import time

from livybench.contenders import LABEL, log
from livybench.kernel import Kernel
from livybench.livy import Livy, livy_ms
from livybench.probes import peak_rss
from livybench.queries import BIG_QUERY
from livybench.results import Results
from livybench.runner import Alternation
from livybench.warm import alive


def run(kernels: dict[str, Kernel], livy: Livy, results: Results, reps: int) -> None:
    alternation = Alternation(results, ["big_result"], alive(kernels, results, "big_result"),
                              series=("latency", "growth", "detail"))

    def once(which: str, _round: int) -> None:
        kernel = kernels[which]
        after = livy.last_statement_id(kernel.session_id)
        time.sleep(0.3)
        before = kernel.rss()
        with peak_rss(kernel.pid, before) as peak:
            cell = kernel.run_ok("%%sql -n 100000\n" + BIG_QUERY, timeout=600)
        statements = livy.statements_after(kernel.session_id, after)
        if not statements:
            raise RuntimeError("no Livy statement for the query")
        completed = statements[-1]["completed"] / 1000
        outputs = [o for o in cell.outputs if o[2] in ("execute_result", "display_data", "stream")]
        if not outputs:
            raise RuntimeError("no output")
        last_output_wall = max(o[1] for o in outputs)
        shown = cell.text()
        if "100000" not in shown.replace(",", "").replace("\u202f", "").replace("\u2009", ""):
            raise RuntimeError(f"the output does not mention 100000 rows: {shown[:300]!r}")
        latency = (last_output_wall - completed) * 1000
        alternation.add(which, latency=latency, growth=peak.peak_mb - before, detail={
            "wall_ms": cell.wall_ms, "livy_statement_ms": livy_ms(statements[-1]),
            "output_bytes": cell.output_bytes(), "rss_before_mb": before,
            "peak_mb": peak.peak_mb, "peak_from": "VmHWM" if peak.exact else "sampled"})
        log(f"big_result {LABEL[which]}: {latency:.0f} ms after Livy, +{peak.peak_mb - before:.1f} MB "
            f"peak, cell {cell.wall_ms / 1000:.1f} s, output {cell.output_bytes() / 1e6:.1f} MB")

    alternation.run(reps, once)
    for which in alternation.finish():
        results.put("big_result", which, {"unit": "ms", **alternation.summary("latency", which),
                                          "peak_rss_growth_mb": alternation.summary("growth", which),
                                          "runs": alternation.values("detail", which)})
