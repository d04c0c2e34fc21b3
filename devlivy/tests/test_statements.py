"""Statement endpoints against docs/livy-rest.md §11 (points 9-20), on the shared
session (statements name their kind) unless a point needs something else."""

import time


SLEEP = "import time\ntime.sleep({})"


def test_9_statement_while_busy_is_queued_as_waiting(server, shared):
    first = server.submit(shared, SLEEP.format(1.5))
    second = server.post(f"/sessions/{shared}/statements", {"code": "1 + 1", "kind": "pyspark"})
    assert second.status_code == 201
    assert second.json()["state"] == "waiting"
    assert second.json()["output"] is None
    assert second.headers["Location"] == f"/sessions/{shared}/statements/{second.json()['id']}"
    assert server.get(f"/sessions/{shared}/state").json()["state"] == "busy"
    done = server.wait_statement(shared, second.json()["id"])
    # Strictly in order: the queued one started after the first completed.
    assert done["started"] >= server.wait_statement(shared, first["id"])["completed"]
    assert done["output"]["data"] == {"text/plain": "2"}


def test_10_ids_start_at_zero_and_execution_count_equals_id(server, shared):
    statements = server.get(f"/sessions/{shared}/statements").json()["statements"]
    statement = server.run(shared, "40 + 2")
    assert statement["output"]["execution_count"] == statement["id"]
    ids = [s["id"] for s in statements] + [statement["id"]]
    assert ids[0] == 0 and ids == list(range(len(ids)))


def test_11_failing_statement_is_available_with_error_output(server, shared):
    statement = server.run(shared, "abcde")
    assert statement["state"] == "available"
    output = statement["output"]
    assert output["status"] == "error"
    assert output["ename"] == "NameError"
    assert output["evalue"] == "name 'abcde' is not defined"
    assert isinstance(output["traceback"], list) and all(isinstance(l, str) for l in output["traceback"])
    assert output["traceback"][0] == "Traceback (most recent call last):\n"
    assert 'File "<stdin>"' in "".join(output["traceback"])
    assert "devlivy" not in "".join(output["traceback"])  # the driver's own frames are hidden
    assert "data" not in output


def test_11_syntax_error_has_a_short_traceback(server, shared):
    output = server.run(shared, "def broken(:\n  pass")["output"]
    assert output["status"] == "error" and output["ename"] == "SyntaxError"
    assert not output["traceback"][0].startswith("Traceback")


def test_11_sql_error_has_ename_error_and_jvm_frames(server, shared):
    output = server.run(shared, "SELECT * FROM no_such_table", kind="sql")["output"]
    assert output["status"] == "error" and output["ename"] == "Error"
    assert "no_such_table" in output["evalue"].lower() or "TABLE_OR_VIEW_NOT_FOUND" in output["evalue"]
    assert output["traceback"] and all(line.endswith("\n") for line in output["traceback"])
    assert any("org.apache.spark" in line for line in output["traceback"])


def test_12_finished_statement_progress_and_times(server, shared):
    statement = server.submit(shared, SLEEP.format(0.5))
    # Like Livy, POST answers with the statement as created.
    assert statement["state"] == "waiting" and statement["output"] is None
    assert statement["started"] == 0 and statement["completed"] == 0 and statement["progress"] == 0.0
    running = server.get(f"/sessions/{shared}/statements/{statement['id']}").json()
    assert running["state"] in ("waiting", "running") and running["output"] is None
    done = server.wait_statement(shared, statement["id"])
    assert done["progress"] == 1.0
    assert done["completed"] >= done["started"] > 1_600_000_000_000  # epoch ms


def test_12_progress_follows_spark_tasks(server, shared):
    code = ("import time\n"
            "spark.sparkContext.parallelize(range(8), 8).foreach(lambda x: time.sleep(0.6))")
    statement = server.submit(shared, code)
    current, seen = server.progress_seen(shared, statement["id"])
    assert current["output"]["status"] == "ok"
    assert any(0 < p < 1 for p in seen), seen


def test_13_list_statements_ascending_and_desc(server, shared):
    server.run(shared, "1")
    body = server.get(f"/sessions/{shared}/statements").json()
    assert set(body) == {"total_statements", "statements"}
    ids = [s["id"] for s in body["statements"]]
    assert body["total_statements"] == len(ids) and ids == sorted(ids)
    desc = server.get(f"/sessions/{shared}/statements?order=desc").json()
    assert [s["id"] for s in desc["statements"]] == ids[::-1]
    page = server.get(f"/sessions/{shared}/statements?from=1&size=2").json()
    assert [s["id"] for s in page["statements"]] == ids[1:3]


def test_14_unknown_statement_is_404_bare_string(server, shared):
    response = server.get(f"/sessions/{shared}/statements/12345")
    assert response.status_code == 404
    assert response.json() == "Statement not found"


def test_15_cancel_waiting_statement(server, shared):
    blocker = server.submit(shared, SLEEP.format(1.5))
    waiting = server.submit(shared, "1 + 1")
    path = f"/sessions/{shared}/statements/{waiting['id']}"
    response = server.post(path + "/cancel", {})
    assert response.status_code == 200 and response.json() == {"msg": "canceled"}
    cancelled = server.get(path).json()
    assert cancelled["state"] == "cancelled" and cancelled["output"] is None
    assert cancelled["started"] == 0
    again = server.post(path + "/cancel", {})
    assert again.status_code == 200 and again.json() == {"msg": "canceled"}
    server.wait_statement(shared, blocker["id"])
    finished = server.post(f"/sessions/{shared}/statements/{blocker['id']}/cancel", {})
    assert finished.status_code == 200 and finished.json() == {"msg": "canceled"}
    assert server.get(f"/sessions/{shared}/statements/{blocker['id']}").json()["state"] == "available"
    unknown = server.post(f"/sessions/{shared}/statements/98765/cancel", {})
    assert unknown.status_code == 200 and unknown.json() == {"msg": "canceled"}


def test_16_pyspark_value_and_prints(server, shared):
    assert server.run_ok(shared, "1+1") == {"text/plain": "2"}
    assert server.run_ok(shared, "print('hello')\nx = 3\nx * 2") == {"text/plain": "hello\n6"}
    assert server.run_ok(shared, "y = 1") == {"text/plain": ""}
    assert server.run_ok(shared, "spark.range(5).count()") == {"text/plain": "5"}


def test_each_statement_runs_in_livys_job_group(server, shared):
    """As Livy's repl Session.setJobGroup: group = the statement id, description "Job group for
    statement N", for every kind; the driver's REST API reports it (the kernel's jobs view reads it)."""
    import json
    import urllib.request

    ui = server.run_ok(shared, "print(sc.uiWebUrl)")["text/plain"].strip()
    python = server.run(shared, "spark.range(0, 100, 1, 2).count()")
    sql = server.run(shared, "SELECT count(*) FROM range(0, 100, 1, 2)", kind="sql")
    with urllib.request.urlopen(ui + "/api/v1/applications", timeout=30) as answer:
        app = json.load(answer)[0]["id"]
    with urllib.request.urlopen(f"{ui}/api/v1/applications/{app}/jobs", timeout=30) as answer:
        jobs = json.load(answer)
    for statement in (python, sql):
        group = [job for job in jobs if job.get("jobGroup") == str(statement["id"])]
        assert group, (statement["id"], [(job["jobId"], job.get("jobGroup")) for job in jobs])
        assert all(job["description"] == f"Job group for statement {statement['id']}" for job in group), group


def test_16_state_is_kept_between_statements(server, shared):
    server.run_ok(shared, "kept_value = 41")
    assert server.run_ok(shared, "kept_value + 1") == {"text/plain": "42"}


def test_statement_kind_rules(server, shared):
    missing = server.post(f"/sessions/{shared}/statements", {"code": "1"})
    assert missing.status_code == 500 and isinstance(missing.json(), str)
    bad = server.post(f"/sessions/{shared}/statements", {"code": "1", "kind": "cobol"})
    assert bad.status_code == 400 and isinstance(bad.json(), str)
    unknown_field = server.post(f"/sessions/{shared}/statements", {"code": "1", "kind": "pyspark", "x": 1})
    assert unknown_field.status_code == 400
    assert server.run_ok(shared, "3", kind="python") == {"text/plain": "3"}  # alias
    assert server.post("/sessions/424242/statements", {"code": "1"}).status_code == 404


def test_17_sql_select_1_exact_shape(server, shared, golden):
    assert server.run_ok(shared, "SELECT 1 AS a", kind="sql") == {"application/json": golden("sql_select_1.json")}


def test_18_sql_rows_capped_at_1000(server, shared):
    data = server.run_ok(shared, "SELECT id FROM range(2500)", kind="sql")["application/json"]
    assert len(data["data"]) == 1000
    assert set(data) == {"schema", "data"}  # no truncation marker


def test_sql_sees_pyspark_temp_views_and_ddl_is_empty(server, shared):
    server.run_ok(shared, "spark.range(3).createOrReplaceTempView('three')")
    data = server.run_ok(shared, "SELECT count(*) AS n FROM three", kind="sql")["application/json"]
    assert data["data"] == [[3]]
    ddl = server.run_ok(shared, "CREATE OR REPLACE TEMPORARY VIEW v1 AS SELECT 1", kind="sql")["application/json"]
    assert ddl == {"schema": {"type": "struct", "fields": []}, "data": []}


def test_sql_value_formats(server, shared):
    query = ("SELECT DATE'2024-01-31' AS d, CAST(1.25 AS DECIMAL(10,2)) AS m, true AS b, "
             "CAST(NULL AS STRING) AS n, array(1, 2) AS a, 2.5D AS x, 9000000000L AS big")
    data = server.run_ok(shared, query, kind="sql")["application/json"]
    assert data["data"] == [["2024-01-31", 1.25, True, None, [1, 2], 2.5, 9000000000]]
    types = [f["type"] for f in data["schema"]["fields"]]
    assert types[:4] == ["date", "decimal(10,2)", "boolean", "string"]
    assert types[4] == {"type": "array", "elementType": "integer", "containsNull": False}


def test_sql_timestamps_are_utc_seconds(server, shared):
    query = "SELECT TIMESTAMP'2024-05-06T07:08:09.5Z' AS t"
    row = server.run_ok(shared, query, kind="sql")["application/json"]["data"][0]
    assert row == ["2024-05-06T07:08:09Z"]


def test_19_table_and_json_magics(server, shared):
    server.run_ok(shared, "rows = [{'name': 'a', 'age': 1}, {'name': 'b', 'age': 2}]")
    table = server.run_ok(shared, "%table rows")
    assert table == {"application/vnd.livy.table.v1+json": {
        "headers": [{"name": "age", "type": "INT_TYPE"}, {"name": "name", "type": "STRING_TYPE"}],
        "data": [[1, "a"], [2, "b"]]}}
    assert server.run_ok(shared, "%json rows") == {"application/json": [{"name": "a", "age": 1}, {"name": "b", "age": 2}]}
    from_rows = server.run_ok(shared, "df_rows = spark.range(2).collect()\n%table df_rows")
    assert from_rows["application/vnd.livy.table.v1+json"]["headers"] == [{"name": "id", "type": "INT_TYPE"}]
    mixed = server.run(shared, "mixed = [[1], ['x']]\n%table mixed")["output"]
    assert mixed["status"] == "error" and mixed["evalue"] == "table rows have different types"
    unknown = server.run(shared, "%nosuchmagic x")["output"]
    assert unknown["status"] == "error" and unknown["ename"] == "UnknownMagic"


def test_20_completion_pyspark_names_from_the_namespace(server, shared):
    # Livy answers [] for pyspark; devlivy completes Python names (docs/livy-rest.md §4).
    server.run_ok(shared, "completion_marker_value = 1")
    response = server.post(f"/sessions/{shared}/completion", {"code": "x = completion_mark", "kind": "pyspark", "cursor": 19})
    assert response.status_code == 200 and response.json() == {"candidates": ["completion_marker_value"]}
    attribute = server.post(f"/sessions/{shared}/completion", {"code": "spark.ran", "kind": "python", "cursor": "9"})
    assert attribute.status_code == 200 and attribute.json() == {"candidates": ["range"]}
    sql = server.post(f"/sessions/{shared}/completion", {"code": "SEL", "kind": "sql", "cursor": 3})
    assert sql.json() == {"candidates": []}
    assert server.post(f"/sessions/{shared}/completion", {"code": "x"}).status_code == 400


def test_python_warnings_go_to_the_session_log_not_the_output(server, shared):
    code = "import warnings\nwarnings.warn('devlivy-warning-marker')\n5"
    assert server.run_ok(shared, code) == {"text/plain": "5"}
    log = server.get(f"/sessions/{shared}/log?size=-1").json()["log"]
    assert any("devlivy-warning-marker" in line for line in log)


def test_non_finite_doubles_stay_valid_json(server, shared):
    data = server.run_ok(shared, "SELECT CAST('NaN' AS DOUBLE) AS n, CAST('Infinity' AS DOUBLE) AS i", kind="sql")
    assert data["application/json"]["data"] == [["NaN", "Infinity"]]


def test_cancel_right_after_submit_still_cancels_the_job(server, shared):
    statement = server.submit(shared, "import time\nspark.sparkContext.parallelize(range(2), 2).foreach(lambda x: time.sleep(60))")
    assert server.post(f"/sessions/{shared}/statements/{statement['id']}/cancel", {}).status_code == 200
    started = time.monotonic()
    done = server.wait_statement(shared, statement["id"], timeout=40)
    assert done["state"] == "cancelled" and time.monotonic() - started < 20
    server.wait_state(shared, ("idle",), timeout=10)
