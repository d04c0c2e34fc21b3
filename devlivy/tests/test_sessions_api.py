"""Session endpoints against the checklist of docs/livy-rest.md §11 (points 1-8, 22)."""

import re
import time

from devlivy.testing import wait_group_gone


def test_1_create_empty_body_is_shared_and_starting(created_shared_session):
    response, session_id = created_shared_session
    assert response.status_code == 201
    assert response.headers["Location"] == f"/sessions/{session_id}"
    body = response.json()
    assert body["kind"] == "shared"
    assert body["state"] == "starting"


def test_2_unknown_property_is_400_with_a_bare_string(server):
    for body in ({"foo": 1}, {"kind": "pyspark", "bar": "x"}):
        response = server.post("/sessions", body)
        assert response.status_code == 400
        assert isinstance(response.json(), str)
        assert "Unrecognized field" in response.json()


def test_2_malformed_json_and_wrong_types_are_400_bare_strings(server):
    for raw in (b"{not json", b"[1, 2]", b'{"driverCores": "many"}', b'{"jars": "a.jar"}',
                b'{"conf": {"a": {"nested": 1}}}', b'{"kind": 5}'):
        response = server.post("/sessions", data=raw, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, raw
        assert isinstance(response.json(), str), raw


def test_3_rejections(server):
    response = server.post("/sessions", {"kind": "pyspark3"})
    assert response.status_code == 400 and isinstance(response.json(), str)
    response = server.post("/sessions", {"name": "12345"})
    assert response.status_code == 400 and "msg" in response.json()
    response = server.post("/sessions", {"conf": {"spark.master": "yarn"}})
    assert response.status_code == 400 and "Blacklisted" in response.json()["msg"]
    response = server.post("/sessions", {"ttl": "soon"})
    assert response.status_code == 400 and "msg" in response.json()


def test_3_5_22_named_session_lookup_duplicate_statement_while_starting_and_delete(server):
    """One short-lived session covers the checks that need a session still
    starting: lookup by name, duplicate names, statements while starting (9),
    and DELETE of a starting session, which must leave no process behind."""
    name = f"dup-{time.monotonic_ns()}"
    created = server.create_session({"name": name, "kind": "pyspark"})
    session_id = created["id"]
    pgid = server.driver_pid(session_id)

    by_name = server.get(f"/sessions/{name}")
    assert by_name.status_code == 200 and by_name.json()["id"] == session_id
    assert server.get(f"/sessions/{name}/state").json() == {"id": session_id, "state": "starting"}

    duplicate = server.post("/sessions", {"name": name})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"msg": f"Rejected, Reason: Duplicate session name: Some({name}) for session {session_id}"}

    # Checklist 9, first half: statements while starting -> 500, bare string.
    early = server.post(f"/sessions/{session_id}/statements", {"code": "1"})
    assert early.status_code == 500
    assert early.json() == "java.lang.IllegalStateException: Session is in state starting"

    deleted = server.delete(f"/sessions/{name}")
    assert deleted.status_code == 200 and deleted.json() == {"msg": "deleted"}
    assert server.get(f"/sessions/{session_id}").status_code == 404
    assert server.delete(f"/sessions/{session_id}").json() == {"msg": f"Session '{session_id}' not found."}
    assert wait_group_gone(pgid) == []


def test_22_delete_a_busy_session_kills_driver_and_jvm(server):
    session_id = server.start_session({"kind": "pyspark"})
    pgid = server.driver_pid(session_id)
    server.submit(session_id, "import time\nspark.sparkContext.parallelize(range(2), 2).foreach(lambda x: time.sleep(60))")
    time.sleep(1)
    asked = time.monotonic()
    response = server.delete(f"/sessions/{session_id}")
    assert time.monotonic() - asked < 5, "a busy driver should be killed, not waited for"
    assert response.status_code == 200 and response.json() == {"msg": "deleted"}
    assert server.get(f"/sessions/{session_id}").status_code == 404
    assert wait_group_gone(pgid, timeout=5) == []


def test_4_list_sessions_paging(server, shared):
    body = server.get("/sessions").json()
    assert set(body) == {"from", "total", "sessions"}
    assert body["from"] == 0 and isinstance(body["total"], int)
    assert body["total"] >= len(body["sessions"]) >= 1
    assert any(s["id"] == shared for s in body["sessions"])
    page = server.get("/sessions?from=0&size=0").json()
    assert page["sessions"] == [] and page["total"] == body["total"]
    assert server.get("/sessions?from=x").status_code == 400


def test_5_unknown_session_is_404_with_msg(server):
    response = server.get("/sessions/99999")
    assert response.status_code == 404
    assert response.json() == {"msg": "Session '99999' not found."}
    assert server.get("/sessions/no-such-name/state").json() == {"msg": "Session 'no-such-name' not found."}


def test_6_session_object_has_app_info_and_short_log(server, shared):
    for session in server.get("/sessions").json()["sessions"] + [server.get(f"/sessions/{shared}").json()]:
        assert set(session["appInfo"]) == {"driverLogUrl", "sparkUiUrl"}
        assert isinstance(session["log"], list) and len(session["log"]) <= 10


def test_session_reports_spark_app_id_and_no_ui_url_off_yarn(server, shared):
    """Real Livy fills appInfo only on YARN (docs/livy-rest.md §2.3): a client must ask the driver."""
    session = server.get(f"/sessions/{shared}").json()
    assert session["appId"].startswith("local-")
    assert session["appInfo"] == {"driverLogUrl": None, "sparkUiUrl": None}
    assert server.run_ok(shared, "sc.uiWebUrl")["text/plain"].strip("'").startswith("http://")


def test_yarn_shaped_app_info_points_at_the_resource_manager_not_the_driver():
    from devlivy.testing import LivyServer

    yarn = LivyServer("--app-info", "yarn")
    try:
        created = yarn.create_session({"kind": "pyspark"})
        app_info = yarn.get(f"/sessions/{created['id']}").json()["appInfo"]
        assert re.fullmatch(r"http://resourcemanager\.example\.invalid:8088/proxy/application_\d+_\d+/", app_info["sparkUiUrl"])
        assert "/node/containerlogs/container_" in app_info["driverLogUrl"]
        yarn.delete(f"/sessions/{created['id']}")
    finally:
        yarn.stop()


def test_7_state_is_exactly_id_and_state(server, shared):
    body = server.get(f"/sessions/{shared}/state").json()
    assert set(body) == {"id", "state"}
    assert body["id"] == shared and isinstance(body["state"], str)


def test_8_log_defaults_to_last_100_lines(server, shared):
    body = server.get(f"/sessions/{shared}/log").json()
    assert set(body) == {"id", "from", "total", "log"}
    assert len(body["log"]) <= 100
    assert body["from"] == max(0, body["total"] - 100)
    first = server.get(f"/sessions/{shared}/log?from=0&size=2").json()
    assert first["from"] == 0 and len(first["log"]) == min(2, first["total"])
    everything = server.get(f"/sessions/{shared}/log?size=-1").json()
    assert len(everything["log"]) == everything["total"]


def test_version_endpoint(server):
    body = server.get("/version").json()
    assert set(body) == {"version", "user", "revision", "branch", "date", "url"}


def test_unsupported_livy_media_type_is_406(server):
    assert server.get("/sessions", headers={"Accept": "application/vnd.livy.v9.9+json"}).status_code == 406
    assert server.get("/sessions", headers={"Accept": "application/vnd.livy.v0.1+json"}).status_code == 200
