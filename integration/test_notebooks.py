"""Real notebooks executed by nbclient, as `jupyter execute` and papermill do."""
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_demo_notebook_runs_end_to_end(livy):
    notebook = nbformat.read(str(REPO / "examples" / "demo.ipynb"), as_version=4)
    NotebookClient(notebook, kernel_name="livy-pyspark-dev", timeout=300, startup_timeout=60).execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    texts = ["".join(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for c in code for o in c.outputs]
    assert any("200,000 orders" in t for t in texts)
    assert any("Spark UI /spark/" in t for t in texts)
    tables = [o for c in code for o in c.outputs if "<table" in str(o.get("data", {}).get("text/html", ""))]
    assert tables and "<td>Mon</td>" in tables[0]["data"]["text/html"]


def test_run_stops_at_the_failing_cell(livy):
    notebook = new_notebook(cells=[
        new_code_cell("x = 20"),
        new_code_cell("print(x + 1)"),
        new_code_cell("raise ValueError('third cell fails')"),
        new_code_cell("print('never runs')"),
    ])
    client = NotebookClient(notebook, kernel_name="livy-pyspark-dev", timeout=300, startup_timeout=60)
    with pytest.raises(CellExecutionError) as failure:
        client.execute()
    assert "ValueError" in str(failure.value) and "third cell fails" in str(failure.value)
    assert "21" in "".join(o.get("text", "") for o in notebook.cells[1].outputs)
    assert [o.output_type for o in notebook.cells[2].outputs if o.output_type == "error"] == ["error"]
    assert notebook.cells[3].execution_count is None and notebook.cells[3].outputs == []
