"""A Spark standalone cluster on loopback for the dev Livy server's sessions (`--master
spark://127.0.0.1:PORT`): one master and a few one-core workers, started from pyspark's own
`bin/spark-class`, the way `sbin/start-master.sh` and `start-worker.sh` start them but in the
foreground. The one launcher for the cluster suite (integration/cluster/) and `make demo-cluster`.

Every daemon runs in a process group of its own; a worker's executors and their Python workers are
its children, so killing a worker's group takes the whole "machine" away. Every process of a
cluster also carries the cluster's directory in its environment (`LIVYKERNEL_CLUSTER`, inherited
down to the executors' Python workers), which is how `processes()` finds what is left of it. Logs,
work and scratch directories live in that one temp dir, removed by `stop` once nothing is left.

Standard library only (and pyspark, to find SPARK_HOME).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .launcher import free_port

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
# Set on every daemon (so on everything they start) to the cluster's directory.
MARKER = "LIVYKERNEL_CLUSTER"


def spark_home() -> str:
    """The Spark distribution inside the installed pyspark (it ships bin/spark-class and the jars)."""
    from pyspark.find_spark_home import _find_spark_home
    return _find_spark_home()


class ClusterError(RuntimeError):
    """The cluster did not come up (the message ends with the daemons' last log lines)."""


@dataclass
class Daemon:
    """One master or worker JVM: `spark-class` execs java, so `process.pid` is the JVM and the
    leader of its process group."""
    name: str
    web_port: int
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def reap(self, timeout: float) -> None:
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except FileNotFoundError:
            text = ["(no log)"]
        return f"--- {self.name} ({self.log_path}) ---\n" + "\n".join(text)


class StandaloneCluster:
    """`workers` workers of `cores` cores and `memory` each behind one master, all on 127.0.0.1;
    `daemon_memory` is the heap of the master and worker JVMs themselves.

    `start()` returns once the master lists every worker ALIVE; `stop()` ends every process of the
    cluster and returns what could not be ended (an empty list when nothing is left). Also a
    context manager (start on enter, stop on exit)."""

    def __init__(self, workers: int = 2, cores: int = 1, memory: str = "1g", executor_memory: str = "512m",
                 daemon_memory: str = "256m", prefix: str = "livykernel-cluster-"):
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self.port = free_port()
        self.cores, self.memory, self.daemon_memory = cores, memory, daemon_memory
        self.executor_memory = executor_memory
        (self.root / "logs").mkdir()
        (self.root / "conf").mkdir()  # SPARK_CONF_DIR: empty, so no spark-env.sh or defaults leak in
        (self.root / "tmp").mkdir()
        self.master = Daemon("master", free_port(), self.root / "logs" / "master.out")
        self.workers = [Daemon(f"worker-{n}", free_port(), self.root / "logs" / f"worker-{n}.out")
                        for n in range(1, workers + 1)]

    # ----- addresses and settings ----------------------------------------------------------------

    @property
    def master_url(self) -> str:
        """What a driver's `--master` / `spark.master` is set to."""
        return f"spark://127.0.0.1:{self.port}"

    @property
    def web_url(self) -> str:
        """The master's web UI (its JSON state at /json/)."""
        return self.master.web_url

    def work_dir(self, worker: int) -> Path:
        """Where worker `worker` (0-based) runs its executors: `<work dir>/<app id>/<executor id>`."""
        return self.root / self.workers[worker].name

    def session_settings(self) -> dict:
        """Livy session fields (a kernel config file's `session` section) that fit an application to
        this cluster: one executor of `executor_memory` and all of a worker's cores per worker."""
        return {"executorMemory": self.executor_memory, "executorCores": self.cores,
                "conf": {"spark.cores.max": str(self.cores * len(self.workers))}}

    # ----- starting ------------------------------------------------------------------------------

    def start(self, timeout: float = 120) -> StandaloneCluster:
        """Starts the master, then the workers once it answers; returns once it lists every worker
        ALIVE. On a failure (ClusterError after `timeout` seconds) everything is stopped first."""
        try:
            self._launch(self.master, MASTER_CLASS, "--host", "127.0.0.1", "--port", str(self.port),
                         "--webui-port", str(self.master.web_port))
            # Workers that come before the master retry only after 5-15 s: start them once it answers.
            self.wait_workers(timeout)
            for index in range(len(self.workers)):
                self.start_worker(index, wait=False)
            self.wait_workers(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def start_worker(self, index: int, wait: bool = True, timeout: float = 60) -> None:
        """(Re)starts worker `index` (0-based) with its own work directory and web UI port."""
        worker = self.workers[index]
        if worker.running:
            raise ClusterError(f"{worker.name} is already running")
        work = self.work_dir(index)
        (work / "local").mkdir(parents=True, exist_ok=True)
        self._launch(worker, WORKER_CLASS, self.master_url, "--host", "127.0.0.1", "--cores", str(self.cores),
                     "--memory", self.memory, "--webui-port", str(worker.web_port), "--work-dir", str(work),
                     env={"SPARK_WORKER_DIR": str(work), "SPARK_LOCAL_DIRS": str(work / "local")})
        if wait:
            self.wait_workers(timeout)

    def _launch(self, daemon: Daemon, main_class: str, *args: str, env: dict | None = None) -> None:
        home = spark_home()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SPARK_")}
        environment.update({
            "SPARK_HOME": home,
            "SPARK_CONF_DIR": str(self.root / "conf"),
            "SPARK_LOG_DIR": str(self.root / "logs"),
            "SPARK_LOCAL_IP": "127.0.0.1",           # bind loopback only, executors included
            "SPARK_DAEMON_MEMORY": self.daemon_memory,  # the master's and workers' own heap
            "TMPDIR": str(self.root / "tmp"),
            MARKER: str(self.root),
            **(env or {}),
        })
        with open(daemon.log_path, "a") as log:  # a restarted worker keeps its earlier log
            daemon.process = subprocess.Popen(
                [os.path.join(home, "bin", "spark-class"), main_class, *args], env=environment, cwd=self.root,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    # ----- state ---------------------------------------------------------------------------------

    def state(self) -> dict:
        """The master's JSON (`/json/`): workers, active and completed applications."""
        with urllib.request.urlopen(self.web_url + "/json/", timeout=5) as answer:
            return json.load(answer)

    def worker_state(self, index: int) -> dict:
        """Worker `index`'s own JSON (`/json/`): its running and finished executors, by application."""
        with urllib.request.urlopen(self.workers[index].web_url + "/json/", timeout=5) as answer:
            return json.load(answer)

    def alive_workers(self, state: dict | None = None) -> list[dict]:
        """The master's entries (from `state`, else asked now) of this cluster's running workers
        that it counts ALIVE."""
        ours = {w.web_url for w in self.workers if w.running}
        state = state or self.state()
        return [w for w in state["workers"] if w["state"] == "ALIVE" and w["webuiaddress"] in ours]

    def wait_workers(self, timeout: float = 60) -> None:
        """Returns once the master answers and lists every running worker ALIVE; raises ClusterError
        with the daemons' logs if one exits or that takes longer than `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for daemon in [self.master, *self.workers]:
                if daemon.process is not None and not daemon.running:
                    raise ClusterError(f"{daemon.name} exited with {daemon.process.returncode}\n{daemon.log_tail()}")
            try:
                state = self.state()
                wanted = sum(1 for w in self.workers if w.running)
                if state["status"] == "ALIVE" and len(self.alive_workers(state)) == wanted:
                    return
            except OSError:
                pass  # the master's UI is not up yet
            if time.monotonic() > deadline:
                logs = "\n".join(d.log_tail() for d in [self.master, *self.workers])
                raise ClusterError(f"the cluster at {self.master_url} was not up after {timeout:.0f} s\n{logs}")
            time.sleep(0.25)

    def processes(self) -> list[str]:
        """Every live process of this cluster (pid and command line): its daemons and whatever they
        started (executors, their Python workers), found by the marker in their environment."""
        marker = f"{MARKER}={self.root}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if marker not in (entry / "environ").read_bytes().split(b"\0"):
                    continue
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:  # gone meanwhile, or not ours to read
                continue
            found.append(f"{entry.name} {command[:160]}")
        return found

    # ----- failures and stopping -----------------------------------------------------------------

    def kill_worker(self, index: int) -> None:
        """Takes worker `index` (0-based) away as a lost machine would go: SIGKILL to its process
        group (the worker JVM, its executors, their Python workers)."""
        worker = self.workers[index]
        worker.signal_group(signal.SIGKILL)
        worker.reap(10)

    def stop(self, timeout: float = 30) -> list[str]:
        """SIGTERM to the workers (their shutdown hooks kill their executors) and the master, SIGKILL
        to what is left after `timeout` seconds; returns the processes still alive after that (an
        empty list: none; the temp dir is then removed, else kept for its logs)."""
        daemons = [*self.workers, self.master]
        for daemon in daemons:
            daemon.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        for daemon in daemons:
            daemon.signal_group(signal.SIGKILL)
        for line in self.processes():  # anything that left its daemon's group
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
        for daemon in daemons:
            daemon.reap(10)
        deadline = time.monotonic() + 10
        while (left := self.processes()) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not left:
            shutil.rmtree(self.root, ignore_errors=True)
        return left

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        left = self.stop()
        if left:
            raise ClusterError("processes of the cluster still alive: " + "; ".join(left))
