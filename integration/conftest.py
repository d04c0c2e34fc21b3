"""Fixtures that run the real livy-kernel binary the way Jupyter does.

Kernelspecs are installed into a temporary prefix named in JUPYTER_PATH, and every Jupyter
directory points into a temp folder, so tests never touch the user's own Jupyter setup.
"""
import json
import os
import pathlib
import subprocess

import pytest
from jupyter_client.manager import start_new_kernel

REPO = pathlib.Path(__file__).resolve().parent.parent


def _kernel_binary() -> str:
    path = os.environ.get("LIVY_KERNEL_BIN") or str(REPO / ".build" / "debug" / "livy-kernel")
    if not os.access(path, os.X_OK):
        pytest.exit(f"livy-kernel binary not found at {path}; run `make build` or set LIVY_KERNEL_BIN", 2)
    return path


@pytest.fixture(scope="session")
def kernel_bin() -> str:
    return _kernel_binary()


@pytest.fixture(scope="session", autouse=True)
def jupyter_sandbox(tmp_path_factory, kernel_bin):
    """Installs the kernelspecs into a temp prefix and isolates Jupyter's directories."""
    root = tmp_path_factory.mktemp("jupyter")
    prefix = root / "prefix"
    saved = dict(os.environ)
    os.environ.update({
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
        # Hermetic: no user config file (ours or sparkmagic's), Spark UI leases in the sandbox.
        "LIVY_KERNEL_CONFIG": str(root / "livykernel.json"),
        "SPARKMAGIC_CONF_DIR": str(root / "sparkmagic"),
        "LIVY_KERNEL_RUNTIME_DIR": str(root / "spark-ui"),
    })
    os.environ.pop("LIVY_URL", None)
    subprocess.run([kernel_bin, "install", "--all", "--prefix", str(prefix)], check=True, capture_output=True)
    yield prefix
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def kernel():
    """A started PySpark kernel and a ready client; shut down (gracefully) afterwards."""
    km, kc = start_new_kernel(kernel_name="livy-pyspark", startup_timeout=30)
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=False)


def read_connection(km) -> dict:
    with open(km.connection_file) as f:
        return json.load(f)


# ----- the dev Livy server on real Spark --------------------------------------------------------

DEVLIVY_TESTS = REPO / "devlivy" / "tests"


def livy_server_class():
    """devlivy's own test harness (a server subprocess plus a plain `requests` client)."""
    import sys
    if str(DEVLIVY_TESTS) not in sys.path:
        sys.path.insert(0, str(DEVLIVY_TESTS))
    import livy_server
    return livy_server


def install_kernelspec(kernel_bin: str, prefix, name: str, kind: str = "pyspark", env: dict | None = None):
    args = [kernel_bin, "install", "--prefix", str(prefix), "--kind", kind, "--name", name]
    for key, value in (env or {}).items():
        args += ["--env", f"{key}={value}"]
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture(scope="session")
def livy(jupyter_sandbox, kernel_bin):
    """One dev Livy server for the whole run, and a kernelspec `livy-pyspark-dev` pinned to it."""
    server = livy_server_class().LivyServer()
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-pyspark-dev", env={"LIVY_URL": server.url})
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-sql-dev", kind="sql", env={"LIVY_URL": server.url})
    yield server
    assert server.stop() == 0, server.server_log()[-3000:]


@pytest.fixture(scope="module")
def spark_kernel(livy):
    """A PySpark kernel on the dev server, shared by a module's tests (one Spark session).

    Its first cell (`spark.sparkContext.uiWebUrl`) is run here; its iopub messages, which carry the
    session announcement, are kept as `kc.first_cell_messages`."""
    km, kc = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    messages = []
    reply = kc.execute_interactive("spark.sparkContext.uiWebUrl", timeout=180, output_hook=messages.append)
    assert reply["content"]["status"] == "ok", reply["content"]
    kc.first_cell_messages = messages
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)
