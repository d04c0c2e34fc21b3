"""A real jupyter_server with the extension, in a subprocess with its own home and token, and a
client for it (requests, and raw sockets for request-targets a client would normalize).

Not named jupyter_server.py: pytest imports this folder's modules as top-level ones, and that name
would shadow the package."""
from __future__ import annotations

import http.cookiejar
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import requests

from devlivy.testing import free_port
from names import OWNER


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
