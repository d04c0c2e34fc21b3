"""`livy-kernel doctor` against the auth suite's real servers (MIT KDC, httpd with TLS, SPNEGO and
Basic in front of the dev Livy): each broken setup is named by the check that fails, with its fix,
and exit status 1; the working Kerberos setup passes every check, a Spark session included."""
from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest

from auth_kernel import _USER_SETTINGS
from conftest import session_ids
from doctor_report import checks


@pytest.fixture(scope="module")
def doctor(auth_root, kernel_bin):
    """Runs `livy-kernel doctor` with a config file holding `livy`; returns (exit code, {check: line
    with its fixes}, whole output)."""
    work = auth_root / "doctor"
    work.mkdir(exist_ok=True)

    def run(livy: dict, *args: str, env: dict | None = None):
        config = work / f"config-{uuid.uuid4().hex[:8]}.json"
        config.write_text(json.dumps({"livy": livy}))
        environment = {k: v for k, v in os.environ.items() if k not in _USER_SETTINGS}
        environment.update({"LIVY_KERNEL_CONFIG": str(config), "PATH": "/usr/bin:/bin", **(env or {})})
        done = subprocess.run([kernel_bin, "doctor", *args], env=environment, capture_output=True, text=True,
                              timeout=300)
        return done.returncode, checks(done.stdout), done.stdout + done.stderr
    return run


def failed(lines: dict) -> list[str]:
    return [name for name, line in lines.items() if line.startswith("✗")]


def test_untrusted_ca_fails_tls_naming_ca_bundle(doctor, basic_livy):
    code, lines, out = doctor({k: v for k, v in basic_livy.items() if k != "ca_bundle"})
    assert code == 1, out
    assert failed(lines) == ["TLS"], out
    assert "certificate" in lines["TLS"].lower() and "livy.ca_bundle" in lines["TLS"], out
    assert lines["TCP connect"].startswith("✓")


def test_wrong_host_name_fails_tls_naming_livy_url(doctor, basic_livy, auth_proxy):
    code, lines, out = doctor({**basic_livy, "url": auth_proxy.url("basic", host="127.0.0.1")})
    assert code == 1, out
    assert failed(lines) == ["TLS"], out
    assert "127.0.0.1" in lines["TLS"] and "livy.url" in lines["TLS"], out


def test_basic_wrong_password_fails_authentication(doctor, basic_livy):
    code, lines, out = doctor({**basic_livy, "password": "not-" + basic_livy["password"]})
    assert code == 1, out
    assert failed(lines) == ["authentication"], out
    assert lines["TLS"].startswith("✓")
    assert "'bob'" in lines["authentication"] and "LIVY_PASSWORD" in lines["authentication"], out
    assert basic_livy["password"] not in out


def test_kerberos_without_a_ticket_says_kinit(doctor, kerberos_livy, realm, ccache):
    code, lines, out = doctor(kerberos_livy, env=realm.env(ccache))
    assert code == 1, out
    assert failed(lines) == ["Kerberos ticket", "authentication"], out
    assert "run kinit" in lines["Kerberos ticket"], out
    assert "kinit" in lines["authentication"], out


def test_kerberos_with_a_ticket_passes_everything_with_a_session(doctor, kerberos_livy, realm, ccache, livy):
    realm.kinit(ccache)
    before = session_ids(livy)
    code, lines, out = doctor(kerberos_livy, "--session", env=realm.env(ccache))
    assert code == 0, out
    assert failed(lines) == [], out
    for name in ("Kerberos ticket", "TLS", "authentication", "Livy answers", "CSRF header", "session", "run 1+1",
                 "driver UI", "session delete"):
        assert lines[name].startswith("✓"), out
    assert realm.user_principal in lines["Kerberos ticket"]
    assert session_ids(livy) - before == set()


def test_no_auth_configured_names_the_scheme_httpd_asks_for(doctor, kerberos_livy):
    """httpd's mod_auth_gssapi answers 401 with `WWW-Authenticate: Negotiate`: doctor says so and
    which livy.auth to set."""
    code, lines, out = doctor({k: v for k, v in kerberos_livy.items() if k != "auth"})
    assert code == 1, out
    assert "authentication" in failed(lines), out
    assert "asks for Negotiate (Kerberos)" in lines["authentication"], out
    assert "set livy.auth (LIVY_AUTH) to kerberos" in lines["authentication"], out


def test_basic_against_a_kerberos_endpoint_names_the_wrong_scheme(doctor, kerberos_livy, basic_livy):
    code, lines, out = doctor({**basic_livy, "url": kerberos_livy["url"]})
    assert code == 1, out
    assert failed(lines) == ["authentication"], out
    assert "livy.auth is basic, which it does not accept; set livy.auth (LIVY_AUTH) to kerberos" in lines["authentication"], out
    assert basic_livy["password"] not in out
