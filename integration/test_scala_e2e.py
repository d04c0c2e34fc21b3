"""Scala as users use it, on real Spark through the dev Livy server: the Scala kernel running a
notebook under nbclient, `%%scala` cells in a PySpark notebook sharing its session, completion
from Livy's interpreters, and interrupting a Scala job."""
import pathlib
import re
import time

import nbformat
from nbclient import NotebookClient

from cell_output import run, stdout

REPO = pathlib.Path(__file__).resolve().parent.parent


def texts(cell) -> str:
    return "".join("".join(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def test_scala_tour_notebook_runs_end_to_end(livy):
    notebook = nbformat.read(str(REPO / "examples" / "scala-tour.ipynb"), as_version=4)
    NotebookClient(notebook, kernel_name="livy-scala-dev", timeout=300, startup_timeout=60).execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    define, case_class, show, sql, broken, printed = code
    assert re.search(r"res\d+: Long = 20000", texts(define)), texts(define)
    assert "defined class Order" in texts(case_class) or "class Order" in texts(case_class), texts(case_class)
    assert re.search(r"res\d+: Long = \d+", texts(case_class))
    assert re.search(r"\|region\|orders\|\s*revenue\|", texts(show)), texts(show)
    tables = [o for o in sql.outputs if "<table" in str(o.get("data", {}).get("text/html", ""))]
    assert tables and "north" in tables[0]["data"]["text/html"]
    errors = [o for o in broken.outputs if o.output_type == "error"]
    assert len(errors) == 1 and "type mismatch" in errors[0]["evalue"] + "\n".join(errors[0]["traceback"])
    assert re.search(r"\d+ big orders, the largest (9\d|100)\.\d+", texts(printed)), texts(printed)
    assert not [o for c in code if c is not broken for o in c.outputs if o.output_type == "error"]


def test_scala_cells_share_the_pyspark_session_both_ways(spark_kernel):
    _, kc = spark_kernel
    reply, _ = run(kc, "spark.range(5).createOrReplaceTempView('made_in_python')")
    assert reply["status"] == "ok", reply
    reply, messages = run(kc, '%%scala\nspark.table("made_in_python").count()')
    assert reply["status"] == "ok", reply
    assert re.search(r"res\d+: Long = 5\b", stdout(messages)), stdout(messages)
    reply, _ = run(kc, '%%scala\nSeq((1, "x"), (2, "y")).toDF("id", "s").createOrReplaceTempView("made_in_scala")')
    assert reply["status"] == "ok", reply
    reply, messages = run(kc, "print(spark.table('made_in_scala').count())")
    assert stdout(messages) == "2\n"


def test_completion_comes_from_livys_interpreters(spark_kernel):
    _, kc = spark_kernel
    run(kc, "completion_probe = 1")
    code = "%%scala\nspark.ran"
    reply = kc.complete(code, len(code), reply=True, timeout=30)["content"]
    assert "range" in reply["matches"], reply
    assert reply["cursor_start"] == len(code) - 3
    reply = kc.complete("completion_pr", 13, reply=True, timeout=30)["content"]
    assert any(m.endswith("completion_probe") for m in reply["matches"]), reply


def test_a_scala_job_is_interrupted_and_the_session_goes_on(spark_kernel):
    km, kc = spark_kernel
    msg_id = kc.execute("%%scala\nspark.range(4).repartition(4).map { x => Thread.sleep(120000); x }.count()")
    time.sleep(8)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=60)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - started < 15
    reply, messages = run(kc, "%%scala\n21 * 2")
    assert re.search(r"res\d+: Int = 42", stdout(messages)), stdout(messages)
