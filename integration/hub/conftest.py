"""Fixtures of the JupyterHub suite (`make test-hub`): one dev Livy server, one real JupyterHub
(jupyterhub_config.py beside this file) with configurable-http-proxy in front, and two hub users,
alice and bob, each with a running single-user server, a LivyKernel kernel started through the
server's REST API and a first cell run through the kernel websocket.

Everything lives in one temp dir and on free loopback ports. Every process the suite causes (hub,
proxy, single-user servers, kernels, the dev server, Spark drivers, the culler) carries LKHUB_MARK
in its environment; at the end, after the hub and the dev server are stopped, no process may carry
it (a leftover is killed and fails the run).
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cell_output import announcement, session_id_of
from devlivy.testing import LivyServer, free_port
from hub_client import Hub, UserServer, spark_ui_link
from hub_stack import USERS, HubUser, Stack, free_port_block, stop_process, wait_hub, wait_no_marked

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"
VENV_BIN = Path(sys.executable).parent
KERNEL_NAME = "livy-pyspark"
# The first cell of each user: who Spark runs as, a job, and the driver memory from the shared config.
FIRST_CELL = 'print(spark.sparkContext.sparkUser(), spark.range(3).count(), spark.conf.get("spark.driver.memory"))'
UI_PORT_COUNT = 8


@pytest.fixture(scope="session", autouse=True)
def hub_tools():
    """Ends the run at once when configurable-http-proxy (Debian: node-configurable-http-proxy) or
    jupyterhub (integration/hub/requirements.txt) is missing."""
    missing = []
    if shutil.which("configurable-http-proxy") is None:
        missing.append("the Debian package node-configurable-http-proxy")
    if not (VENV_BIN / "jupyterhub").exists() or not (VENV_BIN / "jupyterhub-singleuser").exists():
        missing.append(f"jupyterhub in {VENV_BIN.parent} (integration/hub/requirements.txt)")
    if missing:
        pytest.exit(f"the hub suite needs {' and '.join(missing)}: run `make test-hub`", 2)


@pytest.fixture(scope="session")
def stack(kernel_bin):
    """The dev Livy server and the hub, stopped in that order's reverse at the end (the hub first:
    stopping it stops the user servers, whose kernels delete their Livy sessions); then no process
    of the suite may be left."""
    root = Path(tempfile.mkdtemp(prefix="livykernel-hub-"))
    mark = secrets.token_hex(8)
    livy = hub_process = None
    try:
        # The dev server and its Spark drivers inherit the mark from this process's environment.
        os.environ["LKHUB_MARK"] = mark
        try:
            livy = LivyServer()
        finally:
            del os.environ["LKHUB_MARK"]

        # The kernelspec, outside every user's home; the spawner names it in JUPYTER_PATH.
        prefix = root / "jupyter"
        subprocess.run([kernel_bin, "install", "--prefix", str(prefix), "--kind", "pyspark", "--name", KERNEL_NAME],
                       check=True, capture_output=True)

        public, hub_port, proxy_api = free_port(), free_port(), free_port()
        while len({public, hub_port, proxy_api}) < 3:
            hub_port, proxy_api = free_port(), free_port()
        ui_ports = free_port_block(UI_PORT_COUNT)
        password, operator_token, culler_token = (secrets.token_urlsafe(18) for _ in range(3))
        env = dict(os.environ,
                   LKHUB_ROOT=str(root), LKHUB_PORT=str(public), LKHUB_HUB_PORT=str(hub_port),
                   LKHUB_PROXY_API_PORT=str(proxy_api), LKHUB_LIVY_URL=livy.url,
                   LKHUB_UI_PORTS=f"{ui_ports.start}-{ui_ports.stop - 1}",
                   LKHUB_JUPYTER_PATH=str(prefix / "share" / "jupyter"),
                   LKHUB_SINGLEUSER=str(VENV_BIN / "jupyterhub-singleuser"),
                   LKHUB_PASSWORD=password, LKHUB_OPERATOR_TOKEN=operator_token,
                   LKHUB_CULLER_TOKEN=culler_token, LKHUB_MARK=mark)
        hub_log = root / "jupyterhub.log"
        with open(hub_log, "w") as log:
            hub_process = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(CONFIG)], cwd=root, env=env,
                                           stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True)
        url = f"http://127.0.0.1:{public}"
        wait_hub(url, hub_process, hub_log)
        yield Stack(root=root, hub=Hub(url, operator_token), livy=livy, mark=mark, password=password,
                    hub_api_url=f"http://127.0.0.1:{hub_port}/hub/api", culler_token=culler_token,
                    ui_ports=ui_ports, hub_log=hub_log)
    finally:
        failures = []
        if hub_process is not None:
            stop_process(hub_process, timeout=60)
            if hub_process.returncode != 0:
                failures.append(f"jupyterhub exited with {hub_process.returncode}")
        if livy is not None and livy.stop() != 0:
            failures.append("the dev Livy server did not exit cleanly:\n" + livy.server_log()[-3000:])
        left = wait_no_marked(mark, timeout=20)
        for line in left:
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
        if left:
            failures.append("processes left behind (killed now):\n" + "\n".join(left))
        if failures and hub_process is not None:
            failures.append("hub log tail:\n" + (root / "jupyterhub.log").read_text()[-4000:])
        if failures or os.environ.get("LKHUB_KEEP"):
            print(f"hub suite files kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
        assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="session")
def users(stack) -> dict[str, HubUser]:
    """alice and bob, each: a token the operator created, a server started with it through the
    hub API, a notebook `{name}.ipynb` (PUT /user/{name}/api/contents/…) and its session (POST
    /user/{name}/api/sessions, which starts the kernel), and the first cell run over the kernel
    websocket. Both servers are asked for at once and both kernels start their Livy sessions
    before either cell runs, so the two Spark sessions start side by side."""
    hub = stack.hub
    tokens = {name: hub.new_token(name) for name in USERS}
    for name in USERS:
        response = hub.api("POST", f"/users/{name}/server", token=tokens[name])
        assert response.status_code in (201, 202), response.text
    for name in USERS:
        hub.wait_server(name, ready=True, timeout=120)
    servers = {name: UserServer(hub, name, tokens[name]) for name in USERS}
    kernels = {}
    for name in USERS:
        servers[name].new_notebook(f"{name}.ipynb", KERNEL_NAME)
        kernels[name] = servers[name].new_notebook_session(KERNEL_NAME, f"{name}.ipynb")
    result = {}
    try:
        for name in USERS:
            socket_ = servers[name].kernel_socket(kernels[name])
            cell = socket_.execute(FIRST_CELL)
            banner = announcement(cell.messages)
            link, port = spark_ui_link(banner)
            result[name] = HubUser(name=name, token=tokens[name], server=servers[name], kernel_id=kernels[name],
                                   socket=socket_, first_cell=cell, session_id=session_id_of(cell.messages),
                                   link=link, port=port)
        yield result
    finally:
        for user in result.values():
            user.socket.close()
