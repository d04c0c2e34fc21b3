"""Magics, multi-statement SQL and {{ }} variables on real Spark (dev Livy server)."""
import json
import pathlib
import re

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from cell_output import run, stdout, tables

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_five_statement_cell_shows_the_final_table(spark_kernel):
    _, kc = spark_kernel
    reply, messages = run(kc, "%%sql\n"
                              "SET spark.sql.shuffle.partitions=3;\n"
                              "CREATE DATABASE IF NOT EXISTS e2e;\n"
                              "USE e2e;\n"
                              "CREATE OR REPLACE TEMPORARY VIEW nums AS SELECT id, id * id AS square FROM RANGE(4);\n"
                              "SELECT id, square FROM nums WHERE id > 1 ORDER BY id")
    assert reply["status"] == "ok", reply
    shown = tables(messages)
    assert len(shown) == 2, "the SET result and the final SELECT"
    final = shown[-1]
    assert "Statement 5 of 5 · line 6" in final
    assert "<td style=\"text-align: right\">9</td>" in final and "2 rows" in final
    assert "✓ line 3: CREATE DATABASE IF NOT EXISTS e2e" in stdout(messages)


def test_broken_third_statement_is_named_and_earlier_ones_took_effect(spark_kernel):
    _, kc = spark_kernel
    reply, messages = run(kc, "%%sql\n"
                              "CREATE OR REPLACE TEMPORARY VIEW first_v AS SELECT 1 AS x;\n"
                              "CREATE OR REPLACE TEMPORARY VIEW second_v AS SELECT 2 AS y;\n"
                              "SELEC broken;\n"
                              "CREATE OR REPLACE TEMPORARY VIEW never_v AS SELECT 3 AS z")
    assert reply["status"] == "error"
    assert reply["ename"] == "ParseException"
    assert reply["evalue"].startswith("statement 3 of 4 (line 4) failed: [PARSE_SYNTAX_ERROR]")
    assert "Statement 3 of 4, line 4: SELEC broken" in reply["traceback"]
    reply, messages = run(kc, "%%sql\nSELECT x + y AS total FROM first_v, second_v")
    assert reply["status"] == "ok" and "<td style=\"text-align: right\">3</td>" in tables(messages)[0]
    reply, _ = run(kc, "%%sql\nSELECT * FROM never_v")
    assert reply["status"] == "error" and reply["ename"] == "AnalysisException"


def test_output_binding_is_usable_from_pyspark(spark_kernel):
    _, kc = spark_kernel
    reply, messages = run(kc, "%%sql -o evens -n 2\nSELECT id FROM RANGE(10) WHERE id % 2 = 0")
    assert reply["status"] == "ok"
    assert "showing the first 2 of 5 rows" in tables(messages)[0]
    reply, messages = run(kc, "print(evens.count(), spark.table('evens').count())")
    assert reply["status"] == "ok" and stdout(messages) == "5 5\n"


def test_variables_in_sql_are_inserted_safely(spark_kernel):
    _, kc = spark_kernel
    reply, messages = run(kc, "%set who=\"O'Brien; DROP\"\n%set n=3\n%%sql\nSELECT {{ who.sql }} AS who, {{ n }} AS n")
    assert reply["status"] == "ok", reply
    assert "O&#39;Brien; DROP" in tables(messages)[0]
    reply, _ = run(kc, "%%sql\nSELECT {{ nobody }}")
    assert reply["status"] == "error" and reply["ename"] == "TemplateError" and "nobody" in reply["evalue"]
    reply, messages = run(kc, "d = {'k': {'v': 1}}\nprint(f\"{{literal}} {{{{ n }}}}\", d['k']['v'])")
    assert reply["status"] == "ok" and stdout(messages) == "{literal} {{ n }} 1\n", "Python braces stay code"


def test_unknown_magic_lists_the_known_ones(spark_kernel):
    _, kc = spark_kernel
    reply, _ = run(kc, "%%sqll\nSELECT 1")
    assert reply["status"] == "error" and reply["ename"] == "MagicError"
    assert "%%sql" in reply["evalue"] and "%%configure" in reply["evalue"]


def test_configure_force_changes_the_spark_conf(livy):
    km, kc = start_new_kernel(kernel_name="livy-pyspark-dev", startup_timeout=30)
    try:
        run(kc, "1")
        reply, _ = run(kc, '%%configure\n{"conf": {"spark.sql.shuffle.partitions": "7"}}')
        assert reply["status"] == "error" and "-f" in reply["evalue"]
        reply, _ = run(kc, '%%configure -f\n{"conf": {"spark.sql.shuffle.partitions": "7"}}')
        assert reply["status"] == "ok", reply
        reply, messages = run(kc, "spark.conf.get('spark.sql.shuffle.partitions')")
        assert stdout(messages).strip() == "'7'"
        reply, messages = run(kc, "%%info")
        shown = [m["content"]["data"]["text/plain"] for m in messages if m["msg_type"] == "display_data"]
        assert "session request" in shown[0]
        request = json.loads(shown[1])  # the POST /sessions body the session was created with
        assert request["conf"]["spark.sql.shuffle.partitions"] == "7"
        assert request["kind"] == "pyspark" and request["name"].startswith("livykernel-")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_sql_kernel_runs_plain_cells_as_sql(livy):
    km, kc = start_new_kernel(kernel_name="livy-sql-dev", startup_timeout=30)
    try:
        reply, messages = run(kc, "CREATE OR REPLACE TEMPORARY VIEW t AS SELECT 'a;b' AS s;\nSELECT s, LENGTH(s) AS n FROM t")
        assert reply["status"] == "ok", reply
        assert "<td>a;b</td>" in tables(messages)[-1]
        reply, messages = run(kc, "%%pyspark\nprint(spark.table('t').count())")
        assert reply["status"] == "ok" and stdout(messages) == "1\n", "one Spark session for SQL and PySpark cells"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_papermill_parameters_reach_sql(livy, tmp_path):
    papermill = pytest.importorskip("papermill")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("day = '2000-01-01'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("%%sql\nSELECT {{ day.sql }} AS day, DATE({{ day.sql }}) + 1 AS next_day"),
    ], metadata={"kernelspec": {"name": "livy-pyspark-dev", "language": "python", "display_name": "x"}})
    source, target = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(notebook, str(source))
    papermill.execute_notebook(str(source), str(target), parameters={"day": "2024-02-28"}, kernel_name="livy-pyspark-dev")
    result = nbformat.read(str(target), as_version=4)
    html = "".join(str(o.get("data", {}).get("text/html", "")) for c in result.cells for o in c.get("outputs", []))
    assert "<td>2024-02-28</td>" in html and "<td>2024-02-29</td>" in html


def test_sql_tour_notebook_runs(livy):
    notebook = nbformat.read(str(REPO / "examples" / "sql-tour.ipynb"), as_version=4)
    NotebookClient(notebook, kernel_name="livy-pyspark-dev", timeout=300, startup_timeout=60).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.vegalite.v5+json" in o.get("data", {}) for o in outputs)
    texts = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "big orders in 7 weekdays" in texts
    assert re.search(r"region +north", texts), "%vars lists the variables"
