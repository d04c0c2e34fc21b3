"""Starting the dev Livy server as a subprocess: the one launcher for its tests, `make demo`/`make lab`
(tools/devstack.py) and the bench, so all of them start, wait for and stop it the same way.

Standard library only: the bench and devstack need nothing else to start a server.
"""
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A loopback TCP port nobody listens on right now (the OS's pick)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevLivyProcess:
    """`python -m devlivy` on loopback, with its own work directory (sessions' scratch and the log).

    Launched by the constructor; `wait_ready` waits until it answers HTTP; `stop` ends it (SIGTERM,
    which also stops every Spark driver it started, then SIGKILL after `timeout`)."""

    def __init__(self, *args: str, port: int | None = None, work_prefix: str = "devlivy-",
                 log_name: str = "server.log", ready_path: str = "/sessions"):
        self.port = port or free_port()
        self.ready_path = ready_path  # what wait_ready polls: /lighter/api/sessions with --dialect lighter
        self.url = f"http://127.0.0.1:{self.port}"
        self.work_dir = tempfile.mkdtemp(prefix=work_prefix)
        self.log_path = os.path.join(self.work_dir, log_name)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devlivy", "--host", "127.0.0.1", "--port", str(self.port),
             "--work-dir", os.path.join(self.work_dir, "sessions"), *args],
            cwd=self.work_dir, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float) -> None:
        """Returns once `GET <ready_path>` (default /sessions) answers; stops the server and raises
        RuntimeError (with its log) if it exits or does not answer within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.url + self.ready_path, timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop(cleanup=False)
                    raise RuntimeError("devlivy did not start:\n" + self.server_log())
                time.sleep(0.1)

    def server_log(self) -> str:
        return Path(self.log_path).read_text()

    def stop(self, timeout: float = 60, cleanup: bool = True) -> int:
        """Stops the server (idempotent) and returns its exit status; removes the work directory
        when `cleanup` and the server exited cleanly (the log of a server that failed is kept)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        if cleanup and self.process.returncode == 0:
            shutil.rmtree(self.work_dir, ignore_errors=True)
        return self.process.returncode


@contextlib.contextmanager
def dev_livy(port: int | None = None, master: str | None = None):
    """The dev Livy server for a person or the bench (`make demo`, `make lab`, `make bench`), its
    sessions on `master` (default local[*]); yields its URL and keeps its log after it stops."""
    server = DevLivyProcess(*(("--master", master) if master else ()), port=port,
                            work_prefix="livykernel-devstack-", log_name="devlivy.log")
    try:
        try:
            server.wait_ready(60)
        except RuntimeError:
            raise SystemExit(f"the dev Livy server did not start; see {server.log_path}") from None
        on = f"Spark master {master}" if master else "real Spark"
        print(f"dev Livy server on {on}: {server.url} (log: {server.log_path})", flush=True)
        yield server.url
    finally:
        server.stop(60, cleanup=False)
