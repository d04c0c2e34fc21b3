"""Start-up failures are clear and exit non-zero; installation writes a usable kernelspec."""
import json
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent


def run_kernel(kernel_bin, connection_file):
    return subprocess.run([kernel_bin, "run", "--connection-file", str(connection_file)],
                          capture_output=True, text=True, timeout=20)


def test_unreadable_connection_file(kernel_bin, tmp_path):
    result = run_kernel(kernel_bin, tmp_path / "missing.json")
    assert result.returncode != 0
    assert "cannot read connection file" in result.stderr
    assert "missing.json" in result.stderr


def test_connection_file_without_ports(kernel_bin, tmp_path):
    path = tmp_path / "conn.json"
    path.write_text(json.dumps({"ip": "127.0.0.1", "key": "k"}))
    result = run_kernel(kernel_bin, path)
    assert result.returncode != 0
    assert "shell_port" in result.stderr


def test_unknown_signature_scheme(kernel_bin, tmp_path):
    path = tmp_path / "conn.json"
    path.write_text(json.dumps({
        "ip": "127.0.0.1", "key": "k", "signature_scheme": "hmac-md5", "transport": "tcp",
        "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}))
    result = run_kernel(kernel_bin, path)
    assert result.returncode != 0
    assert "hmac-md5" in result.stderr


def test_port_in_use_is_a_startup_error(kernel_bin, tmp_path):
    import socket
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    path = tmp_path / "conn.json"
    path.write_text(json.dumps({
        "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256",
        "shell_port": port, "iopub_port": port + 1, "stdin_port": port + 2, "control_port": port + 3,
        "hb_port": port + 4}))
    try:
        result = run_kernel(kernel_bin, path)
    finally:
        taken.close()
    assert result.returncode != 0
    assert "cannot start the kernel" in result.stderr


def test_version(kernel_bin):
    result = subprocess.run([kernel_bin, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip().count(".") == 2


def kernelspecs(prefix: pathlib.Path) -> dict:
    env = {"JUPYTER_PATH": str(prefix / "share" / "jupyter"), "PATH": "/usr/bin:/bin"}
    import os
    import sys
    jupyter = pathlib.Path(sys.executable).parent / "jupyter"
    result = subprocess.run([str(jupyter), "kernelspec", "list", "--json"], capture_output=True, text=True,
                            check=True, env={**os.environ, **env})
    # Only the specs under `prefix`: the virtualenv may hold kernelspecs of its own (make demo).
    return {name: spec for name, spec in json.loads(result.stdout)["kernelspecs"].items()
            if spec["resource_dir"].startswith(str(prefix))}


def test_install_defaults_to_pyspark(kernel_bin, tmp_path):
    subprocess.run([kernel_bin, "install", "--prefix", str(tmp_path)], check=True, capture_output=True)
    assert sorted(kernelspecs(tmp_path)) == ["livy-pyspark"]
    subprocess.run([kernel_bin, "install", "--prefix", str(tmp_path), "--kind", "sql"], check=True, capture_output=True)
    assert sorted(kernelspecs(tmp_path)) == ["livy-pyspark", "livy-sql"]


def test_install_lists_all_kinds_and_matches_template(kernel_bin, tmp_path):
    subprocess.run([kernel_bin, "install", "--all", "--prefix", str(tmp_path)], check=True, capture_output=True)
    specs = kernelspecs(tmp_path)
    for kind, language in [("pyspark", "python"), ("scala", "scala"), ("sql", "sql")]:
        spec = specs[f"livy-{kind}"]["spec"]
        template = (REPO / "kernel.json").read_text()
        version = subprocess.run([kernel_bin, "--version"], capture_output=True, text=True).stdout.strip()
        expected = json.loads(template
                              .replace("{livy_kernel}", str(pathlib.Path(kernel_bin).resolve()))
                              .replace("{kind}", kind)
                              .replace("{language}", language)
                              .replace("{version}", version)
                              .replace("{display_name}", spec["display_name"]))
        for key in ("argv", "language", "interrupt_mode", "env", "metadata"):
            assert spec[key] == expected[key], key
        assert spec["argv"][0].startswith("/")


def test_install_twice_replaces(kernel_bin, tmp_path):
    args = [kernel_bin, "install", "--prefix", str(tmp_path), "--kind", "sql", "--name", "my-sql",
            "--display-name", "Team SQL", "--env", "LIVY_URL=http://livy:8998"]
    subprocess.run(args, check=True, capture_output=True)
    stray = tmp_path / "share" / "jupyter" / "kernels" / "my-sql" / "stale.txt"
    stray.write_text("left over")
    subprocess.run(args, check=True, capture_output=True)
    assert not stray.exists()
    spec = kernelspecs(tmp_path)["my-sql"]["spec"]
    assert spec["display_name"] == "Team SQL"
    assert spec["env"] == {"LIVY_URL": "http://livy:8998"}


@pytest.mark.parametrize("args, message", [
    (["--user", "--prefix", "/tmp/x"], "at most one"),
    (["--all", "--name", "x"], "--all installs every kernel"),
    (["--kind", "sql", "--name", "bad name"], "ASCII"),
    (["--env", "NOEQUALS"], "NAME=VALUE"),
])
def test_install_rejects_bad_arguments(kernel_bin, args, message):
    result = subprocess.run([kernel_bin, "install", *args], capture_output=True, text=True)
    assert result.returncode != 0
    assert message in result.stderr
