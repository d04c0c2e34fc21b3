"""A cell's Spark jobs under the cell (issue 15), on real Spark through the dev Livy server: the
kernel reads the driver's REST API by the job group Livy gives each statement, and what it shows
must be what the driver reports."""
import json
import re
import urllib.request

import pytest

from cell_output import displays, run, stdout

MIME = "application/vnd.livykernel.spark-jobs+json"


def job_records(messages) -> list[dict]:
    """The jobs data of each display and update, in order."""
    return [data[MIME] for data in displays(messages) if MIME in data]


def summaries(messages) -> list[dict]:
    """The final record of each statement (its last update)."""
    finished = {}
    for record in job_records(messages):
        if record["finished"]:
            finished[record["statement_id"]] = record
    return list(finished.values())


@pytest.fixture(scope="module")
def driver_api(spark_kernel):
    """Asks the session's driver REST API directly (the test's own view of the truth)."""
    km, kc = spark_kernel
    reply, messages = run(kc, "print(spark.sparkContext.uiWebUrl)")
    assert reply["status"] == "ok", reply
    base = stdout(messages).strip()

    def get(path: str):
        with urllib.request.urlopen(base + "/api/v1" + path, timeout=10) as answer:
            return json.load(answer)
    return get


def test_a_join_and_a_count_show_each_job_with_the_drivers_stage_counts(spark_kernel, driver_api):
    km, kc = spark_kernel
    code = (
        "import time\n"
        "time.sleep(1.5)  # past the progress delay: the kernel follows the jobs while they run\n"
        "left = spark.range(0, 200000, 1, 4).withColumnRenamed('id', 'k')\n"
        "right = spark.range(0, 200000, 1, 3).withColumnRenamed('id', 'k')\n"
        "joined = left.join(right, 'k')\n"
        "print(joined.count(), left.count())\n"
    )
    reply, messages = run(kc, code)
    assert reply["status"] == "ok", reply
    assert stdout(messages) == "200000 200000\n"
    [summary] = summaries(messages)
    app = summary["application_id"]
    assert app == driver_api("/applications")[0]["id"]
    jobs = summary["jobs"]
    assert len(jobs) >= 2, summary
    for job in jobs:
        truth = driver_api(f"/applications/{app}/jobs/{job['job_id']}")
        assert truth["jobGroup"] == summary["statement_id"], "Livy's job group is the statement id"
        assert truth["status"] == job["status"] == "SUCCEEDED"
        assert job["stages"] == {"total": len(truth["stageIds"]), "completed": truth["numCompletedStages"],
                                 "skipped": truth["numSkippedStages"], "failed": truth["numFailedStages"],
                                 "active": truth["numActiveStages"]}, (job, truth)
        assert job["tasks"]["completed"] == truth["numCompletedTasks"] and job["tasks"]["total"] == truth["numTasks"]
        assert re.fullmatch(rf"/spark/[^/]+/\d+/jobs/job/\?id={job['job_id']}", job["link"]), job
    # The summary in words, for a terminal or a saved notebook.
    text = [d["text/plain"] for d in displays(messages) if MIME in d][-1]
    stages = sum(job["stages"]["total"] for job in jobs)
    assert text.startswith(f"Spark: {len(jobs)} jobs · {stages} stages · "), text
    assert f"statement {summary['statement_id']}, application {app}" in text
    # While it ran, the table was there and updated in place, not repeated.
    live = [r for r in job_records(messages) if not r["finished"]]
    assert live, "the live table showed while the statement ran"
    assert sum(1 for m in messages if m["msg_type"] == "display_data" and MIME in m["content"]["data"]) == 1


def test_a_failing_task_shows_the_failed_job(spark_kernel):
    km, kc = spark_kernel
    code = (
        "import time\n"
        "from pyspark.sql.functions import udf\n"
        "@udf('int')\n"
        "def boom(x):\n"
        "    raise ValueError('bad row %d' % x)\n"
        "time.sleep(1.5)\n"
        "spark.range(0, 4, 1, 2).select(boom('id')).collect()\n"
    )
    reply, messages = run(kc, code)
    assert reply["status"] == "error"
    assert "bad row" in reply["evalue"] + "".join(reply["traceback"])
    [summary] = summaries(messages)
    failed = [job for job in summary["jobs"] if job["status"] == "FAILED"]
    assert failed and failed[0]["tasks"]["failed"] >= 1, summary
    text = [d["text/plain"] for d in displays(messages) if MIME in d][-1]
    assert f"job {failed[0]['job_id']} failed" in text, text


def test_each_statement_of_a_sql_cell_shows_its_own_jobs(spark_kernel):
    km, kc = spark_kernel
    slow = "FROM range(0, 4, 1, 2) WHERE reflect('java.lang.Thread', 'sleep', CAST(700 AS BIGINT)) IS NULL"
    reply, messages = run(kc, f"%%sql\nSELECT count(*) AS n {slow};\nSELECT max(id) AS m {slow}")
    assert reply["status"] == "ok", reply
    records = summaries(messages)
    assert len(records) == 2, records
    assert records[0]["statement_id"] != records[1]["statement_id"]
    for record in records:
        assert record["jobs"] and all(job["status"] == "SUCCEEDED" for job in record["jobs"]), record


def test_a_quick_cell_shows_no_jobs_display(spark_kernel):
    km, kc = spark_kernel
    reply, messages = run(kc, "spark.range(10).count()")
    assert reply["status"] == "ok"
    assert job_records(messages) == []


def test_spark_ui_magic_frames_the_proxied_ui(spark_kernel):
    km, kc = spark_kernel
    reply, messages = run(kc, "%spark_ui")
    assert reply["status"] == "ok", reply
    html = displays(messages)[-1]["text/html"]
    assert re.search(r'<iframe src="/spark/[^/"]+/\d+/"', html), html
    assert 'target="_blank"' in html


def test_info_says_where_the_jobs_come_from(spark_kernel):
    km, kc = spark_kernel
    reply, messages = run(kc, "%%info")
    assert reply["status"] == "ok", reply
    text = "\n".join(d.get("text/plain", "") for d in displays(messages))
    assert re.search(r"cell Spark jobs\s+the driver's REST API at http://[^ ]+:\d+/api/v1", text), text
