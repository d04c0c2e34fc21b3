"""Warm kernels for the cases that run on a live Livy session (cell_overhead, rss_growth, sql_multi,
big_result): both started at once (nothing is timed), each with its Livy session found."""
from livybench.contenders import BOTH, LABEL, log
from livybench.kernel import Kernel
from livybench.livy import Livy
from livybench.results import Results
from livybench.runner import concurrently, reason_of
from livybench.sandbox import Setup


def warm_kernels(setup: Setup, livy: Livy, results: Results) -> dict[str, Kernel]:
    """Starts both kernels at once (nothing is timed here) and runs a first cell in each, so both have
    a live Livy session. A session that fails to start (it happens on this shared machine: the JVM of
    a new driver sometimes dies) is retried with a fresh kernel, twice at most; the retries are noted."""
    kernels: dict[str, Kernel] = {}
    errors: dict[str, str] = {}

    def warm(which: str) -> None:
        for attempt in range(3):
            kernel = setup.kernel(which, livy.url, eager=True)
            try:
                kernel.start()
                kernel.settle_iopub()
                kernel.run_ok("1+1", timeout=300)
                kernel.run_ok(f"'bench-marker-{which}'", timeout=60)
                kernels[which] = kernel
                return
            except Exception as error:  # noqa: BLE001
                errors[which] = reason_of(error)
                results.retry(which, f"warm-up: {errors[which]}")
                log(f"{LABEL[which]} warm-up attempt {attempt + 1} failed: {errors[which]}")
                kernel.stop()

    concurrently(BOTH, warm)
    for which in BOTH:
        if which not in kernels:
            for name in ("cell_overhead", "sql_multi", "big_result", "rss_growth"):
                results.na(name, which, errors.get(which, "did not start"))
    for session in livy.live_sessions():
        codes = " ".join(s["code"] for s in livy.statements(session["id"]))
        for which, kernel in kernels.items():
            if f"bench-marker-{which}" in codes:
                kernel.session_id = session["id"]
    for which, kernel in kernels.items():
        if kernel.session_id is None:
            results.na("cell_overhead", which, "its Livy session was not found")
            continue
        memory = kernel.memory()
        results.put("rss_after_first_cell", which, {"unit": "MB", "value": memory["VmRSS"], "parts": memory})
        log(f"{LABEL[which]} warm: session {kernel.session_id}, RSS {memory['VmRSS']:.1f} MB")
    return kernels


def alive(kernels: dict[str, Kernel], results: Results, name: str) -> list[str]:
    """The warm kernels that can run case `name`; the others are n/a for it (once)."""
    out = []
    for which in BOTH:
        if which in kernels and kernels[which].process is not None and kernels[which].session_id is not None:
            out.append(which)
        elif which not in results.cases.get(name, {}):
            results.na(name, which, "kernel not running (see earlier failure)")
    return out
