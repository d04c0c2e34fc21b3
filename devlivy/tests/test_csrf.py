"""Checklist 21: with CSRF protection on (--csrf), POST and DELETE need an
X-Requested-By header (any value); GETs never do. No Spark is involved."""

import pytest

from devlivy.testing import LivyServer


@pytest.fixture(scope="module")
def csrf_server():
    livy = LivyServer("--csrf")
    yield livy
    livy.stop()


def test_21_post_and_delete_without_header_are_400(csrf_server):
    for response in (csrf_server.post("/sessions", {}), csrf_server.post("/sessions/7/statements", {"code": "1"}),
                     csrf_server.delete("/sessions/7")):
        assert response.status_code == 400
        assert "CSRF" in response.text


def test_21_with_header_requests_go_through(csrf_server):
    headers = {"X-Requested-By": "x"}
    assert csrf_server.post("/sessions/7/statements", {"code": "1"}, headers=headers).status_code == 404
    assert csrf_server.delete("/sessions/7", headers={"X-Requested-By": ""}).status_code == 404
    assert csrf_server.post("/sessions", {"foo": 1}, headers=headers).status_code == 400  # reaches validation


def test_21_gets_are_unaffected(csrf_server):
    assert csrf_server.get("/sessions").status_code == 200
    assert csrf_server.get("/sessions/7").status_code == 404


def test_without_the_flag_no_header_is_needed(server):
    assert server.delete("/sessions/4711").status_code == 404
