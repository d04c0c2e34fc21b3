"""Who `{user}` is: under JupyterHub the hub user (checked with a server whose identity provider
stands in for the hub's, behind a JupyterHub-style base URL); for a plain server, its owner."""
from __future__ import annotations

import os
import pathlib

import pytest

from conftest import JupyterServer, write_record
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
                    f"--ServerApp.base_url={BASE}"),
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
