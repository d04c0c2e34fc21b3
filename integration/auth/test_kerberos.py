"""Kerberos (SPNEGO) through httpd's `/gss/` over TLS: the kernel authenticates as the user of its
ticket cache (or of a keytab), and a missing, expired or refused ticket is explained before any
session starts. One test here starts a Spark session; the others stop at httpd's 401 or ask only for the
session list (`%%sessions`, eager start off), which needs no Spark.
"""
import re
import time

import pytest

from kdc import USER

# Kernels that must not start a Spark session: the first cell is the first request.
NO_EAGER_START = {"eager_start": False}


@pytest.fixture(scope="module")
def alice_cell(first_cell, realm, module_ccache, kerberos_livy):
    """The first cell of a kernel with alice's ticket cache (after kinit), run on Spark."""
    realm.kinit(module_ccache)
    return first_cell("spark.range(4).count()", livy=kerberos_livy, env=realm.env(module_ccache))


def test_ticket_cache_runs_a_cell_on_spark(alice_cell):
    assert alice_cell.ok, alice_cell.describe()
    assert alice_cell.stdout.strip() == "4"
    # httpd authenticated the session request as alice: SPNEGO happened, not an anonymous pass.
    assert f"{USER} POST /gss/sessions 201" in alice_cell.httpd_requests


def test_session_proxy_user_is_the_kerberos_user(alice_cell, livy):
    assert alice_cell.ok, alice_cell.describe()
    session = livy.get(f"/sessions/{alice_cell.session_id}").json()
    assert session["proxyUser"] == USER


def test_asking_to_run_as_another_user_is_refused_as_livy_refuses_it(first_cell, realm, module_ccache, kerberos_livy):
    """alice is no superuser: Livy's impersonation check answers 403, and the cell says who may not
    do what and whom to ask, with no session started."""
    realm.kinit(module_ccache)
    cell = first_cell(livy=kerberos_livy, session={"proxyUser": "carol"}, env=realm.env(module_ccache))
    assert not cell.ok and cell.new_sessions == set(), cell.describe()
    assert "HTTP 403" in cell.reply["evalue"] and "not allowed to impersonate 'carol'" in cell.reply["evalue"], cell.error_text
    assert "livy.superusers" in cell.error_text, cell.error_text


# ----- no ticket, an expired ticket ----------------------------------------------------------------

@pytest.fixture(scope="module")
def no_ticket_cell(first_cell, realm, module_ccache, kerberos_livy):
    """The first cell of a kernel whose ticket cache does not exist (the user never ran kinit)."""
    return first_cell(livy=kerberos_livy, env=realm.env(module_ccache.with_suffix(".none")))


@pytest.fixture(scope="module")
def expired_ticket_cell(first_cell, realm, module_ccache, kerberos_livy):
    """The first cell of a kernel whose only ticket expired (kinit -l 1s, then 2 s later)."""
    ccache = module_ccache.with_suffix(".expired")
    realm.kinit(ccache, lifetime="1s")
    time.sleep(2)
    return first_cell(livy=kerberos_livy, env=realm.env(ccache))


@pytest.mark.parametrize("case", ["no_ticket_cell", "expired_ticket_cell"])
def test_without_a_valid_ticket_livy_refuses_before_any_session(case, request):
    cell = request.getfixturevalue(case)
    assert not cell.ok, "a kernel without a valid ticket ran a cell"
    assert cell.new_sessions == set(), "a session was created without a valid ticket"
    assert re.search(r"\b401\b", cell.reply["evalue"]), cell.error_text
    assert re.search(r"authenticat", cell.error_text, re.I), cell.error_text
    assert "- POST /gss/sessions 401" in cell.httpd_requests  # anonymous, refused by httpd


def test_without_a_ticket_the_error_says_to_run_kinit(no_ticket_cell):
    text = no_ticket_cell.error_text
    assert re.search(r"no (Kerberos )?ticket", text, re.I), text
    assert re.search(r"\bkinit\b", text), text


def test_an_expired_ticket_names_the_principal_and_kinit(expired_ticket_cell, realm):
    text = expired_ticket_cell.error_text
    assert re.search(r"expired", text, re.I), text
    assert re.search(rf"\bkinit {re.escape(realm.user_principal)}", text), text


def test_a_ticket_for_another_host_name_is_refused_naming_livy_url(first_cell, realm, ccache, kerberos_livy, auth_proxy):
    """A valid ticket, but the URL names the host by its IP: libcurl asks for HTTP/127.0.0.1,
    which the realm does not have. (TLS verification is off only so the handshake gets that far.)"""
    realm.kinit(ccache)
    livy = {**kerberos_livy, "url": auth_proxy.url("gss", host="127.0.0.1"), "verify_tls": False}
    cell = first_cell(livy=livy, session=NO_EAGER_START, env=realm.env(ccache))
    assert not cell.ok and cell.new_sessions == set(), cell.describe()
    assert cell.httpd_requests == ["- POST /gss/sessions 401"]
    assert realm.user_principal in cell.error_text and "livy.url" in cell.error_text, cell.error_text


def test_no_auth_configured_against_kerberos_names_livy_auth(first_cell, kerberos_livy):
    cell = first_cell(livy={**kerberos_livy, "auth": "none"}, session=NO_EAGER_START)
    assert not cell.ok and cell.new_sessions == set(), cell.describe()
    assert cell.httpd_requests == ["- POST /gss/sessions 401"]
    assert re.search(r"livy\.auth", cell.error_text), cell.error_text


# ----- keytabs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["livy.keytab+principal", "livy.keytab", "LIVY_KEYTAB", "KRB5_CLIENT_KTNAME"])
def test_a_keytab_needs_no_kinit(source, first_cell, realm, ccache, kerberos_livy):
    """The ticket cache stays empty; the kernel (or, for KRB5_CLIENT_KTNAME, MIT's library by
    itself) gets alice's ticket from her keytab."""
    keytab = str(realm.user_keytab)
    livy, env = {
        "livy.keytab+principal": ({**kerberos_livy, "keytab": keytab, "principal": realm.user_principal}, {}),
        "livy.keytab": ({**kerberos_livy, "keytab": keytab}, {}),
        "LIVY_KEYTAB": (kerberos_livy, {"LIVY_KEYTAB": keytab}),
        "KRB5_CLIENT_KTNAME": (kerberos_livy, {"KRB5_CLIENT_KTNAME": keytab}),
    }[source]
    cell = first_cell("%%sessions", livy=livy, session=NO_EAGER_START, env={**realm.env(ccache), **env})
    assert cell.ok, cell.describe()
    assert cell.httpd_requests == [f"{USER} GET /gss/sessions 200"]
    if source != "KRB5_CLIENT_KTNAME":  # MIT's own variable writes the user's cache; the kernel must not
        assert not ccache.exists(), "the kernel put the keytab's ticket into the user's ticket cache"


def test_a_missing_keytab_file_is_named_as_missing(first_cell, realm, ccache, kerberos_livy, auth_root):
    missing = auth_root / "no-such.keytab"
    cell = first_cell(livy={**kerberos_livy, "keytab": str(missing)}, session=NO_EAGER_START, env=realm.env(ccache))
    assert not cell.ok and cell.new_sessions == set(), cell.describe()
    assert str(missing) in cell.error_text
    assert re.search(r"does not exist|no such file|cannot be read|not found", cell.error_text, re.I), cell.error_text
