"""sql_multi: 10 `SELECT`s; LivyKernel one `%%sql` cell, sparkmagic ten `%%sql` cells (its %%sql runs
one statement per cell); overhead = wall − Σ Livy statement times, alternated per repetition."""
import statistics

from livybench.contenders import LABEL, LK, log
from livybench.kernel import Kernel
from livybench.livy import Livy, livy_ms
from livybench.queries import SQL_MULTI
from livybench.results import Results
from livybench.runner import Alternation
from livybench.warm import alive


def run(kernels: dict[str, Kernel], livy: Livy, results: Results, reps: int) -> None:
    alternation = Alternation(results, ["sql_multi"], alive(kernels, results, "sql_multi"), series=("wall", "overhead"))

    def once(which: str, _round: int) -> None:
        kernel = kernels[which]
        after = livy.last_statement_id(kernel.session_id)
        if which == LK:
            cells = [kernel.run_ok("%%sql\n" + ";\n".join(SQL_MULTI))]
        else:
            cells = [kernel.run_ok("%%sql\n" + statement) for statement in SQL_MULTI]
        wall = (cells[-1].reply_at - cells[0].sent) * 1000
        statements = livy.statements_after(kernel.session_id, after)
        if len(statements) != len(SQL_MULTI):
            raise RuntimeError(f"expected {len(SQL_MULTI)} Livy statements, saw {len(statements)}")
        alternation.add(which, wall=wall, overhead=wall - sum(livy_ms(s) for s in statements))

    alternation.run(reps, once)
    for which in alternation.finish():
        results.put("sql_multi", which, {"unit": "ms", **alternation.summary("overhead", which),
                                         "wall": alternation.summary("wall", which),
                                         "cells": 1 if which == LK else len(SQL_MULTI)})
        log(f"sql_multi {LABEL[which]}: overhead median {statistics.median(alternation.values('overhead', which)):.0f} ms, "
            f"wall {statistics.median(alternation.values('wall', which)):.0f} ms")
