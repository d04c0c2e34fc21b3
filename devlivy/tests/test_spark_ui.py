"""Two sessions at once, each with its own spark.ui.port and proxyBase:
both UIs answer on their ports and emit links under their own prefix
(docs/livy-rest.md §11: point 24; 25 as far as the driver side goes). The same sessions check
that typed fields and conf reach the driver."""

import json
import os
import re
import zipfile

import pytest
import requests

from devlivy.testing import free_port


@pytest.fixture(scope="module")
def ui_sessions(server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("deps")
    helper = folder / "devlivy_helper_mod.py"
    helper.write_text("ANSWER = 42\n")
    jar = folder / "empty.jar"
    with zipfile.ZipFile(jar, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    sessions = []
    for index in range(2):
        port = free_port()
        base = f"/spark/u{index}/{port}"
        body = {
            "kind": "pyspark", "name": f"ui-{index}-{port}", "driverMemory": "600m",
            "pyFiles": [str(helper)], "jars": [str(jar)],
            "conf": {"spark.ui.port": str(port), "spark.ui.proxyBase": base,
                     "spark.sql.shuffle.partitions": "8", "livy.rsc.sql.num-rows": "7"},
        }
        if index == 0:
            body["conf"]["livy.rsc.rpc.max.size"] = "1m"
            body["proxyUser"] = "alice"
        if index == 1:  # Hive support: an embedded Derby metastore per driver
            body["conf"]["spark.sql.catalogImplementation"] = "hive"
            body["conf"]["spark.ui.proxyRedirectUri"] = "/"
        sessions.append({"id": server.create_session(body)["id"], "port": port, "base": base, "body": body})
    for session in sessions:  # both drivers start at the same time
        server.wait_state(session["id"])
    yield sessions
    for session in sessions:
        server.delete(f"/sessions/{session['id']}")


def test_the_driver_binds_the_requested_port(server, ui_sessions):
    for session in ui_sessions:
        url = server.run_ok(session["id"], "sc.uiWebUrl")["text/plain"].strip("'")
        assert url.endswith(f":{session['port']}"), url


def test_both_uis_answer_with_their_own_proxy_base(server, ui_sessions):
    for session in ui_sessions:
        base, port = session["base"], session["port"]
        page = requests.get(f"http://127.0.0.1:{port}/jobs/", timeout=30)
        assert page.status_code == 200
        assert f'href="{base}/stages/"' in page.text
        assert f"{base}/static/" in page.text
        other = [s["base"] for s in ui_sessions if s is not session][0]
        assert other not in page.text


def test_24_prefixed_path_and_root_redirect_unprefixed(ui_sessions):
    session = ui_sessions[0]
    port, base = session["port"], session["base"]
    prefixed = requests.get(f"http://127.0.0.1:{port}{base}/jobs/", allow_redirects=False, timeout=30)
    assert prefixed.status_code == 302
    assert re.search(r"^(https?://[^/]+)?/jobs/$", prefixed.headers["Location"])
    root = requests.get(f"http://127.0.0.1:{port}/", allow_redirects=False, timeout=30)
    assert root.status_code == 302
    assert re.search(r"^(https?://[^/]+)?/jobs/$", root.headers["Location"])
    # With spark.ui.proxyRedirectUri=/ the redirect carries the prefix.
    other = ui_sessions[1]
    root = requests.get(f"http://127.0.0.1:{other['port']}/", allow_redirects=False, timeout=30)
    assert root.status_code == 302
    assert re.search(rf"^(https?://[^/]+)?{other['base']}/jobs/$", root.headers["Location"]), root.headers["Location"]


def test_25_driver_side_of_the_proxy(ui_sessions):
    """What a prefix-stripping proxy forwards: the REST API lists one
    application and the Executors page loads. (The proxy itself is not part
    of devlivy.)"""
    port, base = ui_sessions[1]["port"], ui_sessions[1]["base"]
    apps = requests.get(f"http://127.0.0.1:{port}/api/v1/applications", timeout=30).json()
    assert isinstance(apps, list) and len(apps) == 1
    executors = requests.get(f"http://127.0.0.1:{port}/executors/", timeout=30)
    assert executors.status_code == 200 and f"setUIRoot('{base}')" in executors.text
    api = requests.get(f"http://127.0.0.1:{port}/api/v1/applications/{apps[0]['id']}/executors", timeout=30)
    assert api.status_code == 200 and api.json()


def test_statements_without_kind_use_the_session_kind(server, ui_sessions):
    assert server.run_ok(ui_sessions[0]["id"], "6 * 7", kind=None) == {"text/plain": "42"}


def test_typed_fields_and_conf_reach_the_driver(server, ui_sessions):
    session = ui_sessions[0]
    code = ("import json, devlivy_helper_mod\n"
            "c = sc.getConf()\n"
            "print(json.dumps({'shuffle': spark.conf.get('spark.sql.shuffle.partitions'),"
            " 'memory': c.get('spark.driver.memory'), 'app': sc.appName,"
            " 'jars': c.get('spark.jars'), 'heap': sc._jvm.java.lang.Runtime.getRuntime().maxMemory(),"
            " 'helper': devlivy_helper_mod.ANSWER, 'warehouse': c.get('spark.sql.warehouse.dir'),"
            " 'user': sc.sparkUser()}))")
    facts = json.loads(server.run_ok(session["id"], code)["text/plain"])
    assert facts["shuffle"] == "8"
    assert facts["memory"] == "600m" and facts["heap"] < 700 * 1024 * 1024
    assert facts["app"] == session["body"]["name"]
    assert facts["jars"].endswith("empty.jar")
    assert facts["helper"] == 42
    assert "session-" in facts["warehouse"]  # inside the session's scratch dir
    assert facts["user"] == "alice"  # proxyUser
    session_json = server.get(f"/sessions/{session['id']}").json()
    assert session_json["proxyUser"] == "alice" and session_json["owner"] == "alice"


def test_output_larger_than_rpc_max_size_is_a_clear_error(server, ui_sessions):
    session_id = ui_sessions[0]["id"]
    output = server.run(session_id, "print('x' * 2_000_000)")["output"]
    assert output["status"] == "error" and "livy.rsc.rpc.max.size" in output["evalue"]
    assert server.run_ok(session_id, "print('x' * 1000)") == {"text/plain": "x" * 1000}


def test_18_sql_row_cap_follows_session_conf(server, ui_sessions):
    data = server.run_ok(ui_sessions[1]["id"], "SELECT id FROM range(100)", kind="sql")["application/json"]
    assert len(data["data"]) == 7


def test_hive_metastore_and_warehouse_stay_in_the_scratch_dir(server, ui_sessions):
    session_id = ui_sessions[1]["id"]
    assert server.run(session_id, "CREATE TABLE hive_t (a INT) USING parquet", kind="sql")["output"]["status"] == "ok"
    assert server.run(session_id, "INSERT INTO hive_t VALUES (5)", kind="sql")["output"]["status"] == "ok"
    assert server.run_ok(session_id, "SELECT a FROM hive_t", kind="sql")["application/json"]["data"] == [[5]]
    listing = json.loads(server.run_ok(session_id, "import os, json\n"
                                       "print(json.dumps({'cwd': sorted(os.listdir('.')), 'derby': sorted(os.listdir('derby')),"
                                       " 'warehouse': sorted(os.listdir('warehouse'))}))")["text/plain"])
    assert "metastore_db" in listing["derby"] and "derby.log" in listing["derby"]
    assert "hive_t" in listing["warehouse"]
    assert not {"metastore_db", "derby.log", "spark-warehouse"} & set(listing["cwd"])
    assert not {"metastore_db", "derby.log", "spark-warehouse"} & set(os.listdir(os.path.dirname(os.path.dirname(__file__))))


def test_deleting_a_session_removes_its_scratch_dir(server, ui_sessions):
    """Runs last in this module: it deletes one of the two sessions."""
    session_id = ui_sessions[1]["id"]
    warehouse = server.run_ok(session_id, "SET spark.sql.warehouse.dir", kind="sql")["application/json"]["data"][0][1]
    scratch_dir = os.path.dirname(warehouse.removeprefix("file:"))
    assert os.path.isdir(scratch_dir) and os.path.basename(scratch_dir).startswith(f"session-{session_id}-")
    assert server.delete(f"/sessions/{session_id}").status_code == 200
    assert not os.path.exists(scratch_dir)
