"""The wheel suite: a fresh virtualenv (the system's python3, not the repository's .venv) with the
`livykernel` wheel and the Jupyter packages a user would have, and the dev Livy server on real Spark."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

from devlivy.testing import LivyServer

REPO = pathlib.Path(__file__).resolve().parents[2]
# What a user's Jupyter environment holds besides the wheel, at the versions the suites pin.
JUPYTER_PACKAGES = ("jupyter_client", "jupyter_server", "nbclient", "nbformat")
# Neither the Swift toolchain (/opt/swift) nor anything of the repository on PATH.
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"


def pinned(names) -> list[str]:
    pins = {}
    for requirements in (REPO / "requirements" / "test.txt", REPO / "sparkui_proxy" / "requirements.txt"):
        for line in requirements.read_text().splitlines():
            match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
            if match:
                pins[match.group(1).lower().replace("-", "_")] = line.strip()
    return [pins[name] for name in names]


@pytest.fixture(scope="session")
def wheel() -> pathlib.Path:
    configured = os.environ.get("LIVY_KERNEL_WHEEL")
    found = [pathlib.Path(configured)] if configured else sorted((REPO / "dist").glob("livykernel-*.whl"))
    assert found and found[-1].is_file(), "no wheel: run `make wheel` (make test-wheel builds it)"
    return found[-1]


@pytest.fixture(scope="session")
def fresh_env(tmp_path_factory, wheel):
    """(prefix, environment) of a new virtualenv with the wheel and Jupyter installed."""
    root = tmp_path_factory.mktemp("wheel-env")
    prefix = root / "venv"
    home = root / "home"
    home.mkdir()
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(prefix)], check=True)
    environment = {"PATH": f"{prefix / 'bin'}:{CLEAN_PATH}", "HOME": str(home), "LANG": "C.UTF-8",
                   "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"), "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
                   "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([str(prefix / "bin" / "pip"), "install", "-q", str(wheel), *pinned(JUPYTER_PACKAGES)],
                   check=True, env=environment)
    return prefix, environment


@pytest.fixture(scope="session")
def livy():
    server = LivyServer()
    yield server
    assert server.stop() == 0, server.server_log()[-3000:]
