"""Fixtures shared by the devlivy suite.

Spark sessions are expensive (6-13 s each, ~0.5 GB), so one server and one
shared session serve most tests; modules that need special sessions create
them as module fixtures and delete them when done.
"""

import pytest

from devlivy.testing import LivyServer


@pytest.fixture(scope="session")
def server():
    livy = LivyServer()
    yield livy
    livy.stop()


@pytest.fixture(scope="session")
def created_shared_session(server):
    """The response to POST /sessions with an empty body (docs/livy-rest.md §11, point 1) and
    the session it created, ready for statements of any kind."""
    response = server.post("/sessions", {})
    assert response.status_code == 201, response.text
    session_id = response.json()["id"]
    server.wait_state(session_id)
    yield response, session_id
    server.delete(f"/sessions/{session_id}")


@pytest.fixture(scope="session")
def shared(created_shared_session):
    return created_shared_session[1]


@pytest.fixture(scope="session")
def golden():
    import json
    from pathlib import Path

    folder = Path(__file__).parent / "golden"
    return lambda name: json.loads((folder / name).read_text())
