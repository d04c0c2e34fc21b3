"""`make bench`: LivyKernel against sparkmagic 0.23.0, side by side, on the same dev Livy server.

    .venv/bin/python bench/run_bench.py --kernel-bin .build/release/livy-kernel \
        --sparkmagic-python .venv-sparkmagic/bin/python [--quick] [--out bench/results]

Both kernels are driven through jupyter_client exactly as a frontend would, against one dev Livy
server on real Spark, with the same Spark session settings (`livy.rsc.sql.num-rows` = 100000 for
both). Runs alternate (A B A B …) so that drift on this shared machine hits both kernels; every
figure is a median with its spread, and every ratio (LivyKernel / sparkmagic) comes from the same
run. Writes `latest.json` and `latest.md` into --out and prints the table.

Cases (issue 8): startup, idle_rss, cell_overhead, poll_load, sql_multi, big_result, rss_growth,
first_result. A case a kernel cannot run is reported as "n/a: reason".
"""
import argparse
import datetime
import json
import math
import os
import pathlib
import platform
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
import uuid

import zmq

from devlivy.launcher import dev_livy, free_port

REPO = pathlib.Path(__file__).resolve().parent.parent

LK, SM = "livykernel", "sparkmagic"
LABEL = {LK: "LivyKernel", SM: "sparkmagic"}
SESSION_CONF = {"livy.rsc.sql.num-rows": "100000"}
SQL_MULTI = [f"SELECT {i} AS statement, count(*) AS n, sum(id) AS total FROM range({1000 * (i + 1)})"
             for i in range(10)]
BIG_QUERY = ("SELECT id AS c0, id * 2 AS c1, id % 7 AS c2, CAST(id AS STRING) AS c3, id / 3.0 AS c4, "
             "concat('row-', id) AS c5, id % 2 = 0 AS c6, date_add(DATE'2024-01-01', CAST(id % 365 AS INT)) AS c7, "
             "id * 1.5 AS c8, repeat('x', 8) AS c9 FROM range(100000)")
LONG_STATEMENT = "import time\ntime.sleep(5)"
# One ZMQ context for every client. Its sockets retry a refused connection after 1 ms instead of
# ZMQ's default 100 ms: the client connects right after launching the kernel, before the kernel has
# bound its ports, and the default interval would add up to 100 ms of client-side wait to `startup`.
CLIENT_CONTEXT = zmq.Context()
CLIENT_CONTEXT.setsockopt(zmq.RECONNECT_IVL, 1)


# ---------------------------------------------------------------------------------------------
# small helpers


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for pid {pid}")


def rss_by_mapping(pid: int, top: int = 6) -> dict[str, float]:
    """RSS (MB) per mapped file (or [anon]/[heap]/[stack]), largest first."""
    sizes: dict[str, float] = {}
    name = "[anon]"
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            parts = line.split()
            if parts and not parts[0].endswith(":"):
                name = parts[5] if len(parts) > 5 else "[anon]"
            elif parts and parts[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(parts[1]) / 1024
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1])[:top])


def reset_peak_rss(pid: int) -> bool:
    """Resets VmHWM (peak RSS) of a process we own (Linux ≥ 4.0)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def summary(values: list[float]) -> dict:
    xs = sorted(values)
    if not xs:
        return {"n": 0}
    return {"n": len(xs), "median": statistics.median(xs), "p25": percentile(xs, 25), "p75": percentile(xs, 75),
            "p95": percentile(xs, 95), "p99": percentile(xs, 99), "min": xs[0], "max": xs[-1]}


def http_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


class Livy:
    """Read-only look at the dev Livy server (direct, never through the counting proxy)."""

    def __init__(self, url: str):
        self.url = url

    def session_ids(self) -> set[int]:
        return {s["id"] for s in http_json(self.url + "/sessions?size=1000")["sessions"]}

    def live_sessions(self) -> list[dict]:
        return [s for s in http_json(self.url + "/sessions?size=1000")["sessions"]
                if s["state"] in ("not_started", "starting", "idle", "busy", "shutting_down")]

    def statements(self, session_id: int) -> list[dict]:
        return http_json(f"{self.url}/sessions/{session_id}/statements")["statements"]

    def last_statement_id(self, session_id: int) -> int:
        statements = self.statements(session_id)
        return statements[-1]["id"] if statements else -1

    def statements_after(self, session_id: int, after_id: int) -> list[dict]:
        return [s for s in self.statements(session_id) if s["id"] > after_id]

    def delete_live_sessions(self) -> None:
        """Deletes what a kernel killed at shutdown left behind, so the next run starts alone."""
        for session in self.live_sessions():
            request = urllib.request.Request(f"{self.url}/sessions/{session['id']}", method="DELETE")
            try:
                urllib.request.urlopen(request, timeout=30).read()
            except OSError:
                pass
        self.wait_no_live_sessions()

    def wait_no_live_sessions(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.live_sessions() and time.monotonic() < deadline:
            time.sleep(0.2)


def livy_ms(statement: dict) -> float:
    return float(statement["completed"] - statement["started"])


# ---------------------------------------------------------------------------------------------
# kernels driven through jupyter_client


class CellResult:
    def __init__(self):
        self.sent = self.sent_wall = self.reply_at = self.reply_wall = self.idle_at = None
        self.reply: dict | None = None
        self.outputs: list[tuple[float, float, str, dict]] = []  # (perf, wall, msg_type, content)

    @property
    def wall_ms(self) -> float:
        return (self.reply_at - self.sent) * 1000

    @property
    def status(self) -> str:
        return self.reply["content"]["status"] if self.reply else "no reply"

    def text(self) -> str:
        parts = []
        for _, _, msg_type, content in self.outputs:
            if msg_type == "stream":
                parts.append(content.get("text", ""))
            elif msg_type in ("execute_result", "display_data"):
                parts.append(str(content.get("data", {}).get("text/plain", "")))
            elif msg_type == "error":
                parts.append(f"{content.get('ename')}: {content.get('evalue')}")
        return "".join(parts)

    def output_bytes(self) -> int:
        return sum(len(json.dumps(c)) for _, _, t, c in self.outputs if t in ("stream", "execute_result", "display_data"))


class Kernel:
    def __init__(self, which: str, kernel_name: str, env: dict, log_dir: pathlib.Path):
        self.which, self.kernel_name, self.env, self.log_dir = which, kernel_name, env, log_dir
        self.process = self.kc = None
        self.started_at = self.info_at = None
        self.cells = 0
        self.session_id: int | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> float:
        """Launches the kernel as Jupyter does (kernelspec argv, a fresh connection file) and returns
        ms from process start (just before fork/exec) to the kernel_info_reply received."""
        from jupyter_client.blocking.client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec(self.kernel_name)
        stamp = time.time_ns()
        connection_file = str(self.log_dir / f"{self.which}-{stamp}.json")
        write_connection_file(connection_file, ip="127.0.0.1", key=uuid.uuid4().hex.encode(),
                              kernel_name=self.kernel_name)
        argv = [part.replace("{connection_file}", connection_file) for part in spec.argv]
        env = {**self.env, **spec.env, "JPY_PARENT_PID": str(os.getpid())}
        self.stderr = open(self.log_dir / f"{self.which}-{stamp}.log", "w")
        self.started_at = time.perf_counter()
        self.started_wall = time.time()
        self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                        stderr=self.stderr, cwd=self.log_dir)
        self.kc = BlockingKernelClient(context=CLIENT_CONTEXT)
        self.kc.load_connection_file(connection_file)
        self.kc.start_channels()
        self.kc.kernel_info()
        sent = time.perf_counter()
        deadline = sent + 60
        while True:
            try:
                msg = self.kc.shell_channel.get_msg(timeout=0.05)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.which} kernel exited at start; see {self.stderr.name}")
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{self.which} kernel did not answer kernel_info; see {self.stderr.name}")
                if time.perf_counter() - sent > 1:
                    self.kc.kernel_info()
                    sent = time.perf_counter()
                continue
            if msg["msg_type"] == "kernel_info_reply":
                self.info_at = time.perf_counter()
                return (self.info_at - self.started_at) * 1000

    def settle_iopub(self, seconds: float = 0.5) -> None:
        """Lets the IOPub subscription connect and drains what arrived."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            try:
                self.kc.iopub_channel.get_msg(timeout=0.05)
            except queue.Empty:
                pass

    def run(self, code: str, timeout: float = 300) -> CellResult:
        kc = self.kc
        result = CellResult()
        poller = zmq.Poller()
        poller.register(kc.shell_channel.socket, zmq.POLLIN)
        poller.register(kc.iopub_channel.socket, zmq.POLLIN)
        result.sent = time.perf_counter()
        result.sent_wall = time.time()
        msg_id = kc.execute(code, store_history=True, allow_stdin=False)
        deadline = result.sent + timeout
        while result.reply is None or result.idle_at is None:
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError(f"{self.which}: no reply/idle after {timeout} s for {code[:40]!r}")
            if result.reply is not None and now - result.reply_at > 5:
                break  # idle lost (should not happen once IOPub is connected)
            events = dict(poller.poll(100))
            if kc.shell_channel.socket in events:
                msg = kc.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_reply":
                    result.reply_at, result.reply_wall, result.reply = time.perf_counter(), time.time(), msg
            if kc.iopub_channel.socket in events:
                while True:
                    try:
                        msg = kc.iopub_channel.get_msg(timeout=0)
                    except queue.Empty:
                        break
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    msg_type = msg["msg_type"]
                    if msg_type == "status" and msg["content"]["execution_state"] == "idle":
                        result.idle_at = time.perf_counter()
                    elif msg_type in ("stream", "execute_result", "display_data", "update_display_data", "error"):
                        result.outputs.append((time.perf_counter(), time.time(), msg_type, msg["content"]))
        self.cells += 1
        return result

    def run_ok(self, code: str, timeout: float = 300) -> CellResult:
        result = self.run(code, timeout)
        if result.status != "ok":
            raise RuntimeError(f"{self.which}: cell {code[:40]!r} ended {result.status}: {result.text()[-500:]}")
        return result

    def rss(self) -> float:
        return rss_mb(self.pid)

    def memory(self) -> dict:
        """RSS and its parts (anonymous = the kernel's own heap and stacks; file = mapped code)."""
        return {field: rss_mb(self.pid, field) for field in ("VmRSS", "RssAnon", "RssFile", "RssShmem")}

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            if self.kc is not None:
                self.kc.shutdown()
            self.process.wait(8)
        except Exception as error:  # noqa: BLE001 - a kernel that fails to stop must not stop the bench
            log(f"{self.which}: shutdown: {type(error).__name__} {error}; killing it")
            self.process.kill()
            self.process.wait(10)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
            self.stderr.close()
            self.process = self.kc = None


class Setup:
    """The sandbox: kernelspecs for both kernels and their configuration for one Livy URL."""

    def __init__(self, kernel_bin: str, sparkmagic_python: str):
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="livykernel-bench-"))
        self.logs = self.root / "logs"
        self.logs.mkdir()
        self.sparkmagic_python = sparkmagic_python
        os.environ["JUPYTER_PATH"] = str(self.root / "share" / "jupyter")
        subprocess.run([kernel_bin, "install", "--prefix", str(self.root), "--name", "bench-livykernel"],
                       check=True, capture_output=True)
        spec_dir = self.root / "share" / "jupyter" / "kernels" / "bench-sparkmagic"
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text(json.dumps({
            "argv": [sparkmagic_python, "-m", "sparkmagic.kernels.pysparkkernel.pysparkkernel", "-f",
                     "{connection_file}"],
            "display_name": "PySpark (sparkmagic)", "language": "python"}))
        (self.root / "livykernel.json").write_text(json.dumps({"session": {"conf": SESSION_CONF}}))

    def env(self, which: str, livy_url: str, eager: bool = True) -> dict:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "LIVY_"))}
        base["SPARK_LOCAL_IP"] = "127.0.0.1"
        if which == LK:
            base.update({"LIVY_URL": livy_url, "LIVY_KERNEL_CONFIG": str(self.root / "livykernel.json"),
                         "LIVY_KERNEL_RUNTIME_DIR": str(self.root / "runtime"),
                         "LIVY_KERNEL_EAGER_START": "true" if eager else "false"})
            return base
        home = self.root / f"home-{free_port()}"
        conf_dir = home / ".sparkmagic"
        conf_dir.mkdir(parents=True)
        # sparkmagic's defaults except the endpoint, the same session conf as LivyKernel, a generous
        # session start-up limit, and plain tables instead of ipywidgets (a headless client cannot
        # render widgets; pandas' HTML is what nbclient/papermill users get).
        (conf_dir / "config.json").write_text(json.dumps({
            "kernel_python_credentials": {"username": "", "password": "", "url": livy_url, "auth": "None"},
            "session_configs": {"conf": SESSION_CONF},
            "livy_session_startup_timeout_seconds": 180,
            "use_auto_viz": False,
        }))
        base.update({"HOME": str(home), "SPARKMAGIC_CONF_DIR": str(conf_dir)})
        return base

    def kernel(self, which: str, livy_url: str, eager: bool = True) -> Kernel:
        name = "bench-livykernel" if which == LK else "bench-sparkmagic"
        return Kernel(which, name, self.env(which, livy_url, eager), self.logs)


# ---------------------------------------------------------------------------------------------
# the cases


class Results:
    def __init__(self, quick: bool):
        self.quick = quick
        self.cases: dict[str, dict] = {}

    def put(self, name: str, which: str, value) -> None:
        self.cases.setdefault(name, {})[which] = value

    def na(self, name: str, which: str, reason: str) -> None:
        self.put(name, which, {"na": reason})


def guarded(results: Results, names: list[str], which: str):
    """Context manager: an exception in a case is recorded as n/a for that kernel, never dropped."""

    class Guard:
        def __enter__(self):
            return self

        def __exit__(self, exc_type, exc, tb):
            if exc is None:
                return False
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
            log(f"{LABEL[which]}: {', '.join(names)} failed: {reason}")
            traceback.print_exception(exc_type, exc, tb)
            for name in names:
                if which not in results.cases.get(name, {}):
                    results.na(name, which, reason)
            return True

    return Guard()


def alternating(whiches: list[str], reps: int, results: Results, name: str, run_once) -> set[str]:
    """Runs `run_once(which)` for each kernel in turn, `reps` rounds (A B A B …). A kernel whose run
    fails is recorded as n/a for `name` and left out of the later rounds; returns those kernels."""
    failed: set[str] = set()
    for _ in range(reps):
        for which in whiches:
            if which in failed:
                continue
            with guarded(results, [name], which):
                try:
                    run_once(which)
                except Exception:
                    failed.add(which)
                    raise
    return failed


def case_startup(setup: Setup, livy: Livy, results: Results, runs: int) -> None:
    """startup and idle_rss: runs alternate LivyKernel, sparkmagic, … Neither kernel starts a Livy
    session here (LivyKernel with LIVY_KERNEL_EAGER_START=false; sparkmagic is lazy anyway), so
    ten Spark drivers do not start in the background of the timings."""
    startup = {LK: [], SM: []}
    idle = {LK: [], SM: []}
    parts = {LK: [], SM: []}
    failed = {}
    for i in range(runs):
        for which in (LK, SM):
            if which in failed:
                continue
            kernel = setup.kernel(which, livy.url, eager=False)
            try:
                startup[which].append(kernel.start())
                time.sleep(2.0)
                memory = kernel.memory()
                idle[which].append(memory["VmRSS"])
                parts[which].append(memory)
                if i == 0:
                    results.put("idle_rss_top_mappings", which, rss_by_mapping(kernel.pid))
            except Exception as error:  # noqa: BLE001
                failed[which] = f"{type(error).__name__}: {error}"[:200]
                log(f"{LABEL[which]} startup failed: {error}")
            finally:
                kernel.stop()
        log(f"startup run {i + 1}/{runs}: " + ", ".join(
            f"{LABEL[w]} {startup[w][-1]:.0f} ms / {idle[w][-1]:.0f} MB" for w in (LK, SM) if startup[w] and w not in failed))
    for which in (LK, SM):
        if which in failed:
            results.na("startup", which, failed[which])
            results.na("idle_rss", which, failed[which])
            continue
        results.put("startup", which, {"unit": "ms", **summary(startup[which]), "samples": startup[which]})
        results.put("idle_rss", which, {"unit": "MB", **summary(idle[which]), "samples": idle[which],
                                        "parts_median": {k: statistics.median(m[k] for m in parts[which])
                                                         for k in parts[which][0]}})


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
                errors[which] = f"{type(error).__name__}: {error}"[:200]
                results.cases.setdefault("retries", {}).setdefault(which, []).append(f"warm-up: {errors[which]}")
                log(f"{LABEL[which]} warm-up attempt {attempt + 1} failed: {errors[which]}")
                kernel.stop()

    threads = [threading.Thread(target=warm, args=(which,)) for which in (LK, SM)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for which in (LK, SM):
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
    out = []
    for which in (LK, SM):
        if which in kernels and kernels[which].process is not None and kernels[which].session_id is not None:
            out.append(which)
        elif which not in results.cases.get(name, {}):
            results.na(name, which, "kernel not running (see earlier failure)")
    return out


def run_plain_cells(kernel: Kernel, until: int) -> None:
    while kernel.cells < until:
        kernel.run_ok("1+1", timeout=120)


def case_cells(kernels: dict[str, Kernel], livy: Livy, results: Results, warm_cells: int, measured: int,
               total_cells: int | None) -> None:
    """rss_growth (RSS after `total_cells` minus RSS after `warm_cells`) around cell_overhead
    (`measured` alternating `1+1` cells: round trip minus Livy's completed − started)."""
    names = ["cell_overhead"] + (["rss_growth"] if total_cells else [])
    whiches = alive(kernels, results, "cell_overhead")
    rss_at_warm = {}
    for which in whiches:
        with guarded(results, names, which):
            run_plain_cells(kernels[which], warm_cells)
            time.sleep(0.5)
            rss_at_warm[which] = kernels[which].rss()
    whiches = [w for w in whiches if w in rss_at_warm]
    walls = {w: [] for w in whiches}
    livy_times = {w: [] for w in whiches}
    failed, mismatch = set(), set()
    batch = 40  # Livy (and devlivy) keep only the last 100 statements (livy.rsc.retained-statements)
    for start in range(0, measured, batch):
        last_id = {w: livy.last_statement_id(kernels[w].session_id) for w in whiches if w not in failed}
        count = {w: 0 for w in whiches}
        for i in range(min(batch, measured - start)):
            for which in whiches:
                if which in failed:
                    continue
                with guarded(results, names, which):
                    try:
                        walls[which].append(kernels[which].run_ok("1+1", timeout=120).wall_ms)
                        count[which] += 1
                    except Exception:
                        failed.add(which)
                        raise
        for which in whiches:
            if which in failed or which in mismatch:
                continue
            with guarded(results, ["cell_overhead"], which):
                try:
                    statements = livy.statements_after(kernels[which].session_id, last_id[which])
                    if len(statements) != count[which]:
                        raise RuntimeError(f"{count[which]} cells but {len(statements)} Livy statements")
                    livy_times[which] += [livy_ms(st) for st in statements]
                except Exception:
                    mismatch.add(which)
                    raise
    for which in whiches:
        if which in failed or which in mismatch:
            continue
        overhead = [w - l for w, l in zip(walls[which], livy_times[which])]
        results.put("cell_overhead", which, {
            "unit": "ms", **summary(overhead), "round_trip": summary(walls[which]),
            "livy_statement": summary(livy_times[which])})
        s = results.cases["cell_overhead"][which]
        log(f"cell_overhead {LABEL[which]}: median {s['median']:.1f} ms, p95 {s['p95']:.1f}, p99 {s['p99']:.1f}")
    if not total_cells:
        return
    # The rest of the 1,000 cells: nothing is timed here, so both kernels run at once.
    threads, errors = [], {}
    rss_at_end = {}

    def finish(which):
        try:
            run_plain_cells(kernels[which], total_cells)
            time.sleep(0.5)
            rss_at_end[which] = kernels[which].rss()
        except Exception as error:  # noqa: BLE001
            errors[which] = error

    for which in whiches:
        if which not in failed:
            threads.append(threading.Thread(target=finish, args=(which,)))
            threads[-1].start()
    for thread in threads:
        thread.join()
    for which in whiches:
        if which in errors:
            results.na("rss_growth", which, f"{type(errors[which]).__name__}: {errors[which]}"[:200])
        elif which in rss_at_end:
            results.put("rss_growth", which, {
                "unit": "MB", "value": rss_at_end[which] - rss_at_warm[which],
                f"rss_after_{warm_cells}": rss_at_warm[which], f"rss_after_{total_cells}": rss_at_end[which]})
            log(f"rss_growth {LABEL[which]}: {rss_at_warm[which]:.1f} → {rss_at_end[which]:.1f} MB")


def case_sql_multi(kernels: dict[str, Kernel], livy: Livy, results: Results, reps: int) -> None:
    whiches = alive(kernels, results, "sql_multi")
    walls = {w: [] for w in whiches}
    overheads = {w: [] for w in whiches}

    def run_once(which: str) -> None:
        kernel = kernels[which]
        after = livy.last_statement_id(kernel.session_id)
        if which == LK:
            cells = [kernel.run_ok("%%sql\n" + ";\n".join(SQL_MULTI))]
        else:  # sparkmagic's %%sql runs one statement per cell
            cells = [kernel.run_ok("%%sql\n" + statement) for statement in SQL_MULTI]
        wall = (cells[-1].reply_at - cells[0].sent) * 1000
        statements = livy.statements_after(kernel.session_id, after)
        if len(statements) != len(SQL_MULTI):
            raise RuntimeError(f"expected {len(SQL_MULTI)} Livy statements, saw {len(statements)}")
        walls[which].append(wall)
        overheads[which].append(wall - sum(livy_ms(s) for s in statements))

    failed = alternating(whiches, reps, results, "sql_multi", run_once)
    for which in whiches:
        if which not in failed:
            results.put("sql_multi", which, {"unit": "ms", **summary(overheads[which]), "wall": summary(walls[which]),
                                             "cells": 1 if which == LK else len(SQL_MULTI)})
            log(f"sql_multi {LABEL[which]}: overhead median {statistics.median(overheads[which]):.0f} ms, "
                f"wall {statistics.median(walls[which]):.0f} ms")


def case_big_result(kernels: dict[str, Kernel], livy: Livy, results: Results, reps: int) -> None:
    whiches = alive(kernels, results, "big_result")
    latency = {w: [] for w in whiches}
    growth = {w: [] for w in whiches}
    detail = {w: [] for w in whiches}

    def run_once(which: str) -> None:
        kernel = kernels[which]
        after = livy.last_statement_id(kernel.session_id)
        time.sleep(0.3)
        before = kernel.rss()
        exact_peak = reset_peak_rss(kernel.pid)
        sampled_peak = [before]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    sampled_peak[0] = max(sampled_peak[0], kernel.rss())
                except Exception:  # noqa: BLE001
                    pass
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            cell = kernel.run_ok("%%sql -n 100000\n" + BIG_QUERY, timeout=600)
        finally:
            stop.set()
            sampler.join()
        peak = rss_mb(kernel.pid, "VmHWM") if exact_peak else sampled_peak[0]
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
        latency[which].append((last_output_wall - completed) * 1000)
        growth[which].append(peak - before)
        detail[which].append({"wall_ms": cell.wall_ms, "livy_statement_ms": livy_ms(statements[-1]),
                              "output_bytes": cell.output_bytes(), "rss_before_mb": before,
                              "peak_mb": peak, "peak_from": "VmHWM" if exact_peak else "sampled"})
        log(f"big_result {LABEL[which]}: {latency[which][-1]:.0f} ms after Livy, +{growth[which][-1]:.1f} MB "
            f"peak, cell {cell.wall_ms / 1000:.1f} s, output {cell.output_bytes() / 1e6:.1f} MB")

    failed = alternating(whiches, reps, results, "big_result", run_once)
    for which in whiches:
        if which not in failed:
            results.put("big_result", which, {"unit": "ms", **summary(latency[which]),
                                              "peak_rss_growth_mb": summary(growth[which]), "runs": detail[which]})


def case_first_result(setup: Setup, livy: Livy, proxy_url: str, results: Results, reps: int,
                      diagnose: bool) -> None:
    """first_result and poll_load, on fresh kernels pointed at the counting proxy: open the kernel,
    send `1+1` 10 s later, time its result; then run a ~5 s statement and count the HTTP requests
    the proxy (the server side) saw while it ran."""
    first = {LK: [], SM: []}
    polls = {LK: [], SM: []}
    breakdown = {LK: [], SM: []}
    failed = {}
    for rep in range(reps):
        for which in (LK, SM):
            kernel = setup.kernel(which, proxy_url, eager=True)
            try:
                kernel.start()
                kernel.settle_iopub()
                time.sleep(max(0.0, kernel.started_at + 10 - time.perf_counter()))
                cell = kernel.run_ok("1+1", timeout=300)
                result_at = next((o[0] for o in cell.outputs if "2" in CellResult.text_of(o)), cell.reply_at)
                first[which].append((result_at - kernel.started_at) * 1000)
                time.sleep(0.5)
                cell = kernel.run_ok(LONG_STATEMENT, timeout=120)
                requests = http_json(proxy_url + "/__bench__/requests")
                window = [r[:3] for r in requests if cell.sent_wall <= r[0] <= cell.reply_wall]
                polls[which].append(len(window))
                kinds = {}
                for _, method, path in window:
                    key = f"{method} {'/'.join('{id}' if part.isdigit() else part for part in path.split('?')[0].split('/'))}"
                    kinds[key] = kinds.get(key, 0) + 1
                breakdown[which].append(kinds)
                log(f"first_result {LABEL[which]}: {first[which][-1] / 1000:.2f} s; poll_load {len(window)} requests {kinds}")
                if diagnose and which == LK and rep == 0:
                    with guarded(results, ["diagnosis"], which):
                        diagnose_livykernel(kernel, livy, proxy_url, results)
            except Exception as error:  # noqa: BLE001
                failed.setdefault(which, []).append(f"{type(error).__name__}: {error}"[:200])
                results.cases.setdefault("retries", {}).setdefault(which, []).append(
                    f"first_result run {rep + 1}: {failed[which][-1]}")
                log(f"{LABEL[which]} first_result/poll_load run failed: {error}")
            finally:
                kernel.stop()
                livy.delete_live_sessions()
    for which in (LK, SM):
        if not first[which] or not polls[which]:
            reason = failed.get(which, ["no run completed"])[-1]
            results.na("first_result", which, reason)
            results.na("poll_load", which, reason)
            continue
        results.put("first_result", which, {"unit": "ms", **summary(first[which]), "sent_after_ms": 10000,
                                            "after_send": summary([f - 10000 for f in first[which]])})
        results.put("poll_load", which, {"unit": "requests", **summary(polls[which]), "requests": breakdown[which]})


def statement_gets(requests: list, statement_id: int) -> list:
    return [r for r in requests if r[1] == "GET" and r[2].split("?")[0].endswith(f"/statements/{statement_id}")]


def diagnose_livykernel(kernel: Kernel, livy: Livy, proxy_url: str, results: Results) -> None:
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


def _text_of(output) -> str:
    _, _, msg_type, content = output
    if msg_type == "stream":
        return content.get("text", "")
    if msg_type in ("execute_result", "display_data"):
        return str(content.get("data", {}).get("text/plain", ""))
    return ""


CellResult.text_of = staticmethod(_text_of)


# ---------------------------------------------------------------------------------------------
# report


TARGETS = {
    "startup": "≤ 1/50 of sparkmagic",
    "idle_rss": "≤ 1/10 of sparkmagic",
    "cell_overhead": "median ≤ 5 ms, p99 ≤ 25 ms",
    "poll_load": "≤ 15 requests",
    "sql_multi": "overhead ≤ 30 ms",
    "big_result": "≤ 200 ms, ≤ 50 MB",
    "rss_growth": "≈ 0 (≤ 2 MB)",
    "first_result": "(comparison)",
}
ORDER = ["startup", "idle_rss", "cell_overhead", "poll_load", "sql_multi", "big_result", "rss_growth", "first_result"]


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


# ---------------------------------------------------------------------------------------------


def start_proxy(upstream: str, logs: pathlib.Path):
    port = free_port()
    out = open(logs / "count_proxy.log", "w")
    process = subprocess.Popen([sys.executable, str(REPO / "bench" / "count_proxy.py"), "--upstream", upstream,
                                "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            http_json(url + "/__bench__/requests")
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the counting proxy did not start")
            time.sleep(0.1)


def versions(sparkmagic_python: str) -> dict:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except Exception:  # noqa: BLE001
            return "?"
    return {
        "sparkmagic_version": run([sparkmagic_python, "-c", "import sparkmagic; print(sparkmagic.__version__)"]),
        "spark_version": run([sys.executable, "-c", "import pyspark; print(pyspark.__version__)"]),
        "git_commit": run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel-bin", required=True)
    parser.add_argument("--sparkmagic-python", default=str(REPO / ".venv-sparkmagic" / "bin" / "python"))
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1",
                        help="the ~2.5 min subset (default when BENCH_QUICK=1); writes quick.{json,md}")
    parser.add_argument("--full", dest="quick", action="store_false", help="the full run; writes latest.{json,md}")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    args = parser.parse_args()
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    began = time.monotonic()
    q = args.quick
    plan = {"startup_runs": 4 if q else 10, "warm_cells": 5 if q else 100, "overhead_cells": 30 if q else 200,
            "total_cells": None if q else 1000, "sql_multi_reps": 1 if q else 6, "big_result_reps": 1 if q else 4,
            "first_result_reps": 1 if q else 4}
    log(f"{'quick' if q else 'full'} run: {plan}")
    setup = Setup(args.kernel_bin, args.sparkmagic_python)
    results = Results(q)
    meta = {"generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "quick": q,
            "cpus": os.cpu_count(), "machine": platform.platform(), "plan": plan, **versions(args.sparkmagic_python)}
    proxy = None
    try:
        with dev_livy() as url:
            livy = Livy(url)
            proxy, proxy_url = start_proxy(url, setup.logs)
            log("startup / idle_rss")
            case_startup(setup, livy, results, plan["startup_runs"])
            log("warm sessions")
            kernels = warm_kernels(setup, livy, results)
            try:
                log("cell_overhead" + (" / rss_growth" if plan["total_cells"] else ""))
                case_cells(kernels, livy, results, plan["warm_cells"], plan["overhead_cells"], plan["total_cells"])
                log("sql_multi")
                case_sql_multi(kernels, livy, results, plan["sql_multi_reps"])
                log("big_result")
                case_big_result(kernels, livy, results, plan["big_result_reps"])
            finally:
                for kernel in kernels.values():
                    kernel.stop()
                livy.delete_live_sessions()
            if q:
                for which in (LK, SM):
                    results.na("rss_growth", which, "skipped in BENCH_QUICK=1 (needs 1,000 cells)")
            log("first_result / poll_load")
            case_first_result(setup, livy, proxy_url, results, plan["first_result_reps"], diagnose=not q or os.environ.get("BENCH_DIAGNOSE") == "1")
    finally:
        if proxy is not None:
            proxy.send_signal(signal.SIGTERM)
            proxy.wait(10)
    meta["runtime_s"] = round(time.monotonic() - began, 1)
    meta["notes"] = [
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
        f"Total bench runtime {meta['runtime_s'] / 60:.1f} min.",
    ]
    data, table = build_report(results, meta)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "quick" if q else "latest"
    (out / f"{stem}.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    (out / f"{stem}.md").write_text(table)
    log(f"wrote {out / stem}.json and .md")
    print()
    print(table)
    shutil.rmtree(setup.root, ignore_errors=True) if os.environ.get("BENCH_KEEP") != "1" else log(f"kept {setup.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
