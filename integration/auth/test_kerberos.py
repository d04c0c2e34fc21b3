"""Kerberos (SPNEGO) through httpd's `/gss/` over TLS: the kernel authenticates as the user of its
ticket cache (or of a keytab), and a missing or expired ticket is explained before any session
starts. One test here starts a Spark session; the others stop at httpd's 401 or ask only for the
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


@pytest.mark.xfail(strict=True, reason=(
    "the session's proxyUser is null: the kernel sends no proxyUser when none is configured, and "
    "devlivy takes it only from the request body (it ignores httpd's X-Remote-User), where a real "
    "Livy with impersonation uses the authenticated user (proxyUser.orElse(remoteUser))"))
def test_session_proxy_user_is_the_kerberos_user(alice_cell, livy):
    assert alice_cell.ok, alice_cell.describe()
    session = livy.get(f"/sessions/{alice_cell.session_id}").json()
    assert session["proxyUser"] == USER


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


@pytest.mark.xfail(strict=True, reason=(
    "today the error is 'LivyHTTPError: Livy answered HTTP 401 for https://localhost:PORT/gss/sessions: "
    "401 Unauthorized' with 'Livy refused the request: check the authentication settings (livy.auth, "
    "a valid Kerberos ticket).': it does not say that there is no ticket cache or that kinit is the fix"))
def test_without_a_ticket_the_error_says_to_run_kinit(no_ticket_cell):
    assert re.search(r"no (Kerberos )?ticket|credentials cache .*(not found|missing)", no_ticket_cell.error_text, re.I), \
        no_ticket_cell.error_text
    assert re.search(r"\bkinit\b", no_ticket_cell.error_text), no_ticket_cell.error_text


@pytest.mark.xfail(strict=True, reason=(
    "today an expired ticket gives the same text as no ticket ('Livy answered HTTP 401 … 401 "
    "Unauthorized' / 'check the authentication settings (livy.auth, a valid Kerberos ticket)'): it does "
    "not say the ticket expired, whose it is (alice@LIVY.TEST) or to run `kinit alice@LIVY.TEST`"))
def test_an_expired_ticket_names_the_principal_and_kinit(expired_ticket_cell, realm):
    text = expired_ticket_cell.error_text
    assert re.search(r"expired", text, re.I), text
    assert realm.user_principal in text, text
    assert re.search(r"\bkinit\b", text), text


# ----- keytabs ---------------------------------------------------------------------------------------

def test_client_keytab_from_the_environment_needs_no_kinit(first_cell, realm, ccache, kerberos_livy):
    """MIT's own KRB5_CLIENT_KTNAME: the library gets alice's ticket from her keytab by itself.
    This works without any kernel support; it is the workaround until livy.keytab exists."""
    env = {**realm.env(ccache), "KRB5_CLIENT_KTNAME": str(realm.user_keytab)}
    cell = first_cell("%%sessions", livy=kerberos_livy, session=NO_EAGER_START, env=env)
    assert cell.ok, cell.describe()
    assert f"{USER} GET /gss/sessions 200" in cell.httpd_requests


@pytest.mark.xfail(strict=True, reason=(
    "the kernel has no keytab setting: livy.keytab and livy.principal are silently ignored (unknown "
    "livy.* keys raise no error), no ticket is obtained, and the cell fails with 'LivyHTTPError: Livy "
    "answered HTTP 401 … 401 Unauthorized'"))
def test_keytab_named_in_the_config_needs_no_kinit(first_cell, realm, ccache, kerberos_livy):
    livy = {**kerberos_livy, "keytab": str(realm.user_keytab), "principal": realm.user_principal}
    cell = first_cell("%%sessions", livy=livy, session=NO_EAGER_START, env=realm.env(ccache))
    assert cell.ok, cell.describe()
    assert f"{USER} GET /gss/sessions 200" in cell.httpd_requests
