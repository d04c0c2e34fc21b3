"""cell_overhead: `measured` alternating `1+1` cells on warm sessions, round trip minus Livy's
`completed − started`; runs alternate cell by cell. The warm-up before it, and (full run) the cells
after it, measure rss_growth."""
from livybench.cases import rss_growth
from livybench.contenders import LABEL, log
from livybench.kernel import Kernel
from livybench.livy import Livy, livy_ms
from livybench.results import Results
from livybench.runner import Alternation
from livybench.stats import summary
from livybench.warm import alive

BATCH = 40  # Livy (and devlivy) keep only the last 100 statements (livy.rsc.retained-statements)


def run(kernels: dict[str, Kernel], livy: Livy, results: Results, warm_cells: int, measured: int,
        total_cells: int | None) -> None:
    names = ["cell_overhead"] + (["rss_growth"] if total_cells else [])
    cells = Alternation(results, names, alive(kernels, results, "cell_overhead"), series=("wall", "livy"))
    rss_at_warm = {}

    def warm_up(which: str, _round: int) -> None:
        rss_at_warm[which] = rss_growth.baseline(kernels[which], warm_cells)

    cells.run(1, warm_up)
    # A kernel whose cells and Livy's statements do not match is n/a for cell_overhead only: its
    # cells still count for rss_growth.
    checks = Alternation(results, ["cell_overhead"], cells.whiches)
    for start in range(0, measured, BATCH):
        last_id = {w: livy.last_statement_id(kernels[w].session_id) for w in cells.whiches if w not in cells.failed}
        count = {w: 0 for w in cells.whiches}

        def cell(which: str, _round: int) -> None:
            cells.add(which, wall=kernels[which].run_ok("1+1", timeout=120).wall_ms)
            count[which] += 1

        def check(which: str, _round: int) -> None:
            if which in cells.failed:
                return
            statements = livy.statements_after(kernels[which].session_id, last_id[which])
            if len(statements) != count[which]:
                raise RuntimeError(f"{count[which]} cells but {len(statements)} Livy statements")
            cells.values("livy", which).extend(livy_ms(st) for st in statements)

        cells.run(min(BATCH, measured - start), cell)
        checks.run(1, check)
    running = cells.finish()
    for which in running:
        if which in checks.failed:
            continue
        overhead = [w - l for w, l in zip(cells.values("wall", which), cells.values("livy", which))]
        results.put("cell_overhead", which, {
            "unit": "ms", **summary(overhead), "round_trip": cells.summary("wall", which),
            "livy_statement": cells.summary("livy", which)})
        s = results.cases["cell_overhead"][which]
        log(f"cell_overhead {LABEL[which]}: median {s['median']:.1f} ms, p95 {s['p95']:.1f}, p99 {s['p99']:.1f}")
    if total_cells:
        rss_growth.finish(kernels, results, running, rss_at_warm, warm_cells, total_cells)
