"""TLS between the kernel and httpd: certificates are verified by default, `ca_bundle` (or
LIVY_CA_BUNDLE) trusts the suite's private CA, and each broken setup is refused with an error that
names the certificate problem and the setting that fixes it. All through `/basic/` with bob's right password, so TLS is the only
thing that differs; no test here starts a Spark session (eager start off, `%%sessions` or `1 + 1`).
"""
import re

import pytest

from httpd import BASIC_USER

NO_EAGER_START = {"eager_start": False}


@pytest.fixture(scope="module")
def broken_setups(basic_livy, auth_proxy, certs, auth_root) -> dict[str, dict]:
    """livy.* settings that must not get through, by the problem they have."""
    trusted = {k: v for k, v in basic_livy.items() if k != "ca_bundle"}
    return {
        "system-CAs-only": trusted,
        "unrelated-CA": {**trusted, "ca_bundle": str(certs.stranger_ca_pem)},
        "host-not-in-certificate": {**basic_livy, "url": auth_proxy.url("basic", host="127.0.0.1")},
        "missing-bundle-file": {**trusted, "ca_bundle": str(auth_root / "no-such-ca.pem")},
    }


# What the error must say about each broken setup (first line: ename and evalue).
CERTIFICATE_PROBLEM = {
    "system-CAs-only": r"certificate.*(local issuer|issuer|not trusted|unknown ca)",
    "unrelated-CA": r"certificate.*(local issuer|issuer|not trusted|unknown ca)",
    "host-not-in-certificate": r"(subject name|host ?name).*'?127\.0\.0\.1",
    "missing-bundle-file": r"no-such-ca\.pem",
}


@pytest.fixture(scope="module")
def refused_cells(first_cell, broken_setups) -> dict:
    return {name: first_cell(livy=livy, session=NO_EAGER_START) for name, livy in broken_setups.items()}


# The setting that fixes each broken setup, which the error's advice must name.
FIX = {
    "system-CAs-only": r"ca_bundle",
    "unrelated-CA": r"ca_bundle",
    "host-not-in-certificate": r"livy\.url",
    "missing-bundle-file": r"ca_bundle",
}


@pytest.mark.parametrize("setup", list(CERTIFICATE_PROBLEM))
def test_broken_tls_is_refused_naming_the_problem_and_the_fix(setup, refused_cells):
    cell = refused_cells[setup]
    assert not cell.ok, f"the kernel reached Livy with {setup}"
    assert cell.new_sessions == set()
    assert cell.httpd_requests == [], "a request got through the TLS handshake"
    first_line = f"{cell.ename}: {cell.reply['evalue']}"
    assert re.search(CERTIFICATE_PROBLEM[setup], first_line, re.I), cell.error_text
    assert re.search(FIX[setup], cell.error_text), cell.error_text
    # The server is up and running the cell again changes nothing: advice for an outage misleads.
    assert not re.search(r"server running|once Livy answers", cell.error_text, re.I), cell.error_text


@pytest.mark.parametrize("trust", ["config-ca_bundle", "env-LIVY_CA_BUNDLE", "verify_tls-false"])
def test_trusting_the_private_ca_gets_through(trust, first_cell, basic_livy, certs):
    untrusted = {k: v for k, v in basic_livy.items() if k != "ca_bundle"}
    livy, env = {
        "config-ca_bundle": (basic_livy, {}),
        "env-LIVY_CA_BUNDLE": (untrusted, {"LIVY_CA_BUNDLE": str(certs.ca_pem)}),
        "verify_tls-false": ({**untrusted, "verify_tls": False}, {}),
    }[trust]
    cell = first_cell("%%sessions", livy=livy, session=NO_EAGER_START, env=env)
    assert cell.ok, cell.describe()
    assert cell.httpd_requests == [f"{BASIC_USER} GET /basic/sessions 200"]
