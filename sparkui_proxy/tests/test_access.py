"""Only the owner, only live registered sessions, only the registered driver: 403/404 cases and
SSRF attempts, each checked against canary servers that count every request reaching them."""
from __future__ import annotations

import os
import time
import urllib.parse

import pytest
import requests

from kernel_records import dead_pid, write_record
from names import OTHER, OWNER


@pytest.fixture
def registered(runtime_dir, canaries):
    """A canary registered as a live, ready session of `user` (driver host: loopback)."""
    made = []

    def register(user=OWNER, host="127.0.0.1", **overrides):
        canary = canaries(host)
        record = dict(user=user, port=canary.port, pid=os.getpid(), livy_url=None, session_id=7,
                      driver_host=host)
        record.update(overrides)
        made.append(write_record(runtime_dir, **record))
        return canary

    yield register
    for path in made:
        path.unlink(missing_ok=True)


def test_positive_control_owner_reaches_registered_driver(jupyter, registered):
    """The canaries do count: the owner's request is forwarded (prefix stripped, query kept,
    nothing of Jupyter's authentication passed on)."""
    canary = registered()
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/job/?id=3&token={jupyter.token}",
                           headers={"Cookie": "username-x=secret"})
    assert response.status_code == 200, response.text
    assert response.text == f"canary {canary.port} /jobs/job/?id=3"
    [(method, path, headers)] = canary.hits
    lowered = {k.lower(): v for k, v in headers.items()}
    assert method == "GET" and "authorization" not in lowered and "cookie" not in lowered
    assert lowered["host"] == f"127.0.0.1:{canary.port}"
    assert lowered["x-forwarded-context"] == f"/spark/{OWNER}/{canary.port}"


def test_only_jupyters_own_pages_may_frame_the_ui(jupyter, registered):
    """`%spark_ui` shows the UI in an iframe of the notebook: same origin only, even when the
    driver would let any site frame it."""
    canary = registered()
    for path in ("/jobs/", "/frame-anywhere"):
        response = jupyter.get(f"/spark/{OWNER}/{canary.port}{path}?token={jupyter.token}")
        assert response.status_code == 200, response.text
        assert response.headers.get("X-Frame-Options") == "SAMEORIGIN", (path, response.headers)
        policies = [p.strip() for p in response.headers.get("Content-Security-Policy", "").split(",")]
        assert any("frame-ancestors 'self'" in p for p in policies), (path, response.headers)


def test_body_is_streamed_not_buffered(jupyter, registered):
    canary = registered()
    started = time.monotonic()
    response = requests.get(f"{jupyter.url}/spark/{OWNER}/{canary.port}/stream", headers=jupyter.auth,
                            stream=True, timeout=30)
    try:
        assert response.status_code == 200
        first = response.raw.read(6)  # arrives while the driver still holds back the rest
        assert first == b"first\n" and time.monotonic() - started < 10
    finally:
        canary.release.set()
    assert response.raw.read() == b"second\n"


def test_no_token_is_403(jupyter, registered):
    canary = registered()
    for method in ("GET", "HEAD", "POST"):
        response = requests.request(method, f"{jupyter.url}/spark/{OWNER}/{canary.port}/jobs/",
                                    allow_redirects=False, timeout=30)
        assert response.status_code == 403, (method, response.status_code)
    wrong = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/", token=False,
                        headers={"Authorization": "token not-the-token"})
    assert wrong.status_code == 403
    page = requests.get(f"{jupyter.url}/spark/{OWNER}/{canary.port}/jobs/", timeout=30)
    assert "not signed in" in page.text and "/login?next=" in page.text
    assert canary.hits == []


def test_another_users_path_is_403(jupyter, registered):
    canary = registered(user=OTHER)
    response = jupyter.get(f"/spark/{OTHER}/{canary.port}/jobs/")
    assert response.status_code == 403 and "another user" in response.text
    assert canary.hits == []


def test_port_of_another_users_session_is_404(jupyter, registered):
    canary = registered(user=OTHER)
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/")
    assert response.status_code == 404
    assert canary.hits == []


def test_port_without_registered_session_is_404(jupyter, canaries):
    canary = canaries()  # something listens there, but no kernel registered it
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/")
    assert response.status_code == 404 and "No live Spark session" in response.text
    assert canary.hits == []


def test_session_whose_kernel_is_gone_is_404(jupyter, registered):
    canary = registered(pid=dead_pid())  # a kernel killed with SIGKILL left its record behind
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/")
    assert response.status_code == 404 and "ended" in response.text
    assert canary.hits == []


def test_session_that_livy_reports_ended_is_404(jupyter, registered, livy):
    """The kernel is alive but its Livy session was deleted behind its back."""
    session_id = livy.create_session({"kind": "pyspark"})["id"]
    assert livy.delete(f"/sessions/{session_id}").status_code == 200
    canary = registered(livy_url=livy.url, session_id=session_id)
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/")
    assert response.status_code == 404 and f"Livy session {session_id} has ended" in response.text
    assert canary.hits == []


def test_record_not_ready_is_503_and_malformed_is_404(jupyter, registered, runtime_dir):
    starting = registered(session_id=None, driver_host=None)
    response = jupyter.get(f"/spark/{OWNER}/{starting.port}/jobs/")
    assert response.status_code == 503 and response.headers.get("Retry-After")
    broken = registered()
    (runtime_dir / f"{broken.port}.json").write_text("{not json")
    assert jupyter.get(f"/spark/{OWNER}/{broken.port}/jobs/").status_code == 404
    mismatched = registered()
    write_record(runtime_dir, user=OWNER, port=mismatched.port + 1, pid=os.getpid(), session_id=1,
                 driver_host="127.0.0.1").rename(runtime_dir / f"{mismatched.port}.json")
    assert jupyter.get(f"/spark/{OWNER}/{mismatched.port}/jobs/").status_code == 404
    assert starting.hits == broken.hits == mismatched.hits == []


def test_driver_host_outside_allowlist_is_403(jupyter, registered):
    canary = registered(host="127.0.0.2")  # loopback, yet not an allowed driver host
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/")
    assert response.status_code == 403 and "allowed_driver_hosts" in response.text
    assert canary.hits == []


def test_driver_gone_is_clear_502(jupyter, registered):
    canary = registered()
    canary.close()  # the driver died; its port is closed
    response = jupyter.get(f"/spark/{OWNER}/{canary.port}/jobs/")
    assert response.status_code == 502
    assert "Spark UI not reachable" in response.text and str(canary.port) in response.text


SSRF_PATHS = [
    "/spark/{owner}/{a}/../{c}/",
    "/spark/{owner}/{a}/../../{owner}/{c}/",
    "/spark/{owner}/{a}/%2e%2e/{c}/",
    "/spark/{owner}/{a}/.%2E/{c}/",
    "/spark/{owner}/{a}/..%2f{c}/",
    "/spark/{owner}/{a}%2F..%2F{c}/",
    "/spark/{owner}/{a}/%252e%252e/{c}/",
    "/spark/{owner}/{a}/..\\{c}/",
    "/spark/{owner}/{a}//127.0.0.1:{c}/",
    "/spark/{owner}/{a}@127.0.0.1:{c}/",
    "/spark/{owner}/127.0.0.1:{c}/",
    "/spark/{owner}/{c}.0/",
    "/spark/{owner}/0{c}/",
    "/spark/{owner}/+{c}/",
    "/spark/{owner}/{c}%00/",
    "/spark/{owner}/99999/",
    "/spark/{owner}%2F{a}/{c}/",
    "/spark/..%2F{owner}/{c}/",
    "/spark/{owner}/{a}/%0d%0aHost:%20127.0.0.1:{c}/",
]


@pytest.mark.parametrize("template", SSRF_PATHS)
def test_ssrf_paths_never_reach_another_target(jupyter, registered, canaries, template):
    a = registered()   # the owner's registered driver
    c = canaries()     # a target nobody registered
    path = template.format(owner=OWNER, a=a.port, c=c.port)
    status, headers, body = jupyter.raw("GET", path)
    assert status in (403, 404), (path, status, body[:300])
    assert c.hits == [], path
    assert a.hits == [], path  # refused outright rather than forwarded somewhere odd


def test_ssrf_absolute_url_and_host_header_tricks(jupyter, registered, canaries):
    a = registered()
    c = canaries()
    # Absolute-form request-target naming the other port.
    status, _, _ = jupyter.raw("GET", f"http://127.0.0.1:{c.port}/")
    assert status in (403, 404)
    status, _, _ = jupyter.raw("GET", f"http://127.0.0.1:{c.port}/spark/{OWNER}/{a.port}/jobs/")
    assert status in (200, 403, 404)
    # A Host header naming the other port: the target still comes from the record only.
    status, _, body = jupyter.raw("GET", f"/spark/{OWNER}/{a.port}/jobs/", headers={"Host": f"127.0.0.1:{c.port}"})
    assert status in (200, 403)
    if status == 200:
        assert body.endswith(f"canary {a.port} /jobs/".encode())
    status, _, _ = jupyter.raw("GET", f"/spark/{OWNER}/{a.port}/jobs/",
                               headers={"Host": f"evil.example:{c.port}", "X-Forwarded-Host": f"127.0.0.1:{c.port}"})
    assert status in (200, 403)
    # A registered driver's redirect to some other host is not followed by the proxy.
    assert c.hits == []


def test_query_string_cannot_pick_the_target(jupyter, registered, canaries):
    a = registered()
    c = canaries()
    url = f"http://127.0.0.1:{c.port}/"
    response = jupyter.get(f"/spark/{OWNER}/{a.port}/jobs/?url={urllib.parse.quote(url)}&host=127.0.0.1&port={c.port}")
    assert response.status_code == 200 and c.hits == []
    assert len(a.hits) == 1
