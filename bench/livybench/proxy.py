"""The counting proxy (bench/count_proxy.py) in front of the dev Livy server, as a subprocess:
poll_load and the diagnosis count the requests a kernel makes at the server through it."""
import pathlib
import subprocess
import sys
import time

from devlivy.launcher import free_port
from livybench.livy import http_json

COUNT_PROXY = pathlib.Path(__file__).resolve().parent.parent / "count_proxy.py"


def start_proxy(upstream: str, logs: pathlib.Path):
    port = free_port()
    out = open(logs / "count_proxy.log", "w")
    process = subprocess.Popen([sys.executable, str(COUNT_PROXY), "--upstream", upstream,
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
