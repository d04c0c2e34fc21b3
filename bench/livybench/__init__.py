r"""`make bench`: LivyKernel against sparkmagic 0.23.0, side by side, on the same dev Livy server.

    cd bench && ../.venv/bin/python -m livybench --kernel-bin ../.build/release/livy-kernel \
        --sparkmagic-python ../.venv-sparkmagic/bin/python [--quick] [--out results]

Both kernels are driven through jupyter_client exactly as a frontend would, against one dev Livy
server on real Spark, with the same Spark session settings (`livy.rsc.sql.num-rows` = 100000 for
both). Runs alternate (A B A B …) so that drift on this shared machine hits both kernels; every
figure is a median with its spread, and every ratio (LivyKernel / sparkmagic) comes from the same
run. Writes `latest.json` and `latest.md` into --out and prints the table.

Cases (issue 8): startup, idle_rss, cell_overhead, poll_load, sql_multi, big_result, rss_growth,
first_result. A case a kernel cannot run is reported as "n/a: reason".
"""
