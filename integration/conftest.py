"""Fixtures that run the real livy-kernel binary the way Jupyter does (helpers that are not
fixtures live in kernel_setup.py, cell_output.py and kernel_wire.py).

Kernelspecs are installed into a temporary prefix named in JUPYTER_PATH, and every Jupyter
directory points into a temp folder, so tests never touch the user's own Jupyter setup.
"""
import os
import subprocess

import pytest
from jupyter_client.manager import start_new_kernel

from cell_output import run
from devlivy.testing import LivyServer
from kernel_setup import install_kernelspec, kernel_binary

# The chaos, load, authentication, wheel, cluster and hub suites have make targets of their own
# (integration/*/*.mk); they run when named on the command line (`pytest integration/auth`), not
# with `pytest integration`.
collect_ignore = ["chaos", "auth", "wheel", "cluster", "hub"]


@pytest.fixture(scope="session")
def kernel_bin() -> str:
    return kernel_binary()


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


# ----- the dev Livy server on real Spark --------------------------------------------------------

@pytest.fixture(scope="session")
def livy(jupyter_sandbox, kernel_bin):
    """One dev Livy server for the whole run, and kernelspecs `livy-{pyspark,sql,scala}-dev` pinned to it."""
    server = LivyServer()
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-pyspark-dev", env={"LIVY_URL": server.url})
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-sql-dev", kind="sql", env={"LIVY_URL": server.url})
    install_kernelspec(kernel_bin, jupyter_sandbox, "livy-scala-dev", kind="scala", env={"LIVY_URL": server.url})
    yield server
    assert server.stop() == 0, server.server_log()[-3000:]


@pytest.fixture(scope="module")
def spark_kernel(livy):
    """A PySpark kernel on the dev server, shared by a module's tests (one Spark session).

    Its first cell (`spark.sparkContext.uiWebUrl`) is run here; its iopub messages, which carry the
    session announcement, are kept as `kc.first_cell_messages`."""
    km, kc = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    reply, messages = run(kc, "spark.sparkContext.uiWebUrl")
    assert reply["status"] == "ok", reply
    kc.first_cell_messages = messages
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)
