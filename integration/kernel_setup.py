"""The kernel under test as Jupyter sees it: where its binary is, its kernelspecs, and a started
kernel's connection file. Fixtures live in conftest.py; tests import these helpers from here."""
import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent


def kernel_binary() -> str:
    """LIVY_KERNEL_BIN, else the debug build; ends the run (exit 2) when neither is there."""
    path = os.environ.get("LIVY_KERNEL_BIN") or str(REPO / ".build" / "debug" / "livy-kernel")
    if not os.access(path, os.X_OK):
        pytest.exit(f"livy-kernel binary not found at {path}; run `make build` or set LIVY_KERNEL_BIN", 2)
    return path


def install_kernelspec(kernel_bin: str, prefix, name: str, kind: str = "pyspark", env: dict | None = None):
    args = [kernel_bin, "install", "--prefix", str(prefix), "--kind", kind, "--name", name]
    for key, value in (env or {}).items():
        args += ["--env", f"{key}={value}"]
    subprocess.run(args, check=True, capture_output=True)


def read_connection(km) -> dict:
    with open(km.connection_file) as f:
        return json.load(f)


def stop_kernel(km, kc) -> None:
    """Shuts a kernel down the way Jupyter does (it deletes its Livy session), or kills it."""
    try:
        kc.stop_channels()
    finally:
        if km.is_alive():
            try:
                km.shutdown_kernel(now=False)
            except Exception:
                km.shutdown_kernel(now=True)
