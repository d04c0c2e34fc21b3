"""The report: latest.json (every figure, plus `extra`) and latest.md (the table and its notes,
also printed), with each case's headline figure, ratio and verdict against issue 8's target."""
import json
import pathlib

from livybench.contenders import LK, SM, log
from livybench.results import Results

TARGETS = {
    "startup": "≤ 1/50 of sparkmagic",
    "idle_rss": "≤ 1/10 of sparkmagic",
    "cell_overhead": "median ≤ 5 ms, p99 ≤ 25 ms",
    "poll_load": "≤ 15 requests",
    "sql_multi": "overhead ≤ 30 ms",
    "big_result": "≤ 200 ms, ≤ 50 MB",
    "rss_growth": "≈ 0 (≤ 2 MB)",
    "first_result": "(comparison)",
    "driver_load": "≤ 2 requests/s in a Spark cell, 0 for quick cells",
    "concurrency": "(kernel CPU per cell, 8 kernels at once)",
}
ORDER = ["startup", "idle_rss", "cell_overhead", "poll_load", "sql_multi", "big_result", "rss_growth", "first_result",
         "driver_load", "concurrency"]


def fmt_num(x: float, unit: str) -> str:
    if unit == "ms" and abs(x) >= 10000:
        return f"{x / 1000:.2f} s"
    if unit == "requests":
        return f"{x:g}"
    return f"{x:.1f} {unit}" if abs(x) < 100 else f"{x:.0f} {unit}"


def describe(name: str, figure: dict | None) -> str:
    if figure is None:
        return "n/a: not run"
    if "na" in figure:
        return f"n/a: {figure['na']}"
    unit = figure.get("unit", "")
    if name == "driver_load":
        return (f"{figure['value']:g} requests/s ({figure['long_cell_requests']} in a {figure['long_cell_s']:g} s Spark cell); "
                f"{figure['quick_cell_requests']} for {figure['quick_cells']} quick cells")
    if "value" in figure:
        return fmt_num(figure["value"], unit)
    if name == "cell_overhead":
        return (f"median {fmt_num(figure['median'], unit)}, p95 {fmt_num(figure['p95'], unit)}, "
                f"p99 {fmt_num(figure['p99'], unit)} (n={figure['n']})")
    text = f"{fmt_num(figure['median'], unit)}"
    if figure["n"] > 1:
        text += f" ({fmt_num(figure['min'], unit)}–{fmt_num(figure['max'], unit)}, n={figure['n']})"
    if name == "sql_multi":
        text = f"overhead {text}; wall {fmt_num(figure['wall']['median'], unit)} in {figure['cells']} cell(s)"
    if name == "concurrency":
        text = (f"{fmt_num(figure['median'], unit)} CPU per cell (max {fmt_num(figure['max'], unit)}; "
                f"{figure['kernels']} kernels × {figure['cells_each']} cells, wall {figure['wall_s']['median']:.1f} s each)")
    if name == "first_result":
        text = f"{text}; result {fmt_num(figure['median'] - figure.get('sent_after_ms', 10000), unit)} after sending"
    if name == "big_result":
        g = figure["peak_rss_growth_mb"]
        text = f"{text} after Livy; peak RSS +{g['max']:.0f} MB (worst of {g['n']})"
    return text


def headline(figure: dict | None) -> float | None:
    if not figure or "na" in figure:
        return None
    return figure["value"] if "value" in figure else figure.get("median")


def verdict(name: str, lk: dict | None, ratio: float | None) -> str:
    v = headline(lk)
    if v is None:
        return "n/a"
    if name == "startup":
        ok = ratio is not None and ratio <= 1 / 50
    elif name == "idle_rss":
        ok = ratio is not None and ratio <= 1 / 10
    elif name == "cell_overhead":
        ok = lk["median"] <= 5 and lk["p99"] <= 25
    elif name == "poll_load":
        ok = lk["max"] <= 15
    elif name == "sql_multi":
        ok = lk["median"] <= 30
    elif name == "big_result":
        ok = lk["median"] <= 200 and lk["peak_rss_growth_mb"]["max"] <= 50
    elif name == "rss_growth":
        ok = lk["value"] <= 2
    elif name == "driver_load":
        ok = lk["value"] <= 2 and lk["quick_cell_requests"] == 0
    else:
        return "—"
    return "met" if ok else "missed"


def build_report(results: Results, meta: dict) -> tuple[dict, str]:
    rows = []
    for name in ORDER:
        figures = results.cases.get(name, {})
        lk, sm = figures.get(LK), figures.get(SM)
        a, b = headline(lk), headline(sm)
        ratio = a / b if a is not None and b not in (None, 0) else None
        rows.append({"case": name, LK: lk, SM: sm, "ratio": ratio, "target": TARGETS[name],
                     "verdict": verdict(name, lk, ratio)})
    extra = {k: v for k, v in results.cases.items() if k not in ORDER}
    data = {**meta, "cases": rows, "extra": extra}
    lines = [
        f"LivyKernel vs sparkmagic {meta['sparkmagic_version']} on the dev Livy server (real Spark {meta['spark_version']}), "
        f"{meta['generated']}, {'BENCH_QUICK=1 subset' if meta['quick'] else 'full run'}, {meta['cpus']} CPUs; "
        f"ratio = LivyKernel / sparkmagic (medians, same run, runs alternated).",
        "",
        "| case | LivyKernel | sparkmagic | ratio | target | |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = "—" if row["ratio"] is None else (f"1/{1 / row['ratio']:.0f}" if 0 < row["ratio"] < 0.5 else f"{row['ratio']:.2f}")
        lines.append(f"| `{row['case']}` | {describe(row['case'], row[LK])} | {describe(row['case'], row[SM])} | "
                     f"{ratio} | {row['target']} | {row['verdict']} |")
    notes = meta.get("notes", [])
    if notes:
        lines += [""] + [f"- {n}" for n in notes]
    return data, "\n".join(lines) + "\n"


def write_report(out: pathlib.Path, stem: str, data: dict, table: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    (out / f"{stem}.md").write_text(table)
    log(f"wrote {out / stem}.json and .md")
    print()
    print(table)
