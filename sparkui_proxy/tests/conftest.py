"""Fixtures: the dev Livy server on real Spark, one Spark session shared by all tests, a real
jupyter_server with the extension (installed into .venv the way `make lab` uses it), and canary
HTTP servers that count every request reaching them.
"""
from __future__ import annotations

import contextlib
import http.cookiejar
import http.server
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.parse

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
DEVLIVY_TESTS = REPO / "devlivy" / "tests"
ARTIFACTS = pathlib.Path(os.environ.get("SPARKUI_PROXY_ARTIFACTS", REPO / "sparkui_proxy" / "test-artifacts"))
OWNER = "alice"          # the user the tests' Jupyter server belongs to
OTHER = "bob"            # somebody else
APP_NAME = "sparkui-proxy-test"


def livy_server_module():
    """devlivy's own test harness (a server subprocess plus a plain `requests` client)."""
    if str(DEVLIVY_TESTS) not in sys.path:
        sys.path.insert(0, str(DEVLIVY_TESTS))
    import livy_server
    return livy_server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_record(runtime_dir: pathlib.Path, **record) -> pathlib.Path:
    """A record as the kernel writes it (PortLeaseStore: `<port>.json`, sorted keys)."""
    runtime_dir.mkdir(parents=True, exist_ok=True)
    path = runtime_dir / f"{record['port']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({k: v for k, v in record.items() if v is not None}, sort_keys=True))
    tmp.replace(path)
    return path


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped) — a kernel killed with SIGKILL."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# ----- canaries ------------------------------------------------------------------------------

class Canary:
    """An HTTP server on loopback that answers 200 and records every request that reaches it."""

    def __init__(self, host: str = "127.0.0.1"):
        hits = self.hits = []
        release = self.release = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                hits.append((self.command, self.path, dict(self.headers)))
                if self.path == "/stream":  # one chunk now, the next only when the test says so
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"first\n")
                    self.wfile.flush()
                    release.wait(20)
                    self.wfile.write(b"second\n")
                    return
                if self.path.startswith("/redirect-me"):  # as Spark: absolute, from the Host it saw
                    self.send_response(302)
                    self.send_header("Location", f"http://{self.headers['Host']}/jobs/?from=redirect")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = f"canary {self.server.server_address[1]} {self.path}".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.host = host
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canaries():
    made = []

    def make(host="127.0.0.1"):
        canary = Canary(host)
        made.append(canary)
        return canary

    yield make
    for canary in made:
        canary.close()


# ----- Jupyter server ------------------------------------------------------------------------

class JupyterServer:
    def __init__(self, runtime_dir: pathlib.Path, home: pathlib.Path, extra_env: dict | None = None,
                 extra_args: tuple = (), ready_path: str = "/api/status", auth: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = "sparkui-proxy-test-token"
        self._auth = auth
        self.home = home
        for sub in ("config", "data", "runtime", "notebooks"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
        env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"), LIVY_KERNEL_RUNTIME_DIR=str(runtime_dir),
                   LIVY_KERNEL_USER=OWNER, LIVY_KERNEL_CONFIG=str(home / "no-kernel-config.json"))
        env.update(extra_env or {})
        args = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={home / 'notebooks'}", *extra_args]
        if os.getuid() == 0:
            args.append("--allow-root")
        self.log_path = home / "jupyter_server.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, env=env, cwd=home, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.http = requests.Session()
        # Token-authenticated answers set Jupyter's login cookie; a client that kept it would be
        # authenticated by it in later "no token" requests.
        self.http.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.http.get(self.url + ready_path, headers=self.auth, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("jupyter_server did not start:\n" + self.server_log())
            time.sleep(0.2)

    @property
    def auth(self) -> dict:
        if self._auth is not None:
            return self._auth
        return {"Authorization": f"token {self.token}"}

    def server_log(self) -> str:
        return self.log_path.read_text()

    def get(self, path: str, token: bool = True, **kw) -> requests.Response:
        headers = dict(self.auth if token else {}, **kw.pop("headers", {}))
        return self.http.get(self.url + path, headers=headers, allow_redirects=False, timeout=60, **kw)

    def raw(self, method: str, target: str, headers: dict | None = None, body: bytes = b"") -> tuple[int, dict, bytes]:
        """One request with the request-target sent byte for byte (no client-side normalization)."""
        all_headers = {"Host": f"127.0.0.1:{self.port}", **self.auth, **(headers or {}),
                       "Content-Length": str(len(body)), "Connection": "close"}
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in all_headers.items() if v is not None)
            sock.sendall(head.encode("latin-1") + b"\r\n" + body)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        response_headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            response_headers[name.strip().lower()] = value.strip()
        return status, response_headers, rest

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def runtime_dir(tmp_path_factory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("livykernel-spark-ui")
    path.chmod(0o700)
    return path


@pytest.fixture(scope="session")
def jupyter(runtime_dir, tmp_path_factory):
    server = JupyterServer(runtime_dir, tmp_path_factory.mktemp("jupyter-home"))
    yield server
    server.stop()


# ----- dev Livy and one Spark session --------------------------------------------------------

@pytest.fixture(scope="session")
def livy():
    server = livy_server_module().LivyServer()
    yield server
    server.stop()


def ui_port_free_here(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="session")
def spark(livy, runtime_dir):
    """One real Spark session (driver UI at spark.ui.port with proxyBase /spark/alice/{port}), with some
    jobs, a cached table and SQL queries so every tab has content; registered as the kernel would."""
    port = free_port()
    prefix = f"/spark/{OWNER}/{port}"
    session_id = livy.create_session({"kind": "pyspark", "name": APP_NAME,
                                      "conf": {"spark.ui.port": str(port), "spark.ui.proxyBase": prefix}})["id"]
    record = dict(user=OWNER, port=port, pid=os.getpid(), livy_url=livy.url)
    write_record(runtime_dir, **record)  # leased, not ready yet
    livy.wait_state(session_id)
    session = livy.get(f"/sessions/{session_id}").json()
    ui = urllib.parse.urlsplit(session["appInfo"]["sparkUiUrl"])
    assert ui.port == port, session["appInfo"]
    write_record(runtime_dir, **record, session_id=session_id, driver_host=ui.hostname)
    livy.run_ok(session_id, "\n".join([
        "df = spark.range(0, 100000).selectExpr('id', 'id % 7 AS k')",
        "df.groupBy('k').count().collect()",
        "cached = spark.range(0, 1000).cache(); cached.count()",
        "df.createOrReplaceTempView('numbers')",
        "spark.sql('SELECT k, sum(id) FROM numbers GROUP BY k ORDER BY k').collect()",
    ]))
    yield types.SimpleNamespace(port=port, session_id=session_id, app_id=session["appId"], prefix=prefix,
                                driver_host=ui.hostname, direct=f"http://127.0.0.1:{port}", livy=livy)
    (runtime_dir / f"{port}.json").unlink(missing_ok=True)
    livy.delete(f"/sessions/{session_id}")


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@contextlib.contextmanager
def temp_env(**values):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
