"""Fixtures: the dev Livy server on real Spark, one Spark session shared by all tests, a real
jupyter_server with the extension (installed into .venv the way `make lab` uses it), and canary
HTTP servers that count every request reaching them. Helpers that are not fixtures live in
names.py, kernel_records.py, canary.py and jupyter_process.py.
"""
from __future__ import annotations

import os
import pathlib
import types
import urllib.parse

import pytest

from canary import Canary
from devlivy.testing import LivyServer, free_port
from jupyter_process import JupyterServer
from kernel_records import write_record
from names import APP_NAME, OWNER

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = pathlib.Path(os.environ.get("SPARKUI_PROXY_ARTIFACTS", REPO / "sparkui_proxy" / "test-artifacts"))


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
    server = LivyServer()
    yield server
    server.stop()


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
    # Asked of the driver, as the kernel does: real Livy's appInfo has no driver UI URL.
    ui = urllib.parse.urlsplit(livy.run_ok(session_id, "sc.uiWebUrl")["text/plain"].strip("'"))
    assert ui.port == port, ui
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
