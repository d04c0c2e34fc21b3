"""Two hub users, alice and bob, each with a notebook on LivyKernel through a real JupyterHub, as a
browser would reach it: everything goes through the hub's public proxy (configurable-http-proxy).

The tests run in file order and share one hub, one dev Livy server and the two users' sessions
(conftest.py): the read-only checks first, then alice's server is stopped through the hub API and
bob's by the idle culler. The suite's teardown checks that no process is left.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from cell_output import stdout
from hub_stack import marked_processes

SIGN_IN = re.compile(r'<a href="([^"]+)">Sign in</a>')


def livy_sessions(stack) -> dict[int, dict]:
    return {s["id"]: s for s in stack.livy.get("/sessions").json()["sessions"]}


def wait_livy_session_gone(stack, session_id, timeout: float = 30) -> float:
    """Seconds until GET /sessions/{id} answers 404 (the kernel deleted the session)."""
    start = time.monotonic()
    while stack.livy.get(f"/sessions/{session_id}").status_code != 404:
        if time.monotonic() - start > timeout:
            raise AssertionError(f"Livy session {session_id} still exists after {timeout} s: "
                                 f"{stack.livy.get(f'/sessions/{session_id}/state').text}")
        time.sleep(0.2)
    return time.monotonic() - start


def pid_alive(pid: int) -> bool:
    """Running (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_pid_gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not pid_alive(pid)


def is_jobs_page(response: requests.Response, user: str) -> bool:
    return (response.status_code == 200 and "Spark Jobs" in response.text
            and re.search(r"User:</strong>\s*" + user + r"\s*<", response.text) is not None)


# ----- sessions ------------------------------------------------------------------------------------

def test_each_user_runs_a_cell_in_their_own_livy_session_as_proxy_user(users, stack):
    sessions = livy_sessions(stack)
    assert len({u.session_id for u in users.values()}) == 2
    # Exactly one session per user: nothing else (a second kernel, a retried start) made one.
    assert set(sessions) == {u.session_id for u in users.values()}, sessions
    for name, user in users.items():
        assert user.first_cell.reply["status"] == "ok", user.first_cell.reply
        # Spark runs as the hub user (devlivy sets SPARK_USER from proxyUser, as spark-submit
        # --proxy-user would), and the shared kernel config (LIVY_KERNEL_CONFIG) reached the session.
        assert stdout(user.first_cell.messages) == f"{name} 3 512m\n"
        session = sessions[user.session_id]
        assert session["proxyUser"] == name, session
        assert session["driverMemory"] == "512m", session


def test_notebook_cannot_switch_to_another_proxy_user(users, stack):
    """The proxyUser the hub set (LIVY_PROXY_USER) is locked: %%configure asking for the other user
    is an error and starts no session. (A guard against mistakes, not an access control: see
    docs/deploy.md on making Livy enforce who may impersonate whom.)"""
    alice = users["alice"]
    before = livy_sessions(stack)
    cell = alice.socket.execute('%%configure -f\n{"proxyUser": "bob"}')
    assert cell.reply["status"] == "error" and cell.reply["ename"] == "ProxyUserLocked", cell.reply
    assert livy_sessions(stack).keys() == before.keys()
    again = alice.socket.execute("print(spark.sparkContext.sparkUser())")
    assert again.reply["status"] == "ok" and stdout(again.messages) == "alice\n"


def test_spark_ui_link_is_the_users_own_under_their_server(users, stack):
    ports = {u.port for u in users.values()}
    assert len(ports) == 2 and ports <= set(stack.ui_ports), (ports, stack.ui_ports)
    sessions = livy_sessions(stack)
    for name, user in users.items():
        # JUPYTERHUB_SERVICE_PREFIX (/user/{name}/) is the link's base, JUPYTERHUB_USER its user.
        assert user.link == f"/user/{name}/spark/{name}/{user.port}/"
        assert sessions[user.session_id]["conf"]["spark.ui.proxyBase"] == user.link.rstrip("/")
        # The lease the user's server reads, in the directory all servers share.
        record = json.loads((stack.runtime_dir / f"{user.port}.json").read_text())
        assert (record["user"], record["port"], record["session_id"]) == (name, user.port, user.session_id)
        assert pid_alive(record["pid"])


# ----- the Spark UI through the hub ----------------------------------------------------------------

def test_owner_opens_their_spark_ui_with_a_token(users, stack):
    for name, user in users.items():
        response = requests.get(stack.hub.url + user.link, headers={"Authorization": f"token {user.token}"}, timeout=30)
        assert is_jobs_page(response, name), (response.status_code, response.url, response.text[:500])
        # Spark's own redirect (/ -> /jobs/) stays under the link, and so do the page's assets.
        assert response.url == stack.hub.url + user.link + "jobs/"
        asset = re.search(r'href="(/user/[^"]+/static/[^"]+\.css)"', response.text).group(1)
        assert asset.startswith(user.link)
        assert requests.get(stack.hub.url + asset, headers={"Authorization": f"token {user.token}"},
                            timeout=30).status_code == 200


def open_notebook(browser: requests.Session, hub_url: str, owner: str) -> requests.Response:
    """The browser opens `owner`'s notebook in JupyterLab (/user/{owner}/lab/tree/{owner}.ipynb), as
    a user does before clicking a Spark UI link in it: the server sends a browser without its cookie
    through the hub's OAuth."""
    return browser.get(f"{hub_url}/user/{owner}/lab/tree/{owner}.ipynb", timeout=30)


def test_owner_opens_their_spark_ui_in_a_browser(users, stack):
    """Signed in at /hub/login, the browser holds only the hub's cookie: the link is refused (403,
    the proxy never redirects). Once JupyterLab was opened on the user's server (the OAuth redirects
    through the hub set the server's own cookie), the link opens the Spark UI."""
    for name, user in users.items():
        browser = stack.hub.browser(name, stack.password)
        first = browser.get(stack.hub.url + user.link, allow_redirects=False, timeout=30)
        assert first.status_code == 403 and "not signed in to this Jupyter server" in first.text
        page = open_notebook(browser, stack.hub.url, name)
        hops = [urlsplit(r.url).path for r in page.history]
        assert "/hub/api/oauth2/authorize" in hops and f"/user/{name}/oauth_callback" in hops, hops
        assert page.status_code == 200 and "jupyter-config-data" in page.text, (page.status_code, page.url)
        opened = browser.get(stack.hub.url + user.link, timeout=30)
        assert is_jobs_page(opened, name), (opened.status_code, opened.url)
        assert len(opened.history) == 1  # only Spark's own / -> /jobs/


def test_sign_in_link_of_the_refusal_page_leads_back_to_the_spark_ui(users, stack):
    """The 403 page's "Sign in" is the hub's OAuth authorize URL (the handler's get_login_url()),
    not {base_url}login, which a single-user server behind the hub does not serve; after it the
    browser is back at the Spark UI."""
    user = users["alice"]
    browser = stack.hub.browser("alice", stack.password)
    first = browser.get(stack.hub.url + user.link, timeout=30)
    sign_in = SIGN_IN.search(first.text).group(1).replace("&amp;", "&")
    followed = browser.get(urljoin(stack.hub.url, sign_in), timeout=30)
    assert is_jobs_page(followed, "alice"), (followed.status_code, followed.url)


def test_other_user_is_refused(users, stack):
    hub = stack.hub
    for owner, other in (("alice", "bob"), ("bob", "alice")):
        link, intruder = users[owner].link, users[other]
        # The other user's token: the owner's server does not accept it (no access scope for this
        # server), so the request is not authenticated there and the proxy answers 403.
        by_token = requests.get(hub.url + link, headers={"Authorization": f"token {intruder.token}"},
                                allow_redirects=False, timeout=30)
        assert by_token.status_code == 403 and "Spark Jobs" not in by_token.text

        # The other user's browser, signed in to the hub and to their own server: the link is 403,
        # and opening a page of the owner's server is refused by the hub's OAuth (403), so no
        # cookie of the owner's server is ever given to them; the link stays 403.
        browser = hub.browser(other, stack.password)
        assert open_notebook(browser, hub.url, other).status_code == 200
        assert is_jobs_page(browser.get(hub.url + users[other].link, timeout=30), other)
        first = browser.get(hub.url + link, allow_redirects=False, timeout=30)
        assert first.status_code == 403 and "Spark Jobs" not in first.text
        refused = open_notebook(browser, hub.url, owner)
        assert refused.status_code == 403 and urlsplit(refused.url).path == "/hub/api/oauth2/authorize", \
            (refused.status_code, refused.url)
        again = browser.get(hub.url + link, allow_redirects=False, timeout=30)
        assert again.status_code == 403 and "Spark Jobs" not in again.text

        # On their own server, signed in as themselves: the owner's {user} in the path is 403; their
        # own name with the owner's port is 404 (the lease names the owner). Nothing is forwarded.
        own = f"{hub.url}/user/{other}/spark"
        headers = {"Authorization": f"token {intruder.token}"}
        port = users[owner].port
        as_owner = requests.get(f"{own}/{owner}/{port}/", headers=headers, allow_redirects=False, timeout=30)
        assert as_owner.status_code == 403 and "belongs to another user" in as_owner.text
        as_self = requests.get(f"{own}/{other}/{port}/", headers=headers, allow_redirects=False, timeout=30)
        assert as_self.status_code == 404 and "Spark Jobs" not in as_self.text


def test_anonymous_request_is_refused(users, stack):
    """No cookie, no token: 403 from the proxy extension (not a redirect to a login page), for the
    UI's pages and its REST API alike."""
    for user in users.values():
        for path in (user.link, user.link + "jobs/", user.link + "api/v1/applications"):
            response = requests.get(stack.hub.url + path, allow_redirects=False, timeout=30)
            assert response.status_code == 403 and "Location" not in response.headers, (path, response.status_code)
            assert "Spark Jobs" not in response.text and "local-" not in response.text


# ----- processes -----------------------------------------------------------------------------------

def test_every_process_of_the_suite_is_seen(users, stack):
    """What the teardown's leftover check looks for is really there while the suite runs: the hub,
    its proxy, each user's server and kernel, the dev server and each session's driver JVM."""
    commands = [line.split(None, 1)[1] for line in marked_processes(stack.mark)]

    def count(pattern: str) -> int:
        return sum(1 for c in commands if re.search(pattern, c))

    assert count(r"bin/jupyterhub -f") == 1, commands
    assert count(r"configurable-http-proxy") == 1, commands
    assert count(r"jupyterhub-singleuser") == 2, commands
    assert count(r"livy-kernel run") == 2, commands
    assert count(r"-m devlivy --host") == 1, commands
    assert count(r"^\S*java ") == 2, commands


# ----- stopping ------------------------------------------------------------------------------------

def test_stopping_a_server_deletes_its_livy_session(users, stack):
    """DELETE /hub/api/users/alice/server (alice's own token): the hub stops the server, which shuts
    its kernel down, and the kernel deletes its Livy session and gives its Spark UI port back."""
    alice, bob = users["alice"], users["bob"]
    kernel_pid = json.loads((stack.runtime_dir / f"{alice.port}.json").read_text())["pid"]
    start = time.monotonic()
    stack.hub.stop_server("alice", alice.token)
    stack.hub.wait_server("alice", ready=False, timeout=60)
    wait_livy_session_gone(stack, alice.session_id)
    print(f"alice's server stopped and her Livy session deleted in {time.monotonic() - start:.1f} s")
    assert wait_pid_gone(kernel_pid), f"alice's kernel (pid {kernel_pid}) still runs"
    assert not (stack.runtime_dir / f"{alice.port}.json").exists()
    # Her link is now the hub's answer for a stopped server, not a Spark UI.
    after = requests.get(stack.hub.url + alice.link, headers={"Authorization": f"token {alice.token}"}, timeout=30)
    print(f"alice's link after the stop: {after.status_code} at {urlsplit(after.url).path}")
    assert after.status_code >= 400 and "Spark Jobs" not in after.text, after.status_code
    # bob is untouched.
    assert livy_sessions(stack)[bob.session_id]["state"] == "idle"
    assert is_jobs_page(requests.get(stack.hub.url + bob.link, headers={"Authorization": f"token {bob.token}"},
                                     timeout=30), "bob")


def test_idle_culler_stops_an_idle_server_and_deletes_its_livy_session(users, stack):
    """jupyterhub-idle-culler as an (externally run) hub service with a 10 s idle timeout culls bob's
    server, which has been idle since its first cell; his Livy session goes with it."""
    bob = users["bob"]
    log_path = stack.root / "idle-culler.log"
    env = dict(os.environ, JUPYTERHUB_API_TOKEN=stack.culler_token, LKHUB_MARK=stack.mark)
    with open(log_path, "w") as log:
        culler = subprocess.Popen([sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=10", "--cull-every=2",
                                   f"--url={stack.hub_api_url}"], cwd=stack.root, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        start = time.monotonic()
        stack.hub.wait_server("bob", ready=False, timeout=90)
        wait_livy_session_gone(stack, bob.session_id)
        print(f"bob's server culled and his Livy session deleted {time.monotonic() - start:.1f} s after the culler started")
    finally:
        culler.send_signal(signal.SIGTERM)
        try:
            culler.wait(10)
        except subprocess.TimeoutExpired:
            culler.kill()
            culler.wait()
    assert re.search(r"Culling server bob\b", log_path.read_text()), log_path.read_text()[-2000:]
    assert livy_sessions(stack) == {}
    assert not any((stack.runtime_dir / f"{u.port}.json").exists() for u in users.values())
