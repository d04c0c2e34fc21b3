"""The notes under the table: how each case is measured, and where LivyKernel's time and memory go
(from the JSON's extra section)."""
import pathlib

from livybench.contenders import LABEL, LK, SM
from livybench.results import Results


def table_notes(results: Results, runtime_s: float) -> list[str]:
    """The notes under the table, in order: method per case, then the diagnosis and the runtime."""
    return [
        "Same Livy server and session conf for both (`livy.rsc.sql.num-rows`=100000); sparkmagic with its "
        "defaults except the endpoint and `use_auto_viz: false` (widgets cannot render in a headless client).",
        "`startup`/`idle_rss`: process start → `kernel_info_reply`, RSS 2 s later; no Livy session in either "
        "(LivyKernel with `LIVY_KERNEL_EAGER_START=false`). RSS with a live session after the first cell: "
        + ", ".join(f"{LABEL[w]} {results.cases.get('rss_after_first_cell', {}).get(w, {}).get('value', float('nan')):.1f} MB"
                    for w in (LK, SM)) + ".",
        "`cell_overhead`: `execute_request` sent → `execute_reply` received, minus the statement's "
        "`completed − started` at Livy; runs alternate cell by cell.",
        "`poll_load`: every HTTP request the counting proxy in front of Livy saw while a `time.sleep(5)` cell ran "
        "(sparkmagic: idle check + POST + polls).",
        "`sql_multi`: 10 `SELECT`s; LivyKernel one `%%sql` cell, sparkmagic 10 `%%sql` cells; overhead = wall − Σ Livy statement times.",
        "`big_result`: 100,000 rows × 10 columns; Livy's `completed` → last output message received; peak RSS "
        "growth from the kernel's VmHWM.",
        "`first_result`: kernel start → the `1+1` result, the cell being sent 10 s after start.",
        *diagnosis_notes(results),
        f"Total bench runtime {runtime_s / 60:.1f} min.",
    ]


def diagnosis_notes(results: Results) -> list[str]:
    """One line each on where LivyKernel's time and memory go (from the JSON's extra section)."""
    notes = []
    idle = results.cases.get("idle_rss", {}).get(LK, {})
    top = results.cases.get("idle_rss_top_mappings", {}).get(LK, {})
    if "parts_median" in idle:
        parts = idle["parts_median"]
        libs = ", ".join(f"{pathlib.Path(k).name} {v:.1f}" for k, v in list(top.items())[:6])
        notes.append(f"Where LivyKernel's idle RSS is: {parts['RssAnon']:.1f} MB anonymous (heap, stacks) and "
                     f"{parts['RssFile']:.1f} MB file-backed pages of mapped libraries (largest, MB: {libs}).")
    diagnosis = results.cases.get("diagnosis", {}).get(LK, {})
    if "sql_multi" in diagnosis:
        d = diagnosis["sql_multi"]
        t = d["sums"]
        notes.append(f"Where LivyKernel's `sql_multi` time goes (one diagnostic run through the proxy): wall "
                     f"{d['wall_ms']:.0f} ms = Livy {t['livy_ms']:.0f} ms + poll lag {t['poll_lag_ms']:.0f} ms "
                     f"(Livy had the result, the next poll had not come; {t['polls']:.0f} polls for 10 statements) "
                     f"+ the kernel's own work between statements {t['kernel_until_next_ms']:.1f} ms + the rest.")
    if "big_result" in diagnosis:
        d = diagnosis["big_result"]
        notes.append(f"Where LivyKernel's `big_result` time goes (same run): the poll that got the result reached Livy "
                     f"{d['poll_lag_ms']:.0f} ms after its `completed` (negative: already in flight), the result's HTTP response {d['result_http_ms']:.0f} ms "
                     f"({d['result_http_bytes'] / 1e6:.1f} MB), then {d['kernel_parse_render_send_ms']:.0f} ms to parse, "
                     f"render and send {d['output_bytes'] / 1e6:.1f} MB of output (HTML + text of all 100,000 rows) "
                     f"until the client had decoded it.")
    retries = results.cases.get("retries", {})
    for which, items in retries.items():
        notes.append(f"Retried/dropped runs ({LABEL[which]}): " + "; ".join(items)[:400])
    return notes
