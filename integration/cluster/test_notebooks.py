"""The example notebooks, executed by nbclient as `jupyter execute` and papermill do, on the cluster:
the same checks as integration/test_notebooks.py and test_sql_e2e.py on `local[*]`, and each
notebook's application had an executor on each worker."""
import pathlib
import re

import nbformat
from nbclient import NotebookClient

from spark_app import KERNEL

REPO = pathlib.Path(__file__).resolve().parents[2]


def execute(name: str) -> list[dict]:
    """Runs examples/<name>.ipynb on the cluster kernel; returns its code cells' outputs."""
    notebook = nbformat.read(str(REPO / "examples" / f"{name}.ipynb"), as_version=4)
    NotebookClient(notebook, kernel_name=KERNEL, timeout=300, startup_timeout=60).execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], [o for o in outputs if o.output_type == "error"]
    return outputs


def text_of(outputs: list[dict]) -> str:
    return "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)


def applications(cluster) -> set[str]:
    state = cluster.state()
    return {app["id"] for app in state["activeapps"] + state["completedapps"]}


def executors_by_worker(cluster, app_id: str) -> list[list[str]]:
    """For each worker, the executors (ids) it ran for `app_id`, running or finished."""
    by_worker = []
    for index in range(len(cluster.workers)):
        state = cluster.worker_state(index)
        by_worker.append([str(e["id"]) for e in state["executors"] + state["finishedexecutors"] if e["appid"] == app_id])
    return by_worker


def test_demo_notebook_runs_on_the_cluster(idle_cluster):
    before = applications(idle_cluster)
    outputs = execute("demo")
    texts = text_of(outputs)
    assert "200,000 orders" in texts
    assert "Spark UI /spark/" in texts
    tables = [o for o in outputs if "<table" in str(o.get("data", {}).get("text/html", ""))]
    assert tables and "<td>Mon</td>" in tables[0]["data"]["text/html"]
    # The last cell prints the application id: the master's, not a local-[*] one.
    printed = re.search(r"application (\S+)", texts).group(1)
    assert applications(idle_cluster) - before == {printed}
    assert all(len(ids) == 1 for ids in executors_by_worker(idle_cluster, printed)), \
        executors_by_worker(idle_cluster, printed)


def test_sql_tour_notebook_runs_on_the_cluster(idle_cluster):
    before = applications(idle_cluster)
    outputs = execute("sql-tour")
    assert any("application/vnd.vegalite.v5+json" in o.get("data", {}) for o in outputs)
    texts = text_of(outputs)
    assert "big orders in 7 weekdays" in texts
    assert re.search(r"region +north", texts), "%vars lists the variables"
    [app] = applications(idle_cluster) - before
    assert all(len(ids) == 1 for ids in executors_by_worker(idle_cluster, app)), executors_by_worker(idle_cluster, app)
