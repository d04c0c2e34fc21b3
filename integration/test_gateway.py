"""Livy behind a gateway (issue 14 item 2): under a base path, with or without a trailing slash,
and a bearer token the kernel reads from a file or a command and reads again when the gateway
refuses it (an expired token), without the user doing anything."""
import json
import os
import subprocess

import pytest
from jupyter_client.manager import start_new_kernel

from bearer_gateway import BearerGateway
from cell_output import run, stdout
from doctor_report import checks
from kernel_setup import install_kernelspec


@pytest.fixture
def gateway(livy):
    gateway = BearerGateway(livy.url, token="token-one")
    yield gateway
    gateway.stop()


def start_kernel(jupyter_sandbox, kernel_bin, tmp_path, name, livy_section):
    config = tmp_path / f"{name}.json"
    config.write_text(json.dumps({"livy": livy_section, "session": {"eager_start": False}}))
    install_kernelspec(kernel_bin, jupyter_sandbox, name, env={"LIVY_KERNEL_CONFIG": str(config)})
    return start_new_kernel(kernel_name=name, startup_timeout=30)


def test_a_token_file_is_read_again_when_the_gateway_refuses_the_old_token(jupyter_sandbox, kernel_bin, tmp_path, gateway):
    token_file = tmp_path / "token"
    token_file.write_text("token-one\n")
    km, kc = start_kernel(jupyter_sandbox, kernel_bin, tmp_path, "livy-gateway-file",
                          {"url": gateway.url + "/", "auth": "bearer", "token_file": str(token_file)})
    try:
        reply, messages = run(kc, "x = 20\nprint(x + 1)")
        assert reply["status"] == "ok", reply
        assert stdout(messages) == "21\n"
        # The token expires: the gateway takes only the new one, which its issuer wrote to the file.
        gateway.rotate("token-two")
        token_file.write_text("token-two\n")
        reply, messages = run(kc, "print(x * 2)")
        assert reply["status"] == "ok", reply
        assert stdout(messages) == "40\n", "the same session, no statement lost or repeated"
        refused = [line for line in gateway.log if line.endswith(" 401")]
        assert len(refused) == 1, gateway.log
        assert all(line.split()[1].startswith("/gateway/livy/sessions") for line in gateway.log), gateway.log
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_a_token_command_and_a_base_path_without_trailing_slash(jupyter_sandbox, kernel_bin, tmp_path, gateway):
    km, kc = start_kernel(jupyter_sandbox, kernel_bin, tmp_path, "livy-gateway-command",
                          {"url": gateway.url, "auth": "bearer", "token_command": "echo token-one"})
    try:
        reply, messages = run(kc, "%%sessions")
        assert reply["status"] == "ok", reply
        assert gateway.log and gateway.log[0] == "GET /gateway/livy/sessions 200", gateway.log
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_a_failing_token_command_says_why(jupyter_sandbox, kernel_bin, tmp_path, gateway):
    command = "echo 'not logged in: run cloud-login' >&2; exit 4"
    km, kc = start_kernel(jupyter_sandbox, kernel_bin, tmp_path, "livy-gateway-badcommand",
                          {"url": gateway.url, "auth": "bearer", "token_command": command})
    try:
        reply, _ = run(kc, "1 + 1", timeout=60)
        assert reply["status"] == "error"
        assert reply["ename"] == "LivyAuthenticationFailed", reply
        assert "exited with status 4: not logged in: run cloud-login" in reply["evalue"]
        assert gateway.log == [], "nothing is sent without a token"
        reply, _ = run(kc, "%%sessions", timeout=60)
        assert reply["ename"] == "LivyAuthenticationFailed", "the kernel stays alive and says it again"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def doctor(kernel_bin, tmp_path, livy_section):
    """`livy-kernel doctor` (no session) with `livy_section`; returns (exit code, {check: line with fixes}, output)."""
    config = tmp_path / "doctor.json"
    config.write_text(json.dumps({"livy": livy_section}))
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LIVY_")}
    environment.update({"LIVY_KERNEL_CONFIG": str(config), "PATH": "/usr/bin:/bin"})
    done = subprocess.run([kernel_bin, "doctor"], env=environment, capture_output=True, text=True, timeout=120)
    return done.returncode, checks(done.stdout), done.stdout + done.stderr


def test_doctor_passes_a_working_gateway_with_a_token_file(kernel_bin, tmp_path, gateway):
    token_file = tmp_path / "token"
    token_file.write_text("token-one\n")
    code, lines, out = doctor(kernel_bin, tmp_path, {"url": gateway.url + "/", "auth": "bearer", "token_file": str(token_file)})
    assert code == 0, out
    for name in ("Livy URL", "TCP connect", "authentication", "Livy answers", "CSRF header"):
        assert lines[name].startswith("✓"), out
    assert "token-one" not in out


def test_doctor_without_auth_names_the_bearer_scheme_the_gateway_asks_for(kernel_bin, tmp_path, gateway):
    code, lines, out = doctor(kernel_bin, tmp_path, {"url": gateway.url})
    assert code == 1, out
    assert lines["authentication"].startswith("✗"), out
    assert "asks for Bearer" in lines["authentication"], out
    assert "set livy.auth (LIVY_AUTH) to bearer" in lines["authentication"], out


def test_doctor_with_an_expired_token_names_its_file(kernel_bin, tmp_path, gateway):
    token_file = tmp_path / "token"
    token_file.write_text("token-one\n")
    gateway.rotate("token-two")  # the file still holds the expired one
    code, lines, out = doctor(kernel_bin, tmp_path, {"url": gateway.url, "auth": "bearer", "token_file": str(token_file)})
    assert code == 1, out
    assert lines["authentication"].startswith("✗"), out
    assert "refused the bearer token from the file " + str(token_file) in lines["authentication"], out
    assert "token-one" not in out


def test_doctor_with_a_failing_token_command_names_its_error(kernel_bin, tmp_path, gateway):
    command = "echo 'not logged in: run cloud-login' >&2; exit 4"
    code, lines, out = doctor(kernel_bin, tmp_path, {"url": gateway.url, "auth": "bearer", "token_command": command})
    assert code == 1, out
    assert lines["authentication"].startswith("✗"), out
    assert "not logged in: run cloud-login" in lines["authentication"], out
