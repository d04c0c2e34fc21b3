"""Who `{user}` is: under JupyterHub the hub user (checked with a server whose identity provider
stands in for the hub's, behind a JupyterHub-style base URL); for a plain server, its owner."""
from __future__ import annotations

import os
import pathlib
import socket
import time

import pytest

from jupyter_process import JupyterServer
from kernel_records import write_record
from sparkui_proxy import identity

TESTS = pathlib.Path(__file__).resolve().parent
BASE = "/user/carol/"


@pytest.fixture(scope="module")
def hub_server(runtime_dir, tmp_path_factory):
    server = JupyterServer(
        runtime_dir, tmp_path_factory.mktemp("hub-home"),
        extra_env={"JUPYTERHUB_USER": "carol", "PYTHONPATH": str(TESTS),
                   "LIVY_KERNEL_USER": "ignored-under-hub"},
        extra_args=("--ServerApp.identity_provider_class=hub_identity.HubLikeIdentityProvider",
                    f"--ServerApp.base_url={BASE}", "--ServerApp.allow_unauthenticated_access=False",
                    # A remote driver host made allowed by configuration; short timeouts.
                    "--SparkUIProxy.allowed_driver_hosts=localhost", "--SparkUIProxy.allowed_driver_hosts=127.0.0.1",
                    "--SparkUIProxy.allowed_driver_hosts=127.0.0.2",
                    "--SparkUIProxy.request_timeout=2", "--SparkUIProxy.connect_timeout=2"),
        ready_path=BASE + "api/status", auth={"Authorization": "token carol-token"})
    yield server
    server.stop()


def test_hub_user_opens_own_ui_under_base_url(hub_server, runtime_dir, canaries):
    canary = canaries()
    record = write_record(runtime_dir, user="carol", port=canary.port, pid=os.getpid(), session_id=3,
                          driver_host="127.0.0.1")
    try:
        carol = {"Authorization": "token carol-token"}
        dave = {"Authorization": "token dave-token"}
        path = f"{BASE}spark/carol/{canary.port}/"
        response = hub_server.get(path + "stages/?x=1", token=False, headers=carol)
        assert response.status_code == 200 and response.text == f"canary {canary.port} /stages/?x=1"
        redirect = hub_server.get(path + "redirect-me", token=False, headers=carol)
        assert redirect.status_code == 302
        assert redirect.headers["Location"] == f"{path}jobs/?from=redirect"
        assert canary.hits[0][2].get("X-Forwarded-Context") == path.rstrip("/")
        hits = len(canary.hits)
        # Another hub user the server is shared with: their own name, so not carol's UI.
        assert hub_server.get(path + "stages/", token=False, headers=dave).status_code == 403
        assert hub_server.get(f"{BASE}spark/dave/{canary.port}/", token=False, headers=dave).status_code == 404
        assert hub_server.get(path, token=False).status_code == 403
        # Without the base URL the path is not the server's at all.
        assert hub_server.get(f"/spark/carol/{canary.port}/", token=False, headers=carol).status_code == 404
        assert len(canary.hits) == hits
    finally:
        record.unlink()


def test_plain_server_owner_follows_the_kernel_rules(tmp_path):
    config = tmp_path / "config.json"
    config.write_text('{"spark_ui": {"user": "from-config"}}')
    env = {"USER": "os-user", "LOGNAME": "log-user"}
    assert identity.server_owner(None, env) == "os-user"
    assert identity.server_owner(None, {**env, "JUPYTERHUB_USER": "hubby"}) == "hubby"
    assert identity.server_owner(None, {**env, "LIVY_KERNEL_CONFIG": str(config)}) == "from-config"
    assert identity.server_owner(None, {**env, "LIVY_KERNEL_CONFIG": str(config), "LIVY_KERNEL_USER": "env"}) == "env"
    assert identity.server_owner("configured", {**env, "LIVY_KERNEL_USER": "env"}) == "configured"
    assert identity.server_owner(None, {"HOME": str(tmp_path)})  # the password database
    assert identity.under_jupyterhub({"JUPYTERHUB_API_TOKEN": "x"}) and not identity.under_jupyterhub({})


CAROL = {"Authorization": "token carol-token"}


def test_configured_driver_host_is_allowed(hub_server, runtime_dir, canaries):
    canary = canaries("127.0.0.2")
    record = write_record(runtime_dir, user="carol", port=canary.port, pid=os.getpid(), session_id=4,
                          driver_host="127.0.0.2")
    try:
        response = hub_server.get(f"{BASE}spark/carol/{canary.port}/jobs/", token=False, headers=CAROL)
        assert response.status_code == 200 and len(canary.hits) == 1
        assert canary.hits[0][2]["Host"] == f"127.0.0.2:{canary.port}"
    finally:
        record.unlink()


def test_driver_that_never_answers_is_502_after_the_timeout(hub_server, runtime_dir):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        record = write_record(runtime_dir, user="carol", port=port, pid=os.getpid(), session_id=5,
                              driver_host="127.0.0.1")
        try:
            started = time.monotonic()
            response = hub_server.get(f"{BASE}spark/carol/{port}/jobs/", token=False, headers=CAROL)
            elapsed = time.monotonic() - started
        finally:
            record.unlink()
    assert response.status_code == 502 and "did not answer" in response.text, response.text
    assert 1.5 < elapsed < 10, elapsed
