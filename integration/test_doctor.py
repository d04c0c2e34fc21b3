"""`livy-kernel doctor` against setups the plain suite can make: nothing configured, Livy down, a
typo in the config file, and a working dev Livy on real Spark (with --session)."""
import json
import re
import os
import socket
import subprocess
import sys

import pytest

from doctor_report import checks


def doctor(kernel_bin, *args, env=None, path=None, timeout=300):
    """Runs `livy-kernel doctor`; returns (exit code, {check: (symbol, whole line with fixes)}, output)."""
    environment = dict(os.environ)
    environment.pop("LIVY_URL", None)
    environment.update(env or {})
    # Without jupyter on PATH unless a test asks for it: the proxy line is then "not checked".
    environment["PATH"] = path if path is not None else "/usr/bin:/bin"
    done = subprocess.run([kernel_bin, "doctor", *args], env=environment, capture_output=True, text=True, timeout=timeout)
    lines = {name: (line[0], line) for name, line in checks(done.stdout).items()}
    return done.returncode, lines, done.stdout + done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nothing_configured_says_how(kernel_bin):
    code, lines, out = doctor(kernel_bin)
    assert code == 1, out
    assert lines["configuration"][0] == "✓"
    symbol, text = lines["Livy URL"]
    assert symbol == "✗" and "export LIVY_URL=" in text, out
    assert lines["TCP connect"][0] == "–"
    assert "1 check failed: Livy URL." in out


def test_livy_down_fails_at_tcp_with_the_fix(kernel_bin):
    port = free_port()
    code, lines, out = doctor(kernel_bin, env={"LIVY_URL": f"http://127.0.0.1:{port}"})
    assert code == 1, out
    assert lines["host resolves"][0] == "✓"
    symbol, text = lines["TCP connect"]
    assert symbol == "✗" and "Connection refused" in text, out
    assert f"is Livy running and listening on port {port}" in text
    assert all(lines[name][0] == "–" for name in ("TLS", "authentication", "Livy answers", "CSRF header")), out


def test_unknown_config_key_fails_the_configuration(kernel_bin, tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"livy": {"url": "http://127.0.0.1:8998", "ca_bundel": "/x.pem"}}))
    code, lines, out = doctor(kernel_bin, env={"LIVY_KERNEL_CONFIG": str(config)})
    assert code == 1, out
    symbol, text = lines["configuration"]
    assert symbol == "✗" and "'livy.ca_bundel' is not a LivyKernel setting" in text, out
    assert f"correct 'livy.ca_bundel' in {config}" in text
    assert lines["TCP connect"][0] == "–"


def test_a_password_in_the_url_is_not_printed(kernel_bin):
    code, _, out = doctor(kernel_bin, env={"LIVY_URL": f"http://alice:s3cret@127.0.0.1:{free_port()}"})
    assert code == 1
    assert "s3cret" not in out


def test_working_dev_livy_with_a_session_is_all_green(kernel_bin, livy):
    before = {s["id"] for s in livy.get("/sessions").json()["sessions"]}
    code, lines, out = doctor(kernel_bin, "--session", env={"LIVY_URL": livy.url})
    assert code == 0, out
    for name in ("configuration", "Livy URL", "host resolves", "TCP connect", "authentication", "Livy answers",
                 "CSRF header", "session", "run 1+1", "driver UI", "session delete", "Spark UI ports"):
        assert lines[name][0] == "✓", out
    assert lines["TLS"][0] == "–"
    assert re.search(r"Apache Livy \d+\.\d+\.0-devlivy", lines["Livy answers"][1]), out
    assert "1+1 → 2" in lines["run 1+1"][1], out
    assert "All checks passed." in out
    # Nothing left behind: neither the CSRF probe nor the --session session.
    assert {s["id"] for s in livy.get("/sessions").json()["sessions"]} - before == set()


def test_proxy_extension_as_jupyter_reports_it(kernel_bin, livy):
    bin_dir = os.path.dirname(sys.executable)
    if not os.path.exists(os.path.join(bin_dir, "jupyter")):
        pytest.skip("no jupyter beside this python")
    done = subprocess.run([os.path.join(bin_dir, "jupyter"), "server", "extension", "list"],
                          capture_output=True, text=True)
    listing = done.stdout + done.stderr
    _, lines, out = doctor(kernel_bin, env={"LIVY_URL": livy.url}, path=bin_dir + ":/usr/bin:/bin")
    expected = "✓" if "sparkui_proxy" in listing and "OK" in listing else "✗"
    assert lines["Spark UI proxy"][0] == expected, out + listing
