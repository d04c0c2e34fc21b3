"""The diagnosis (full run, or BENCH_DIAGNOSE=1): where LivyKernel's time goes in sql_multi and
big_result, from the counting proxy's request log; `extra.diagnosis` in the JSON."""
from livybench.contenders import LK, log
from livybench.kernel import Kernel
from livybench.livy import Livy, http_json, livy_ms
from livybench.queries import BIG_QUERY, SQL_MULTI
from livybench.results import Results


def statement_gets(requests: list, statement_id: int) -> list:
    return [r for r in requests if r[1] == "GET" and r[2].split("?")[0].endswith(f"/statements/{statement_id}")]


def run(kernel: Kernel, livy: Livy, proxy_url: str, results: Results) -> None:
    """Where LivyKernel's time goes in sql_multi and big_result, from the proxy's request log:
    Livy had the answer before the kernel asked (poll lag), the HTTP transfer, and the kernel's own
    work (parse, render, send) after the last response."""
    session_id = max(s["id"] for s in livy.live_sessions())
    out = {}
    after = livy.last_statement_id(session_id)
    cell = kernel.run_ok("%%sql\n" + ";\n".join(SQL_MULTI))
    statements = livy.statements_after(session_id, after)
    requests = [r for r in http_json(proxy_url + "/__bench__/requests") if cell.sent_wall <= r[0] <= cell.reply_wall]
    posts = [r for r in requests if r[1] == "POST" and r[2].split("?")[0].endswith("/statements")]
    rows = []
    for i, st in enumerate(statements):
        gets = statement_gets(requests, st["id"])
        final = gets[-1]
        next_post = posts[i + 1][0] if i + 1 < len(posts) else cell.reply_wall
        rows.append({"livy_ms": livy_ms(st), "waiting_in_livy_ms": st["started"] - posts[i][0] * 1000,
                     "poll_lag_ms": final[0] * 1000 - st["completed"], "polls": len(gets),
                     "kernel_until_next_ms": (next_post - final[3]) * 1000})
    total = {k: round(sum(r[k] for r in rows), 1) for k in rows[0]}
    out["sql_multi"] = {"wall_ms": cell.wall_ms, "sums": total, "statements": rows}
    log(f"diagnosis sql_multi (LivyKernel): wall {cell.wall_ms:.0f} ms, sums {total}")

    after = livy.last_statement_id(session_id)
    cell = kernel.run_ok("%%sql -n 100000\n" + BIG_QUERY, timeout=600)
    st = livy.statements_after(session_id, after)[-1]
    requests = [r for r in http_json(proxy_url + "/__bench__/requests") if cell.sent_wall <= r[0] <= cell.reply_wall]
    gets = statement_gets(requests, st["id"])
    final = gets[-1]
    last_output = max(o[1] for o in cell.outputs if o[2] in ("execute_result", "display_data", "stream"))
    out["big_result"] = {
        "livy_ms": livy_ms(st), "polls": len(gets),
        "poll_lag_ms": round(final[0] * 1000 - st["completed"], 1),
        "result_http_ms": round((final[3] - final[0]) * 1000, 1), "result_http_bytes": final[5],
        "kernel_parse_render_send_ms": round((last_output - final[3]) * 1000, 1),
        "livy_completed_to_output_ms": round(last_output * 1000 - st["completed"], 1),
        "output_bytes": cell.output_bytes()}
    log(f"diagnosis big_result (LivyKernel): {out['big_result']}")
    results.put("diagnosis", LK, out)
