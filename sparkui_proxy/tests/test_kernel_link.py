"""The link the real kernel prints in a notebook run by nbclient is exactly a path this proxy serves,
while the kernel lives — and stops being served once the kernel has shut its session down."""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import socket
import subprocess
import time

import pytest

from devlivy.testing import free_port
from names import OWNER

REPO = pathlib.Path(__file__).resolve().parents[2]
KERNEL_BIN = os.environ.get("LIVY_KERNEL_BIN") or str(REPO / ".build" / "debug" / "livy-kernel")


def ui_port_free_here(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


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


def install_kernelspec(tmp_path, livy_url: str, runtime_dir, name: str):
    """Installs kernelspec `name` (the real kernel against `livy_url`, its Spark UI records in the
    proxy's `runtime_dir`, one UI port of its own, free here) under tmp_path/prefix; returns
    (prefix, port). Skips when the binary is not built."""
    if not os.access(KERNEL_BIN, os.X_OK):
        pytest.skip(f"the livy-kernel binary is not at {KERNEL_BIN} (built by `make build`; "
                    "this suite never builds it)")
    port = free_port()
    while not ui_port_free_here(port):
        port = free_port()
    prefix = tmp_path / "prefix"
    subprocess.run([KERNEL_BIN, "install", "--prefix", str(prefix), "--name", name,
                    "--env", f"LIVY_URL={livy_url}", "--env", f"LIVY_KERNEL_RUNTIME_DIR={runtime_dir}",
                    "--env", f"LIVY_KERNEL_USER={OWNER}", "--env", f"LIVY_KERNEL_UI_PORTS={port}-{port}"],
                   check=True, capture_output=True)
    return prefix, port


@pytest.fixture
def kernel_env(tmp_path, livy, runtime_dir):
    prefix, port = install_kernelspec(tmp_path, livy.url, runtime_dir, "livy-pyspark-proxytest")
    with temp_env(JUPYTER_PATH=str(prefix / "share" / "jupyter"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
                  JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
                  LIVY_KERNEL_CONFIG=str(tmp_path / "no-config.json")):
        yield port


def outputs_text(cell, mime: str) -> str:
    texts = []
    for output in cell.get("outputs", []):
        value = output.get("text") if mime == "stream" else output.get("data", {}).get(mime)
        if value:
            texts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(texts)


def test_link_printed_by_the_kernel_is_served(kernel_env, jupyter, runtime_dir):
    import nbformat
    from nbclient import NotebookClient

    port = kernel_env
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("spark.range(5).count()")])
    client = NotebookClient(notebook, kernel_name="livy-pyspark-proxytest", timeout=240, startup_timeout=60)
    with client.setup_kernel():
        cell = client.execute_cell(notebook.cells[0], 0)
        plain = outputs_text(cell, "text/plain") + "\n" + outputs_text(cell, "stream")
        html = outputs_text(cell, "text/html")
        match = re.search(r"Spark UI (\S+)", plain)
        assert match, f"no Spark UI link in the first cell's output: {cell['outputs']}"
        link = match.group(1)
        assert link == f"/spark/{OWNER}/{port}/", link
        assert f'href="{link}"' in html, html

        record = json.loads((runtime_dir / f"{port}.json").read_text())
        assert record["user"] == OWNER and record["port"] == port and record["session_id"] is not None
        assert record["driver_host"] in ("localhost", "127.0.0.1"), record

        first = jupyter.get(link)
        assert first.status_code == 302 and first.headers["Location"] == link + "jobs/"
        jobs = jupyter.get(first.headers["Location"])
        assert jobs.status_code == 200 and "Spark Jobs" in jobs.text
        assert f'href="{link}stages/"' in jobs.text  # the driver's own links are this proxy's paths
        apps = jupyter.get(link + "api/v1/applications").json()
        assert len(apps) == 1 and apps[0]["name"], apps
    # nbclient shut the kernel down, which deleted its session and its record.
    deadline = time.monotonic() + 20
    while (runtime_dir / f"{port}.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not (runtime_dir / f"{port}.json").exists()
    gone = jupyter.get(link + "jobs/")
    assert gone.status_code == 404, gone.status_code
