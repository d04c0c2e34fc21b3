"""Concurrent load (issue 12, item 7): 8 kernels x 100 cells against one dev Livy server at once.

Each kernel gets its 100 cells as a notebook's "Run All" does: all execute requests sent at once,
queued in the kernel. Cell i of kernel k prints `K{k}-C{i}-<nonce>`; the test checks that every
output arrives in its own cell (the IOPub message's parent is that cell's request), exactly once,
in order, and none is lost; and samples each kernel's RSS (/proc) before the first cell and when
the replies of cells 10 and 100 arrive: growth from 10 to 100 must stay under LOAD_RSS_LIMIT_MB.

Run with `make test-load` (LOAD_KERNELS, LOAD_CELLS, LOAD_RSS_LIMIT_MB override the figures);
the figures are printed and, with LOAD_REPORT=path, written as JSON.
"""
import json
import os
import threading
import time
import uuid

import pytest

from chaos_kernel import ChaosKernel

N_KERNELS = int(os.environ.get("LOAD_KERNELS", "8"))
N_CELLS = int(os.environ.get("LOAD_CELLS", "100"))
RSS_LIMIT_MB = float(os.environ.get("LOAD_RSS_LIMIT_MB", "4"))
TIMEOUT_S = 900

pytestmark = pytest.mark.load


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def drive(index: int, kernel: ChaosKernel, result: dict) -> None:
    """Sends all cells, then reads IOPub and shell until every cell has replied and gone idle."""
    kc = kernel.kc
    nonce = uuid.uuid4().hex[:6]
    tokens = [f"K{index}-C{i}-{nonce}" for i in range(N_CELLS)]
    result["rss"] = {"start": rss_mb(kernel.pid)}
    started = time.monotonic()
    cell_of = {kc.execute(f"print({token!r})"): i for i, token in enumerate(tokens)}
    stdout = [""] * N_CELLS
    replies, idle, order, problems = [None] * N_CELLS, set(), [], []
    deadline = started + TIMEOUT_S
    while (len(idle) < N_CELLS or None in replies) and time.monotonic() < deadline:
        msg = ChaosKernel._get(kc.get_iopub_msg, 0.05)
        if msg is not None:
            cell = cell_of.get(msg["parent_header"].get("msg_id"))
            if cell is not None:
                order.append(cell)
                if msg["msg_type"] == "stream":
                    stdout[cell] += msg["content"]["text"]
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle.add(cell)
                elif msg["msg_type"] == "error":
                    problems.append(f"cell {cell}: {msg['content']['ename']}: {msg['content']['evalue']}")
        while (reply := ChaosKernel._get(kc.get_shell_msg, 0)) is not None:
            cell = cell_of.get(reply["parent_header"].get("msg_id"))
            if cell is None:
                continue
            replies[cell] = reply["content"]["status"]
            if cell + 1 == 10:
                result["rss"]["cell 10"] = rss_mb(kernel.pid)
                result["first_10_s"] = time.monotonic() - started
            if cell + 1 == N_CELLS:
                result["rss"][f"cell {N_CELLS}"] = rss_mb(kernel.pid)
    result["seconds"] = time.monotonic() - started
    result["lost"] = [i for i in range(N_CELLS) if tokens[i] not in stdout[i]]
    result["misplaced"] = [i for i in range(N_CELLS) if stdout[i] and stdout[i] != tokens[i] + "\n"]
    result["not_ok"] = [i for i in range(N_CELLS) if replies[i] != "ok"]
    result["out_of_order"] = sum(1 for a, b in zip(order, order[1:]) if b < a)
    result["problems"] = problems[:5]


def test_eight_kernels_hundred_cells_each(livy, tmp_path, capsys):
    kernels = []
    results = [dict() for _ in range(N_KERNELS)]
    wall_start = time.monotonic()
    try:
        for _ in range(N_KERNELS):
            kernels.append(ChaosKernel(livy.url, tmp_path, request_timeout_seconds=60))
        threads = [threading.Thread(target=drive, args=(i, k, results[i]), daemon=True) for i, k in enumerate(kernels)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT_S + 60)
        wall = time.monotonic() - wall_start
    finally:
        for kernel in kernels:
            kernel.stop()

    lines = [f"load: {N_KERNELS} kernels x {N_CELLS} cells on one dev Livy server, wall {wall:.1f} s",
             "kernel  seconds  first10_s  RSS start / cell 10 / cell %d (MB)  growth 10->%d  lost  misplaced  "
             "not_ok  out_of_order" % (N_CELLS, N_CELLS)]
    for i, r in enumerate(results):
        rss = r.get("rss", {})
        growth = rss.get(f"cell {N_CELLS}", float("nan")) - rss.get("cell 10", float("nan"))
        lines.append(f"K{i}      {r.get('seconds', float('nan')):7.1f}  {r.get('first_10_s', float('nan')):9.1f}  "
                     f"{rss.get('start', 0):6.1f} / {rss.get('cell 10', 0):6.1f} / {rss.get(f'cell {N_CELLS}', 0):6.1f}"
                     f"              {growth:+6.2f}      {len(r.get('lost', []))}     {len(r.get('misplaced', []))}"
                     f"          {len(r.get('not_ok', []))}       {r.get('out_of_order', 0)}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    if os.environ.get("LOAD_REPORT"):
        with open(os.environ["LOAD_REPORT"], "w") as f:
            json.dump({"kernels": N_KERNELS, "cells": N_CELLS, "wall_s": wall, "results": results}, f, indent=1)

    for i, r in enumerate(results):
        assert "seconds" in r, f"kernel {i} did not finish"
        assert r["problems"] == [], f"kernel {i}: {r['problems']}"
        assert r["lost"] == [] and r["misplaced"] == [] and r["not_ok"] == [], f"kernel {i}: {r}"
        assert r["out_of_order"] == 0, f"kernel {i}: IOPub messages out of cell order"
        growth = r["rss"][f"cell {N_CELLS}"] - r["rss"]["cell 10"]
        assert growth < RSS_LIMIT_MB, f"kernel {i}: RSS grew {growth:.1f} MB from cell 10 to {N_CELLS}"
