"""Scala (`spark`) statements and completion, on the shared session: the
Scala REPL lives in the PySpark driver's JVM and shares its SparkSession
(docs/livy-rest.md §3.6, §3.7, §4; checklist 16 and 20)."""

import re
import time


def scala(server, session, code):
    return server.run(session, code, kind="spark")["output"]


def scala_text(server, session, code) -> str:
    output = scala(server, session, code)
    assert output["status"] == "ok", output
    assert set(output["data"]) == {"text/plain"}
    return output["data"]["text/plain"]


def test_16_scala_value_is_the_repl_echo_with_its_newline(server, shared):
    # Scala 2.13's REPL echo (Livy on 2.12 prints "res0: Int = 2\n").
    assert re.fullmatch(r"val res\d+: Int = 2\n", scala_text(server, shared, "1+1"))


def test_definitions_and_println_in_line_order(server, shared):
    assert scala_text(server, shared, "val one = 1") == "val one: Int = 1\n"
    assert scala_text(server, shared, "def inc(x: Int) = x + 1") == "def inc(x: Int): Int\n"
    assert scala_text(server, shared, 'println("hello")') == "hello\n"
    assert scala_text(server, shared, "print(1)\nprint(2)") == "12"
    # Each line runs on its own, as in Livy: prints and echoes interleave.
    text = scala_text(server, shared, 'println("a")\nval two = inc(one)\n\nprintln(two)')
    assert text == "a\nval two: Int = 2\n2\n"


def test_multi_line_expression_and_trailing_comment(server, shared):
    text = scala_text(server, shared, "val total = List(1, 2, 3).map { x =>\n  x * 2\n}.sum\n// done")
    assert text == "val total: Int = 12\n"
    # Livy's line-by-line execution: a complete line runs before the next one
    # is seen, so a continuation starting with "." fails, as it does in Livy.
    leading_dot = scala(server, shared, "val listed = List(1, 2)\n  .map(_ * 2)")
    assert leading_dot["evalue"] == "error: illegal start of definition"
    assert scala_text(server, shared, "// just a comment") == ""


def test_case_class_dataset_and_closures_in_tasks(server, shared):
    assert scala_text(server, shared, "case class Person(name: String, age: Int)") == "class Person\n"
    text = scala_text(server, shared, 'Seq(Person("a", 30), Person("b", 40)).toDS().filter(_.age > 35).count()')
    assert re.fullmatch(r"val res\d+: Long = 1\n", text)
    assert re.fullmatch(r"val res\d+: Long = 9900\n",
                        scala_text(server, shared, "spark.range(100).map(x => x * 2).reduce(_ + _)"))
    # A closure over a value of an earlier line: REPL classes reach the executors.
    scala_text(server, shared, "val factor = 3")
    assert re.fullmatch(r"val res\d+: List\[Int\] = List\(3, 6, 9\)\n",
                        scala_text(server, shared, "sc.parallelize(1 to 3).map(_ * factor).collect().toList"))


def test_temp_views_are_shared_between_python_scala_and_sql(server, shared):
    server.run_ok(shared, "spark.range(5).createOrReplaceTempView('from_python')")
    assert re.fullmatch(r"val res\d+: Long = 5\n", scala_text(server, shared, 'spark.table("from_python").count()'))
    scala_text(server, shared, 'Seq((1, "x"), (2, "y")).toDF("id", "s").createOrReplaceTempView("from_scala")')
    assert server.run_ok(shared, "spark.table('from_scala').count()") == {"text/plain": "2"}
    rows = server.run_ok(shared, "SELECT s FROM from_scala ORDER BY id", kind="sql")["application/json"]["data"]
    assert rows == [["x"], ["y"]]


def test_compile_error_shape(server, shared):
    output = scala(server, shared, "undefinedName")
    assert output == {"status": "error", "execution_count": output["execution_count"], "ename": "Error",
                      "evalue": "error: not found: value undefinedName", "traceback": ["       ^\n"]}
    mismatch = scala(server, shared, 'val wrong: Int = "s"')
    assert mismatch["evalue"] == "error: type mismatch;"
    assert [line.strip() for line in mismatch["traceback"]] == ["^", 'found   : String("s")', "required: Int"]


def test_failing_line_ends_the_statement_but_earlier_lines_ran(server, shared):
    output = scala(server, shared, 'println("lost")\nval keptAfterError = 5\nnope\nprintln("never")')
    assert output["status"] == "error" and output["evalue"] == "error: not found: value nope"
    assert "lost" not in "".join(output["traceback"])
    assert re.fullmatch(r"val res\d+: Int = 5\n", scala_text(server, shared, "keptAfterError"))


def test_runtime_exception_shape(server, shared):
    output = scala(server, shared, "1 / 0")
    assert output["ename"] == "Error"
    assert output["evalue"] == "java.lang.ArithmeticException: / by zero"
    assert len(output["traceback"]) == 1 and re.fullmatch(r"  \.\.\. \d+ elided\n", output["traceback"][0])


def test_failing_spark_job(server, shared):
    output = scala(server, shared, "sc.parallelize(1 to 4, 2).map(i => 10 / (i - 3)).collect()")
    assert output["status"] == "error" and output["ename"] == "Error"
    assert output["evalue"].startswith("org.apache.spark.SparkException: Job aborted due to stage failure")
    assert "java.lang.ArithmeticException: / by zero" in output["evalue"]
    assert output["traceback"] and all(line.endswith("\n") for line in output["traceback"])


def test_incomplete_statement(server, shared):
    for code in ("sc.", "val y = (1 to", "val z = 1\nsc.\n// comment"):
        output = scala(server, shared, code)
        del output["execution_count"]
        assert output == {"status": "error", "ename": "Error", "evalue": "incomplete statement", "traceback": []}, code


def test_table_and_json_magics(server, shared):
    table = server.run_ok(shared, 'val cells = List(List(1, "a"), List(3, "b"))\n%table cells', kind="spark")
    assert table == {"application/vnd.livy.table.v1+json": {
        "headers": [{"type": "BIGINT_TYPE", "name": "0"}, {"type": "STRING_TYPE", "name": "1"}],
        "data": [[1, "a"], [3, "b"]]}}
    assert server.run_ok(shared, "%json cells", kind="spark") == {"application/json": [[1, "a"], [3, "b"]]}
    missing = scala(server, shared, "%table noSuchValue")
    assert (missing["ename"], missing["evalue"]) == ("NameError", "Value noSuchValue does not exist")
    unknown = scala(server, shared, "%nosuchmagic x")
    assert (unknown["ename"], unknown["evalue"]) == ("UnknownMagic", "Unknown magic command nosuchmagic")


def test_progress_of_a_scala_job(server, shared):
    statement = server.submit(shared, "sc.parallelize(1 to 8, 8).foreach(_ => Thread.sleep(600))", kind="spark")
    current, seen = server.progress_seen(shared, statement["id"])
    assert current["output"]["status"] == "ok" and current["progress"] == 1.0
    assert any(0 < p < 1 for p in seen), seen


def test_cancel_running_scala_job_and_completion_meanwhile(server, shared):
    statement = server.submit(shared, "sc.parallelize(1 to 2, 2).map { i => Thread.sleep(60000); i }.collect()",
                              kind="spark")
    path = f"/sessions/{shared}/statements/{statement['id']}"
    deadline = time.monotonic() + 30
    while server.get(path).json()["state"] != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # let the job start
    # The interpreter is busy: completion answers soon instead of waiting for the statement.
    started = time.monotonic()
    response = server.post(f"/sessions/{shared}/completion", {"code": "sc.", "kind": "scala", "cursor": 3})
    assert response.status_code == 200 and response.json() == {"candidates": []}
    assert time.monotonic() - started < 10

    started = time.monotonic()
    assert server.post(path + "/cancel", {}).json() == {"msg": "canceled"}
    done = server.wait_statement(shared, statement["id"], timeout=40)
    assert done["state"] == "cancelled" and time.monotonic() - started < 15
    assert f"cancelled part of cancelled job group {statement['id']}" in done["output"]["evalue"]
    server.wait_state(shared, ("idle",), timeout=10)
    assert re.fullmatch(r"val res\d+: Int = 4\n", scala_text(server, shared, "2 + 2"))


def test_20_completion_scala(server, shared):
    scala_text(server, shared, 'val str = "s"')
    response = server.post(f"/sessions/{shared}/completion", {"code": "str.", "kind": "scala", "cursor": 4})
    assert response.status_code == 200
    candidates = response.json()["candidates"]
    assert {"compare", "contains"} <= set(candidates) and candidates == sorted(set(candidates))
    word = server.post(f"/sessions/{shared}/completion", {"code": "val q = spark.ran", "kind": "spark", "cursor": 17})
    assert word.json() == {"candidates": ["range"]}
    none = server.post(f"/sessions/{shared}/completion", {"code": "str2.", "kind": "scala", "cursor": 5})
    assert none.json() == {"candidates": []}
