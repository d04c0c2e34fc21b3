"""HTTP Basic through httpd's `/basic/` over TLS: the right password runs a cell on Spark (in a
session whose proxyUser the config sets), a wrong one is refused before any session with an error
that names authentication and never shows the password.
"""
import re

import pytest

from httpd import BASIC_USER

# A configured proxyUser other than the authenticated user: "unless configured otherwise".
CONFIGURED_PROXY_USER = "carol"
WRONG_PASSWORD = "not-bobs-password"


@pytest.fixture(scope="module")
def bob_cell(first_cell, basic_livy):
    return first_cell("spark.range(3).count()", livy=basic_livy, session={"proxyUser": CONFIGURED_PROXY_USER})


def test_right_password_runs_a_cell_on_spark(bob_cell):
    assert bob_cell.ok, bob_cell.describe()
    assert bob_cell.stdout.strip() == "3"
    assert f"{BASIC_USER} POST /basic/sessions 201" in bob_cell.httpd_requests


def test_configured_proxy_user_reaches_livy(bob_cell, livy):
    assert bob_cell.ok, bob_cell.describe()
    session = livy.get(f"/sessions/{bob_cell.session_id}").json()
    assert session["proxyUser"] == CONFIGURED_PROXY_USER


@pytest.fixture(scope="module")
def wrong_password_cell(first_cell, basic_livy):
    return first_cell(livy={**basic_livy, "password": WRONG_PASSWORD})


def test_wrong_password_is_refused_naming_authentication(wrong_password_cell, auth_proxy):
    cell = wrong_password_cell
    assert not cell.ok, "a wrong password ran a cell"
    assert cell.new_sessions == set()
    assert f"{BASIC_USER} POST /basic/sessions 401" in cell.httpd_requests
    assert re.search(r"\b401\b", cell.reply["evalue"]), cell.error_text
    assert re.search(r"authenticat", cell.error_text, re.I), cell.error_text
    for secret in (WRONG_PASSWORD, auth_proxy.basic_password):
        assert secret not in cell.error_text, "the error shows a password"


def test_wrong_password_advice_fits_basic_auth(wrong_password_cell):
    text = wrong_password_cell.error_text
    assert BASIC_USER in text and "livy.password" in text, text
    assert "Kerberos" not in text, text
